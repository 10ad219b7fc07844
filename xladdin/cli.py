"""The command line ``xladdin``: a thin layer over udfs, workbook and the headless engine.

Every message a finance user reads is Chinese first; the exit status says whether
anything failed (0 all done, 1 some file failed, 2 the command itself was wrong).
``audit`` answers a question instead: 0 every file passed, 1 findings to check,
2 some file could not be read.
"""
from __future__ import annotations

import argparse
import dataclasses
import contextlib
import gc
import os
import sys
from pathlib import Path
from typing import Optional, Sequence

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
AUDIT_PASSED, AUDIT_FINDINGS, AUDIT_UNREADABLE = 0, 1, 2
AUDIT_EXIT_TEXT = "退出状态：0 全部通过；1 有需要核对之处；2 有文件无法读取。"
#: What ``template``/``example`` write (the template has no macros: save it as .xlsm in Excel).
TEMPLATE_SUFFIX = ".xlsx"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: ``-o`` of recalc/freeze is a folder; a name ending like one of these is a file name.
FILE_LIKE_SUFFIXES = WORKBOOK_SUFFIXES + (".xls", ".xlsb", ".csv", ".ods", ".et", ".txt")

# argparse's own texts (usage, help, errors), in Chinese. argparse looks them up through
# gettext at the moment it uses them, so they are swapped in only while the command line
# is built, parsed or printed (`_chinese`), never for the rest of the process.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "必须指定以下参数之一：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的%(type)s：%(value)r",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可以是 %(matches)s",
    "ignored explicit argument %r": "多余的值 %r",
    "unexpected option string: %s": "意外的选项：%s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}

#: the names of `xladdin.engine.locales.LOCALES` (spelled here: importing the engine is slow)
RUN_LOCALES = ("en-US", "zh-CN")


def _zh(text: str) -> str:
    return _ARGPARSE_ZH.get(text, text)


