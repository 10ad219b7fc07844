"""Batch recalculation without Excel: which files, where results go, and what each file gave.

One workbook at a time is opened (package layer), recomputed (engine), written back
surgically and reduced to a small summary row, so memory stays flat however many
files a bureau sends. A bad file gets a Chinese message and the batch goes on.
"""
from __future__ import annotations

import contextlib
import gc
import glob
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from . import engine, files, xlsx
from .audit import Finding, audit_workbook, is_frozen_copy
from .department import Problem, read_department
from .freeze import Refused, cells_to_freeze, frozen_marker, refusal
from .summary import summary_row

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: Spreadsheet formats this tool cannot read, with the program that saves them as .xlsx.
#: A folder or glob still lists them, so that each is reported as not processed (with the
#: advice to 另存为 .xlsx) instead of silently vanishing from a batch.
OTHER_FORMATS = {
    ".xls": ("旧版 Excel 97-2003 工作簿", "Excel"),
    ".xlt": ("旧版 Excel 97-2003 模板", "Excel"),
    ".xlsb": ("Excel 二进制工作簿", "Excel"),
    ".et": ("WPS 表格文件", "WPS 表格"),
    ".ett": ("WPS 表格模板", "WPS 表格"),
    ".ods": ("OpenDocument 表格", "LibreOffice 或 WPS 表格"),
}
#: Files that stand beside an open workbook, not workbooks: Excel's and WPS's owner file,
#: LibreOffice's lock file, and this tool's own temporary files (xladdin.files).
_BESIDE_OPEN = ("~$", ".~")
#: Bounded work: one workbook is read, calculated and written within this many seconds
#: (the calculation stops early, keeping what it has not computed, to leave time to write).
FILE_SECONDS = 30
WRITE_SECONDS = 5
#: Below this many files a process pool costs more than it saves.
POOL_THRESHOLD = 8


@dataclass
class Outcome:
    """What one workbook gave: small on purpose (no cell data), so a batch stays flat in memory."""

    source: Path
    target: Optional[Path] = None
    ok: bool = True
    message: str = ""
    row: dict = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the department's exception list
    frozen: int = 0  # scoring formulas replaced by their values (portable copy)
    kept: list[str] = field(default_factory=list)  # formula cells not recalculated, each with its reason
    volatile: int = 0  # cells with TODAY/NOW/RAND... recomputed
    frozen_copy: bool = False  # the source is a 定稿副本 (made by freeze)
    unsupported: bool = False  # another spreadsheet format (.xls, .et …): not processed, not failed
    seconds: float = 0.0
    detail: str = ""  # technical detail of an unexpected failure, shown with --verbose

    def __post_init__(self) -> None:
        if not self.ok and not self.row:  # a refused argument still gets its summary row
            self.row = {"文件": str(self.source), "错误": self.message}

    def __setstate__(self, state: dict) -> None:
        # an outcome comes back from a worker pickled, and the batch keeps every one: the
        # summary row's forty-odd column names, made anew for each file, were half its memory
        row = state.get("row")
        if row:
            state["row"] = {sys.intern(key) if type(key) is str else key: value for key, value in row.items()}
        self.__dict__.update(state)


@dataclass(frozen=True)
class Job:
    source: Path
    target: Optional[Path]  # None: audit only, write nothing
    replace: bool = False  # overwrite an existing target (--in-place, --force)
    freeze: bool = False  # write a portable copy: scoring formulas become their values
    now: Optional[datetime] = None  # TODAY()/NOW(); None: the moment of the run
    locale: Optional[str] = None  # the Windows locale Excel would run in (engine.locales); None: en-US


@dataclass(frozen=True)
class Source:
    """A workbook to process, and where its result goes below the output folder: a folder's
    files keep their sub-folders (two departments' 评分表.xlsx stay apart), a file named
    directly goes to the top."""

    path: Path
    place: Path

    @classmethod
    def of(cls, path: "Source | Path") -> "Source":
        return path if isinstance(path, Source) else cls(Path(path), Path(Path(path).name))


def other_format_message(path: Path) -> str:
    """Why a file of another spreadsheet format is not processed, and how to make it readable."""
    kind, program = OTHER_FORMATS[path.suffix.lower()]
    return (
        f"这是{kind}（{path.suffix}），本工具只能读取 .xlsx/.xlsm 工作簿，未处理：{path.name}。"
        f"请用 {program} 打开，另存为 Excel 工作簿（.xlsx）后再处理"
    )


def _beside_open(name: str) -> bool:
    return name.startswith(_BESIDE_OPEN)