def _zh_n(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":
        return "需要 %s 个值"
    return singular if n == 1 else plural


@contextlib.contextmanager
def _chinese():
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _zh, _zh_n
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage, help and error messages are Chinese."""

    def parse_known_args(self, *args, **kwargs):
        with _chinese():
            return super().parse_known_args(*args, **kwargs)

    def parse_args(self, *args, **kwargs):
        with _chinese():
            return super().parse_args(*args, **kwargs)

    def format_help(self) -> str:
        with _chinese():
            return super().format_help()

    def format_usage(self) -> str:
        with _chinese():
            return super().format_usage()

    def error(self, message: str):
        with _chinese():
            self.print_usage(sys.stderr)
            self.exit(EXIT_USAGE, _zh("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message})


def _whole_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数，而不是“{text}”") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"不能为负数：{text}")
    return value


_whole_number.__name__ = "整数"


def _say(text: str = "", *, err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout, flush=True)


def _usage_error(text: str) -> int:
    _say(f"错误：{text}", err=True)
    return EXIT_USAGE


def cmd_functions(args: argparse.Namespace) -> int:
    from . import reference

    _say(reference.as_markdown() if args.markdown else reference.as_text())
    return EXIT_OK


def cmd_lite(args: argparse.Namespace) -> int:
    from . import lite

    for path in lite.write_bundle(Path(args.output)):
        _say(f"已生成 {path}：在 xlwings Lite 中打开编辑器，用此文件内容整体替换 main.py 即可。")
    return EXIT_OK


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为 1–65535 的整数，而不是“{text}”") from None
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError(f"端口应在 1–65535 之间：{text}")
    return value


_port.__name__ = "端口"


def cmd_serve(args: argparse.Namespace) -> int:
    from . import server

    problem = server.missing_extra()
    if problem is None and args.workers < 1:
        problem = f"--workers 至少为 1：{args.workers}"
    if problem is None and args.hostname:
        problem = server.hostname_problem(args.hostname)
    problem = problem or server.tls_problem(args.ssl_certfile, args.ssl_keyfile) or server.port_problem(args.host, args.port)
    if problem:
        return _usage_error(problem)
    https = bool(args.ssl_certfile)
    local = server.base_url(args.host, args.port, https, None)
    public = server.base_url(args.host, args.port, https, args.hostname)
    _say(f"正在启动评分函数服务：{local}（{args.workers} 个工作进程；按 Ctrl+C 停止）")
    _say(f"加载项清单：{public}/manifest.xml（下载为文件：{public}/manifest/download）")
    _say(f"单元格中的写法：={server.NAMESPACE}.SCORE_PROCUREMENT(C5,D5)；函数参考：{public}/functions.html")
    if not https and not args.hostname:
        _say(
            "注意：未使用 HTTPS。Excel 只加载 HTTPS 地址的加载项：请用 --ssl-certfile/--ssl-keyfile 给出证书，"
            "或由反向代理提供 HTTPS，并用 --hostname 给出代理的地址。",
            err=True,
        )
    _say(server.LICENCE_NOTICE)
    server.serve(args.host, args.port, args.workers, args.ssl_certfile, args.ssl_keyfile, args.hostname,
                 log_level="info" if args.verbose else "warning")
    return EXIT_OK


def cmd_install(args: argparse.Namespace) -> int:
    from . import install

    path, settings = install.install(Path(args.config) if args.config else None)
    _say(f"已更新 xlwings 设置文件 {path}：")
    for key, value in settings.items():
        _say(f"  {key} = {value}")
    _say("其他设置保持不变。")
    if install.on_windows():
        _say("下一步：在 Excel 的 xlwings 选项卡点击 Import Functions。")
    else:
        _say(
            "注意：本机不是 Windows。经典 xlwings 加载项（Import Functions）只能在 Windows 版 Excel 中使用，"
            f"上面的 {install.interpreter_key()} 是本机的 Python 路径，在 Windows 电脑上请重新运行 xladdin install。"
            "在 Mac 或 Excel 网页版中请改用 xlwings Lite（xladdin lite）。"
        )
    return EXIT_OK


def _check_output_file(path: Path, force: bool, kind: str = "评分表模板", example: str = "评分表") -> Optional[str]:
    """Why ``template``/``example``/``selfcheck`` must not write to ``path`` (checked before any work), or None."""
    from . import files

    if path.suffix.lower() != TEMPLATE_SUFFIX:
        macros = "；需要宏时，在 Excel 中打开后另存为 .xlsm" if kind == "评分表模板" else ""
        return f"输出文件名应以 .xlsx 结尾：{path}。{kind}是 .xlsx 工作簿{macros}"
    if path.is_dir():
        return f"{path} 是一个文件夹，请给出文件名，如 {path / (example + TEMPLATE_SUFFIX)}"
    if path.exists():
        if not force:
            return f"{path} 已存在。为免覆盖已填写的工作簿，请换一个文件名，或加 --force 覆盖。"
        busy = files.open_elsewhere(path)
        if busy:
            return busy
    return None


def _built(framework, target: Path, values=None, department=None, native: bool = False) -> Path:
    """Builds into a temporary file beside ``target`` (named so a later run removes it if
    this one is killed); the caller moves it into place or deletes it."""
    from workbook import build_template

    from . import files

    target.parent.mkdir(parents=True, exist_ok=True)
    files.remove_stale_temps(target.parent)
    tmp = Path(files.temp_path(target))
    os.close(files.create_new(tmp))
    try:
        return build_template(framework, tmp, values=values, department=department, native=native)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def cmd_template(args: argparse.Namespace) -> int:
    from workbook import FrameworkError, build_template
    from workbook.native.entries import NativeUnsupported

    from . import files

    target = Path(args.output)
    problem = _check_output_file(target, args.force)
    if problem:
        return _usage_error(problem)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        files.write_with(target, lambda tmp: build_template(args.framework, tmp, native=getattr(args, "native", False)))
    except FrameworkError as error:
        _say(f"错误：框架定义有误：{error}", err=True)
        return EXIT_USAGE
    except NativeUnsupported as error:
        _say(f"错误：无法生成原生公式版本（cannot build the native template）：{error}", err=True)
        return EXIT_USAGE
    _say(f"已生成空白评分表模板：{target}（在“基础数据”页的黄色单元格填写数据）")
    return EXIT_OK


def build_example(example_name: str, target: Path, replace: bool, native: bool = False) -> "batch.Outcome":
    """The example workbook, filled and recalculated so it shows its scores without Excel."""
    from workbook import load_example

    from . import batch

    example = load_example(example_name)
    built = _built(example["framework"], target, example["values"], example["department"], native=native)
    try:
        return batch.process(batch.Job(built, target, replace=replace))
    finally:
        built.unlink(missing_ok=True)


def cmd_example(args: argparse.Namespace) -> int:
    from workbook import FrameworkError
    from workbook.native.entries import NativeUnsupported

    target = Path(args.output)
    problem = _check_output_file(target, args.force)
    if problem:
        return _usage_error(problem)
    try:
        outcome = build_example(args.example, target, replace=args.force, native=getattr(args, "native", False))
    except FrameworkError as error:
        _say(f"错误：示例数据或框架定义有误：{error}", err=True)
        return EXIT_USAGE
    except NativeUnsupported as error:
        _say(f"错误：无法生成原生公式版本（cannot build the native example）：{error}", err=True)
        return EXIT_USAGE
    if not outcome.ok:
        _say(f"错误：{outcome.message}", err=True)
        return EXIT_SOME_FAILED
    _say(f"已生成示例工作簿并完成重算：{target}（总得分 {outcome.row.get('总得分')}）")
    return EXIT_OK


def cmd_selfcheck(args: argparse.Namespace) -> int:
    from workbook.native import selfcheck

    from . import files

    target = Path(args.output)
    problem = _check_output_file(target, args.force, kind="自检工作簿", example="自检")
    if problem:
        return _usage_error(problem)
    counts = selfcheck.case_counts()
    target.parent.mkdir(parents=True, exist_ok=True)
    files.write_with(target, lambda tmp: selfcheck.build_selfcheck(tmp))
    cases = sum(counts.values())
    _say(f"已生成自检工作簿：{target}（{len(counts)} 个函数共 {cases} 例，{2 * cases} 项检查：每例的得分和扣分说明各一项）")
    _say("用法：在要检验的电脑上，用 Excel 2010 及以上、WPS 表格或 Excel 网页版直接打开它；打开时自动重新计算，"
         "如数字没有更新，按 F9（或“公式 → 计算 → 开始计算”，WPS 为“公式 → 重算工作簿”）。")
    _say(f"看“自检”页的“不一致的检查数”（名称 {selfcheck.FAILURES_NAME}）：为 0，说明在这个软件里原生公式版评分表"
         "（xladdin template --native）的得分和说明与评分规则完全一致；不为 0 时，筛选“一致？”列为 FALSE 的行，"
         "把文件连同软件名称和版本号发给维护人员。")
    missing = selfcheck.not_covered()
    if missing:
        _say(f"以下函数还没有原生公式版本，不在自检范围内：{'、'.join(missing)}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from . import report

    from workbook import load_example

    target = Path(args.output)
    outcome = build_example(args.example, target, replace=True)
    if not outcome.ok:
        _say(f"错误：{outcome.message}", err=True)
        return EXIT_SOME_FAILED
    _say(report.scored_table(target, load_example(args.example)["framework"]))
    _say("")
    _say(f"示例工作簿（已重算，不装加载项也能看到得分）：{target}")
    return EXIT_OK


def _output_place(args: argparse.Namespace) -> tuple[Optional[Path], Optional[Path], Optional[str]]:
    """(folder, file, problem) for ``-o``: a folder, or a .xlsx/.xlsm file for one workbook."""
    out = Path(args.output)
    if out.is_dir() or out.suffix.lower() not in FILE_LIKE_SUFFIXES:
        return out, None, None
    if out.suffix.lower() not in WORKBOOK_SUFFIXES:
        return None, None, f"-o 应为输出文件夹（或处理单个工作簿时的 .xlsx/.xlsm 文件名），不能是“{out.name}”"
    if len(args.paths) != 1 or Path(args.paths[0]).is_dir():
        return None, None, f"-o {out.name} 是文件名，只能用于单个工作簿；处理多个工作簿时请给出输出文件夹"
    return None, out, None


def _run_batch(args: argparse.Namespace, write: bool, freeze: bool = False, audit: bool = False) -> int:
    from . import batch, report

    _start_up_done()
    summary = Path(args.summary) if args.summary else None
    if summary is not None:
        from .summary import check_summary_path

        try:
            check_summary_path(summary)
        except ValueError as error:
            return _usage_error(f"{error}（未做任何处理）")
    out_dir = out_file = None
    if write and args.output:
        out_dir, out_file, problem = _output_place(args)
        if problem:
            return _usage_error(problem)
    last_year = None
    if getattr(args, "compare", None):
        if summary is None:
            return _usage_error("--compare 与上年对比的结果写在汇总表中，请同时给出 --summary 汇总表文件（未做任何处理）")
        from .compare import CompareError, read_last_year

        try:
            last_year = read_last_year(Path(args.compare))
        except CompareError as error:
            return _usage_error(f"{error}（未做任何处理）")
    sources, problems = batch.expand_paths(args.paths, exclude=out_dir)
    if out_file is not None and len(sources) > 1:
        return _usage_error(f"-o {out_file.name} 是文件名，只能用于单个工作簿；处理多个工作簿时请给出输出文件夹")
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            return _usage_error(f"{out_dir} 是一个文件，不是文件夹：请另选输出文件夹")
        except OSError:
            return _usage_error(f"无法创建输出文件夹：{out_dir}")
    jobs, refused = batch.plan_jobs(
        sources, out_dir, in_place=write and args.in_place, write=write, freeze=freeze,
        force=write and getattr(args, "force", False), out_file=out_file,
    )
    if getattr(args, "date", None) is not None:
        jobs = [dataclasses.replace(job, now=args.date) for job in jobs]
    if getattr(args, "locale", None) is not None:
        jobs = [dataclasses.replace(job, locale=args.locale) for job in jobs]
    problems += refused
    for problem in problems:
        _say(f"{'未处理' if problem.unsupported else '失败'}  {problem.source}：{problem.message}", err=True)
    if not sources:
        _say("错误：没有找到 Excel 工作簿（.xlsx/.xlsm），未做任何处理。", err=True)
        return EXIT_SOME_FAILED
    from .audit import to_check

    progress = batch.Progress(len(jobs))
    outcomes = list(problems)
    untouched = "（原文件未改动）" if write else ""
    details: list = []  # audit: each file's lines, printed after the exception list
    for outcome in batch.run(jobs, workers=args.jobs or batch.default_workers(), on_done=progress):
        if write:  # the written copy is calculated: "never calculated" was about the source only
            outcome.findings = [f for f in outcome.findings if f.kind != "未重算"]
        outcomes.append(outcome)
        if not outcome.ok:
            _say(f"失败  {outcome.source}：{outcome.message}{untouched}", err=True)
            if args.verbose and outcome.detail:
                _say(outcome.detail, err=True)
        elif write:
            extra = f"；{outcome.message}" if outcome.message else ""
            frozen = f"{outcome.frozen} 个评分公式已替换为数值，" if freeze else ""
            volatile = f"，{outcome.volatile} 个易变公式（TODAY/NOW/RAND 等）已按本次运行重算" if outcome.volatile else ""
            done = f"完成（{len(outcome.kept)} 处未重算，保留原值）" if outcome.kept else "完成"
            total = outcome.row.get("总得分")
            _say(f"{done}  {outcome.source} → {outcome.target}（{frozen}总得分 {'—' if total is None else total}{volatile}）{extra}")
            if outcome.row.get("手工填写"):
                _say(f"      [手工填写] {outcome.row['手工填写']}；汇总按规则计分")
        if audit:
            details.append(outcome)
            continue
        _report_kept(outcome, verbose=getattr(args, "verbose", False))
        _report_findings(outcome, verbose=not write)
    if audit:
        report.exception_list(outcomes, _say)
        for outcome in details:
            _report_kept(outcome, verbose=getattr(args, "verbose", False))
            _report_findings(outcome, verbose=True)
    summary_failed = False
    if summary is not None:
        from .files import FileWriteError
        from .summary_file import write_summary

        rows = [dict(o.row, 核查=_to_check_count(o)) if o.ok else dict(o.row) for o in outcomes]
        comparison = None
        if last_year is not None:
            from .compare import compare

            comparison = compare(rows, last_year)
        try:
            _say(f"汇总表：{write_summary(rows, summary, comparison)}")
        except (FileWriteError, ValueError) as error:
            _say(f"错误：汇总表未能保存（{getattr(error, 'message_zh', error)}）", err=True)
            summary_failed = True
        if comparison is not None:
            _report_comparison(comparison, last_year, rows)
    _say(_totals_line(outcomes))
    failed = sum(not o.ok for o in outcomes)  # a file in another format is not done either
    if audit:
        if failed:
            return AUDIT_UNREADABLE
        return AUDIT_FINDINGS if summary_failed or any(to_check(o.findings) or o.problems for o in outcomes) else AUDIT_PASSED
    return EXIT_SOME_FAILED if failed or summary_failed else EXIT_OK


def _report_comparison(comparison, last_year, rows: list) -> None:
    """Departments found in one year only, by name (the summary has the figures)."""
    def shown(value) -> str:
        return "—" if value is None or value == "" else f"{value:g}" if isinstance(value, float) else str(value)

    _say(f"与上年对比（{comparison.source}）：两年都有的部门 {comparison.matched} 个")
    _say(f"  本年新增 {len(comparison.only_this_year)} 个" + "".join(
        f"\n    {name}（总得分 {shown(total)}）" for name, total, _ in comparison.only_this_year))
    _say(f"  上年有、本年没有 {len(comparison.only_last_year)} 个" + "".join(
        f"\n    {name}（上年总得分 {shown(total)}，{shown(grade)}）" for name, total, grade in comparison.only_last_year))
    for name in comparison.ambiguous:
        _say(f"  上年汇总表中“{name}”有不止一行，未比较")
    same = last_year.same_years(rows)
    if same:
        _say(f"注意：上年汇总表的年度（{'、'.join(same)}）与本次相同，请确认选对了文件", err=True)


def _totals_line(outcomes: list) -> str:
    done = sum(o.ok for o in outcomes)
    unsupported = sum(o.unsupported for o in outcomes)
    line = f"共 {len(outcomes)} 个文件：完成 {done} 个，失败 {len(outcomes) - done - unsupported} 个"
    if unsupported:
        line += f"，未处理 {unsupported} 个（.xls/.et/.ods 等格式，请另存为 .xlsx 后再处理）"
    return line + "。"


def _to_check_count(outcome) -> int:
    """The summary's 核查: the department's problems and the other findings (a typed score
    is one problem, not also its 应为公式 finding)."""
    from .audit import to_check

    typed = any(p.kind == "手工填写" for p in outcome.problems)
    return len(outcome.problems) + sum(1 for f in to_check(outcome.findings) if not (typed and f.kind == "应为公式"))


def _report_kept(outcome, verbose: bool) -> None:
    """The formula cells left as the file had them, each with its reason."""
    if not outcome.ok or not outcome.kept:
        return
    shown = outcome.kept if verbose else outcome.kept[:5]
    for line in shown:
        _say(f"      [未重算] {line}")
    if len(shown) < len(outcome.kept):
        _say(f"      ……另有 {len(outcome.kept) - len(shown)} 处未重算，加 --verbose 查看全部")


def _run_date(text: str):
    """--date YYYY-MM-DD [HH:MM[:SS]]: the moment TODAY()/NOW() see, for a reproducible batch."""
    import datetime as dt
    for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            return dt.datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD（可加 HH:MM），收到：{text}")


def _report_findings(outcome, verbose: bool) -> None:
    from .audit import to_check

    findings = to_check(outcome.findings) if verbose else outcome.findings  # audit tells notices once
    if not findings and not (verbose and outcome.problems):
        if verbose and outcome.ok:
            if getattr(outcome, "frozen_copy", False):
                _say(f"通过  {outcome.source}：定稿副本，保存的得分与按本文件基础数据重算的一致")
            else:
                _say(f"通过  {outcome.source}：所有公式保存的值与按规则重算的一致")
        return
    copy = "（定稿副本）" if getattr(outcome, "frozen_copy", False) else ""
    if not findings:  # only the exception list's problems, listed above
        _say(f"核查  {outcome.source}{copy}：保存的值与按规则重算的一致；需处理的问题见上表")
        return
    _say(f"核查  {outcome.source}{copy}：{len(findings)} 处需要核对")
    shown = findings if verbose else findings[:5]
    for finding in shown:
        _say(f"      [{finding.kind}] {finding.message}")
    if len(shown) < len(findings):
        _say(f"      ……另有 {len(findings) - len(shown)} 处，用 xladdin audit 查看全部")


def cmd_recalc(args: argparse.Namespace) -> int:
    if bool(args.output) == bool(args.in_place):
        _say("错误：请指定结果写到哪里：-o 输出目录，或 --in-place（直接写回原文件）。", err=True)
        return EXIT_USAGE
    return _run_batch(args, write=True)


def cmd_freeze(args: argparse.Namespace) -> int:
    args.in_place = False
    return _run_batch(args, write=True, freeze=True)


def cmd_audit(args: argparse.Namespace) -> int:
    args.output, args.in_place = None, False
    return _run_batch(args, write=False, audit=True)


def build_parser() -> argparse.ArgumentParser:
    with _chinese():  # group titles and the -h help are looked up while the parser is built
        return _build_parser()


def _build_parser() -> argparse.ArgumentParser:
    common = ChineseParser(add_help=False)
    common.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS, help="出错时显示技术细节（供维护人员排查），并列出全部未重算的单元格")
    parser = ChineseParser(
        prog="xladdin",
        description="部门整体支出绩效评价：Excel 评分函数、评分表模板与批量重算（无需 Excel）。",
        epilog="每个命令的用法：xladdin 命令 -h，例如 xladdin recalc -h",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseParser)

    def command(name: str, helptext: str, run, description: str | None = None, epilog: str | None = None):
        cmd = sub.add_parser(name, help=helptext, description=description or helptext, epilog=epilog, parents=[common])
        cmd.set_defaults(run=run)
        return cmd

    functions = command("functions", "列出全部评分函数及其参数说明", cmd_functions)
    functions.add_argument("--markdown", action="store_true", help="输出 Markdown（用于生成 docs/functions.md）")
    template = command("template", "生成空白评分表模板（与框架表相同的行列和措辞）", cmd_template)
    template.add_argument("--framework", default="longgang_2020", metavar="名称", help="框架定义（workbook/frameworks/名称.toml 或 .toml 路径），默认 longgang_2020")
    template.add_argument("-o", "--output", required=True, metavar="文件", help="输出文件（.xlsx）")
    template.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    template.add_argument("--native", action="store_true", help="只用 Excel 2010、WPS、LibreOffice 共有的原生函数（不需要加载项）")

    example = command("example", "生成填好报告示例数据并已重算的评分表", cmd_example)
    example.add_argument("--example", default="longgang_2020_seed", metavar="名称", help="示例数据（workbook/examples/名称.toml），默认龙岗区总工会2020年")
    example.add_argument("-o", "--output", required=True, metavar="文件", help="输出文件（.xlsx）")
    example.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    example.add_argument("--native", action="store_true", help="只用原生函数的版本（不需要加载项）")

    selfcheck = command(
        "selfcheck",
        "生成自检工作簿：在本机的 Excel、WPS 或 Excel 网页版中打开，检验原生公式版评分表的得分和说明是否与评分规则一致",
        cmd_selfcheck,
        epilog="“自检”页的“不一致的检查数”（名称 selfcheck_failures）为 0 即全部一致。",
    )
    selfcheck.add_argument("-o", "--output", required=True, metavar="文件", help="输出文件（.xlsx），如 自检.xlsx")
    selfcheck.add_argument("--force", action="store_true", help="覆盖已存在的文件")

    demo = command("demo", "演示：生成示例评分表、重算并打印评分结果", cmd_demo)
    demo.add_argument("--example", default="longgang_2020_seed", metavar="名称", help=argparse.SUPPRESS)
    demo.add_argument("-o", "--output", default="out/示例_龙岗区总工会_2020.xlsx", metavar="文件", help="示例工作簿保存位置")

    paths_help = "工作簿文件、文件夹或通配符（如 收文/*.xlsx）"
    jobs_help = "并行进程数，默认为 CPU 核数"
    summary_help = "汇总表：.xlsx（A4 横向打印，带排名、总得分图表和统计页）或 .csv"
    compare_help = "与上年对比：本工具上年生成的汇总表（.xlsx 或 .csv），按部门名称加上上年总得分、变化、上年等级（需同时给出 --summary）"
    recalc = command("recalc", "批量重算工作簿（无需 Excel），把结果写回文件", cmd_recalc)
    recalc.add_argument("paths", nargs="+", metavar="路径", help=paths_help)
    where = recalc.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="目录", help="结果写入此文件夹（原文件不动，子文件夹照原样保留）；只处理一个工作簿时也可给出 .xlsx/.xlsm 文件名")
    where.add_argument("--in-place", action="store_true", help="直接写回原文件（先写临时文件，成功后再替换）")
    recalc.add_argument("--force", action="store_true", help="-o 的位置已有同名文件时覆盖它")
    recalc.add_argument("-j", "--jobs", type=_whole_number, default=0, metavar="N", help=jobs_help)
    recalc.add_argument("--summary", metavar="文件", help=summary_help)
    recalc.add_argument("--compare", metavar="上年汇总表", help=compare_help)
    recalc.add_argument("--date", type=_run_date, metavar="YYYY-MM-DD", help="TODAY()/NOW() 取此日期（默认为运行时的本地日期和时间），便于重复得到相同结果")
    locale_help = ("按哪种 Windows 区域设置计算：zh-CN 即中文 Windows（CHAR/CODE 按 GBK 编码，如 CODE(\"啊\")=45217；"
                   "DOLLAR/RMB 用 ¥）；不加时按工作簿自定义属性“区域设置”，再没有则按 en-US（Windows-1252，$）")
    recalc.add_argument("--locale", choices=RUN_LOCALES, metavar="区域", help=locale_help)

    audit = command(
        "audit", "核查工作簿：列出手填的得分、保存的值与按规则重算不一致之处（不写文件）", cmd_audit,
        description=(
            "核查工作簿（不写文件）。每个文件最重要的先列出：手填的得分（应为公式）、保存的值与按规则重算不一致之处；"
            "未装加载项的软件保存的文件只报一行；从未计算过的文件报“未重算”；xladdin freeze 生成的定稿副本按其基础数据核对得分。"
        ),
        epilog=AUDIT_EXIT_TEXT,
    )
    audit.add_argument("paths", nargs="+", metavar="路径", help=paths_help)
    audit.add_argument("-j", "--jobs", type=_whole_number, default=0, metavar="N", help=jobs_help)
    audit.add_argument("--summary", metavar="文件", help=summary_help)
    audit.add_argument("--compare", metavar="上年汇总表", help=compare_help)
    audit.add_argument("--date", type=_run_date, metavar="YYYY-MM-DD", help="TODAY()/NOW() 取此日期（默认为运行时的本地日期和时间），便于重复得到相同结果")
    audit.add_argument("--locale", choices=RUN_LOCALES, metavar="区域", help=locale_help)

    freeze = command(
        "freeze",
        "生成便携副本：重算后把调用评分函数的公式替换为数值（其他公式不变），未装加载项的电脑和其他电子表格软件也显示相同得分",
        cmd_freeze,
    )
    freeze.add_argument("paths", nargs="+", metavar="路径", help=paths_help)
    freeze.add_argument("-o", "--output", required=True, metavar="目录", help="副本写入此文件夹（原文件不动，子文件夹照原样保留）；只处理一个工作簿时也可给出 .xlsx/.xlsm 文件名")
    freeze.add_argument("--force", action="store_true", help="-o 的位置已有同名文件时覆盖它")
    freeze.add_argument("-j", "--jobs", type=_whole_number, default=0, metavar="N", help=jobs_help)
    freeze.add_argument("--summary", metavar="文件", help=summary_help)
    freeze.add_argument("--compare", metavar="上年汇总表", help=compare_help)
    freeze.add_argument("--date", type=_run_date, metavar="YYYY-MM-DD", help="TODAY()/NOW() 取此日期（默认为运行时的本地日期和时间），便于重复得到相同结果")
    freeze.add_argument("--locale", choices=RUN_LOCALES, metavar="区域", help=locale_help)

    lite = command("lite", "生成 xlwings Lite 用的 main.py（无需安装 Python）", cmd_lite)
    lite.add_argument("-o", "--output", required=True, metavar="目录", help="输出文件夹")

    serve = command(
        "serve",
        "在服务器上提供评分函数（xlwings Server）：各部门的 Excel 2021/365 与 Excel 网页版装上加载项清单即可使用，电脑上无需安装 Python",
        cmd_serve,
        epilog="需要先安装服务器组件：pip install \".[server]\"。部署说明见 README。",
    )
    serve.add_argument("--host", default="127.0.0.1", metavar="地址", help="监听的地址，默认 127.0.0.1（仅本机）；0.0.0.0 为所有网卡")
    serve.add_argument("--port", type=_port, default=8000, metavar="端口", help="监听的端口，默认 8000")
    serve.add_argument("--workers", type=_whole_number, default=1, metavar="N", help="工作进程数，默认 1")
    serve.add_argument("--ssl-certfile", metavar="文件", help="HTTPS 证书（PEM，含中间证书）")
    serve.add_argument("--ssl-keyfile", metavar="文件", help="HTTPS 证书的私钥（PEM，无密码）")
    serve.add_argument("--hostname", metavar="主机名", help="加载项清单中的服务器地址（各部门电脑访问的主机名，可加端口，如 jixiao.czj.example:8443）；默认用访问清单时的地址")

    install = command("install", "在用户的 xlwings.conf 中登记 udfs 和当前 Python（经典 xlwings 加载项，仅 Windows）", cmd_install)
    install.add_argument("--config", metavar="文件", help="xlwings.conf 的路径（默认 ~/.xlwings/xlwings.conf）")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
        sys.stderr.reconfigure(encoding="utf-8", errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    args.verbose = getattr(args, "verbose", False)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_USAGE
    if args.run not in _STARTING_WITHOUT_COLLECTION:
        _start_up_done()
    try:
        return args.run(args)
    except KeyboardInterrupt:
        _say("已中断。", err=True)
        return EXIT_SOME_FAILED
    except OSError as error:  # a folder that cannot be created, a disk that is full …
        from .files import FileWriteError, reason_zh

        if isinstance(error, FileWriteError):
            _say(f"错误：{error.message_zh}。已有文件未被改动。", err=True)
        else:
            where = f" {error.filename}" if error.filename else ""
            _say(f"错误：无法读写文件{where}：{reason_zh(error)}。已有文件未被改动。", err=True)
        if args.verbose:
            _say(repr(error), err=True)
        return EXIT_SOME_FAILED
    except Exception as error:  # noqa: BLE001 - a user sees Chinese, never a traceback
        _say("错误：程序内部错误，命令未能完成。请加 --verbose 重新运行查看技术细节，并反馈给维护人员。", err=True)
        if args.verbose:
            import traceback

            _say("".join(traceback.format_exception(error)).rstrip(), err=True)
        return EXIT_SOME_FAILED


#: Whether the cyclic garbage collector is off for the command's start-up (`console_main`).
_collection_paused = False
#: Commands that load their modules after `main` hands over to them: they end the start-up.
_STARTING_WITHOUT_COLLECTION = (cmd_recalc, cmd_audit, cmd_freeze)


def _start_up_done() -> None:
    """The command's modules are loaded: what they made lives as long as the process and
    is set apart from every later collection (`gc.freeze`), and the collector runs again."""
    global _collection_paused
    if _collection_paused:
        _collection_paused = False
        gc.freeze()
        gc.enable()


def console_main() -> None:
    """The ``xladdin`` command: `main`, then the process ends at once, its output flushed,
    without taking its modules and objects apart one by one (as mypy ends): a tenth of a
    one-workbook recalculation. By then every file it wrote is closed and renamed into
    place, and a process pool has been shut down.

    Its start-up runs without the cyclic garbage collector (`_start_up_done` restarts it):
    loading the modules makes some 100,000 objects that all stay, and the collections they
    set off, each walking all of them, were another tenth."""
    global _collection_paused
    if gc.isenabled():
        gc.disable()
        _collection_paused = True
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed or broken pipe: nothing more to say
            pass
    os._exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    console_main()