def _walk(folder: Path, exclude: Optional[Path]) -> Iterator[tuple[Path, os.stat_result]]:
    """Every file below ``folder``, in path order, with its status (symbolic links followed,
    except into folders: no loops), and every folder named like a workbook that holds none.
    Never opens a file; the caller picks the names that could be spreadsheets."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                if exclude is None or path.resolve() != exclude:
                    yield from _walk(path, exclude)
                    if path.suffix.lower() in WORKBOOK_SUFFIXES and not _holds_workbooks(path):
                        yield path, path.stat()
                continue
            status = path.stat()
        except OSError:
            continue  # a broken link, or an entry gone meanwhile
        yield path, status


def _holds_workbooks(folder: Path) -> bool:
    return any(p.suffix.lower() in WORKBOOK_SUFFIXES for p in folder.rglob("*"))


def _glob_base(pattern: str) -> Path:
    """The folder a glob searches from: its leading parts without wildcards."""
    parts = Path(pattern).parts
    literal = []
    for part in parts[:-1]:
        if glob.has_magic(part):
            break
        literal.append(part)
    return Path(*literal) if literal else Path(".")


def expand_paths(arguments: Iterable[str], exclude: Optional[Path] = None) -> tuple[list[Source], list[Outcome]]:
    """Files, folders (searched recursively) and globs → workbooks, each once.

    Returns the workbooks and an outcome for every argument or entry that cannot be
    processed: nothing found, named twice, another spreadsheet format (not processed,
    `Outcome.unsupported`), not a regular file (a pipe, a device, a folder named
    ``x.xlsx``: never opened, so never blocks). ``exclude`` (the output folder) is not
    searched: results of an earlier run inside the input folder are not input again.
    """
    found: list[Source] = []
    problems: list[Outcome] = []
    seen: set[Path] = set()
    exclude = exclude.resolve() if exclude is not None else None

    def add(path: Path, mode: int, place: Path) -> None:
        kind = files.not_regular(mode)
        if kind == "文件夹":
            problems.append(Outcome(path, ok=False, message=f"这是文件夹，不是 Excel 工作簿（其中也没有 Excel 工作簿）：{path}"))
            return
        if kind is not None:
            problems.append(Outcome(path, ok=False, message=files.NotRegularFile(path, kind).message_zh))
            return
        key = path.resolve()
        if key in seen:
            problems.append(Outcome(path, ok=False, message=f"同一文件被重复指定，只处理一次：{path}"))
            return
        seen.add(key)
        if path.suffix.lower() in OTHER_FORMATS:
            problems.append(Outcome(path, ok=False, unsupported=True, message=other_format_message(path)))
            return
        found.append(Source(path, place))

    def spreadsheet(path: Path) -> bool:
        return path.suffix.lower() in WORKBOOK_SUFFIXES + tuple(OTHER_FORMATS) and not _beside_open(path.name)

    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            entries = [(p, st) for p, st in _walk(path, exclude) if spreadsheet(p)]
            if not entries:
                where = "（它本身是文件夹，不是工作簿）" if path.suffix.lower() in WORKBOOK_SUFFIXES else ""
                problems.append(Outcome(path, ok=False, message=f"文件夹中没有找到 Excel 工作簿（.xlsx/.xlsm）{where}：{argument}"))
            for child, status in entries:
                add(child, status.st_mode, child.relative_to(path))
        elif path.exists():
            add(path, path.stat().st_mode, Path(path.name))
        elif glob.has_magic(argument):
            base = _glob_base(argument)
            matches = [Path(p) for p in sorted(glob.glob(argument, recursive=True))]
            workbooks = [m for m in matches if spreadsheet(m) and not m.is_dir()]
            if not workbooks:
                problems.append(Outcome(path, ok=False, message=f"没有与“{argument}”匹配的 Excel 工作簿"))
            for match in workbooks:
                try:
                    place = match.relative_to(base)
                except ValueError:  # a pattern with ".." past its wildcards
                    place = Path(match.name)
                try:
                    add(match, match.stat().st_mode, place)
                except OSError:
                    problems.append(Outcome(match, ok=False, message=f"找不到文件：{match}"))
        else:
            problems.append(Outcome(path, ok=False, message=f"找不到文件或文件夹：{argument}"))
    return found, problems


def plan_jobs(
    sources: Iterable[Source | Path],
    out_dir: Optional[Path],
    in_place: bool,
    write: bool = True,
    freeze: bool = False,
    force: bool = False,
    out_file: Optional[Path] = None,
) -> tuple[list[Job], list[Outcome]]:
    """Where each result goes; two sources that would land on one target are refused.

    A result goes to ``out_dir / source.place`` (its sub-folder is made when written);
    ``out_file`` names the target of a single source (``-o 结果.xlsx``); ``force``
    lets a result replace an existing file there.
    """
    jobs: list[Job] = []
    problems: list[Outcome] = []
    targets: dict[Path, Path] = {}
    for source, place in ((s.path, s.place) for s in map(Source.of, sources)):
        if not write:
            jobs.append(Job(source, None))
            continue
        target = source if in_place else out_file if out_file is not None else out_dir / place
        key = target.resolve()
        if key in targets:
            problems.append(
                Outcome(source, ok=False, message=f"输出文件名与 {targets[key]} 相同（{place}），为免覆盖已跳过")
            )
            continue
        if not in_place and key == source.resolve():
            advice = "请另选输出目录" if freeze else "请另选输出目录；如确要直接更新原文件，请用 --in-place"
            problems.append(Outcome(source, ok=False, message=f"输出位置就是原文件本身（原文件所在目录），会覆盖原文件；{advice}：{source}"))
            continue
        targets[key] = source
        jobs.append(Job(source, target, replace=in_place or force, freeze=freeze))
    return jobs, problems


@contextlib.contextmanager
def _collector_paused():
    """The cyclic garbage collector off while one workbook is processed: a big sheet makes
    hundreds of thousands of long-lived objects, and each full collection walks them all
    (a quarter of a 50,000-formula recalculation's time). Cycles made meanwhile are
    collected by the next collection after the file, as before."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_processed_here = 0


def process(job: Job) -> Outcome:
    """Open, recompute, audit, write back one workbook. Never raises."""
    global _processed_here
    if _processed_here == 1 and gc.isenabled():
        # what the first workbook left (compiled formulas, the framework, imports) lives as
        # long as the process: set apart once, so that the collections after every later
        # file of a batch do not walk it again
        gc.collect()
        gc.freeze()
    _processed_here += 1
    with _collector_paused():
        return _process(job)


def _process(job: Job) -> Outcome:
    started = time.perf_counter()
    outcome = Outcome(job.source, job.target)
    try:
        book = xlsx.WorkbookPackage.open(job.source)
        # one file's whole work stays within FILE_SECONDS: reading counts against it
        spent = time.perf_counter() - started
        results = engine.recalculate_package(book, now=job.now, time_limit=FILE_SECONDS - WRITE_SECONDS - spent,
                                             locale=job.locale)
        reading = read_department(book, results.values)
        outcome.findings = audit_workbook(book, results.values, reading)
        outcome.problems = reading.problems if reading is not None else []
        outcome.frozen_copy = is_frozen_copy(book)
        outcome.row = summary_row(book, results.values, results.kept_cells(), reading)
        outcome.kept = results.messages()
        outcome.volatile = results.volatile
        if job.target is not None:
            if job.freeze and (why := refusal(reading)) is not None:
                raise Refused(why)
            frozen = cells_to_freeze(book, results) if job.freeze else ()
            marker = frozen_marker(len(frozen)) if job.freeze else None
            made = files.make_folders(job.target.parent)  # the source's sub-folder, mirrored
            try:
                book.write(results.values, job.target, replace=job.replace, freeze=frozen, custom_properties=marker)
            except BaseException:
                files.remove_empty_folders(made)
                raise
            outcome.frozen = len(frozen)
    except (xlsx.PackageError, files.FileWriteError, Refused) as error:
        outcome.ok = False
        outcome.message = error.message_zh
    except MemoryError:
        outcome.ok = False
        outcome.message = "内存不足，无法处理此文件；请关闭其他程序，或减少并行进程数（-j 1）后重试"
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the batch
        import traceback

        outcome.ok = False
        outcome.message = "处理失败：程序内部错误，未能处理此文件。请加 --verbose 重新运行查看技术细节，并反馈给维护人员"
        outcome.detail = "".join(traceback.format_exception(error)).rstrip()
    outcome.seconds = time.perf_counter() - started
    if not outcome.ok:
        outcome.row = {"文件": str(job.source), "错误": outcome.message}
    return outcome


def run(jobs: list[Job], workers: int = 1, on_done: Optional[Callable[[Outcome], None]] = None) -> Iterator[Outcome]:
    """Outcomes in the order of ``jobs``; ``workers`` processes when the batch is large enough."""
    if workers <= 1 or len(jobs) < POOL_THRESHOLD:
        for job in jobs:
            outcome = process(job)
            if on_done:
                on_done(outcome)
            yield outcome
        return
    from concurrent.futures import ProcessPoolExecutor

    # chunks of at most 16: the last one is all a worker may wait for at the end (64 left
    # one worker idle for up to half a second of a 1,000-file batch; 4 cost more in transfers)
    chunk = max(1, min(16, len(jobs) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for outcome in pool.map(process, jobs, chunksize=chunk):
            if on_done:
                on_done(outcome)
            yield outcome


class Progress:
    """``已处理 120/1000`` on one refreshed line of stderr, for long batches on a terminal."""

    def __init__(self, total: int, stream=sys.stderr, minimum: int = 20) -> None:
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream
        self.enabled = total >= minimum and getattr(stream, "isatty", lambda: False)()
        self._last = 0.0

    def __call__(self, outcome: Outcome) -> None:
        self.done += 1
        self.failed += not outcome.ok
        now = time.monotonic()
        if self.enabled and (now - self._last > 0.2 or self.done == self.total):
            self._last = now
            width = 30
            filled = width * self.done // max(self.total, 1)
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] 已处理 {self.done}/{self.total}，失败 {self.failed}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)
