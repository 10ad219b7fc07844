"""The command line ``xladdin``: a thin layer over udfs, workbook and the headless engine.

Every message a finance user reads is Chinese first; the exit status says whether
anything failed (0 all done, 1 some file failed, 2 the command itself was wrong).
``audit`` answers a question instead: 0 every file passed, 1 findings to check,
2 some file could not be read.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Optional, Sequence

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
AUDIT_PASSED, AUDIT_FINDINGS, AUDIT_UNREADABLE = 0, 1, 2
AUDIT_EXIT_TEXT = "退出状态：0 全部通过；1 有需要核对之处；2 有文件无法读取。"


def _say(text: str = "", *, err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout, flush=True)


def cmd_functions(args: argparse.Namespace) -> int:
    from . import reference

    _say(reference.as_markdown() if args.markdown else reference.as_text())
    return EXIT_OK


def cmd_lite(args: argparse.Namespace) -> int:
    from . import lite

    for path in lite.write_bundle(Path(args.output)):
        _say(f"已生成 {path}：在 xlwings Lite 中打开编辑器，用此文件内容整体替换 main.py 即可。")
    return EXIT_OK


def cmd_install(args: argparse.Namespace) -> int:
    from . import install

    path, settings = install.install(Path(args.config) if args.config else None)
    _say(f"已更新 xlwings 设置文件 {path}：")
    for key, value in settings.items():
        _say(f"  {key} = {value}")
    _say("其他设置保持不变。下一步：在 Excel 的 xlwings 选项卡点击 Import Functions。")
    return EXIT_OK


def _refuse_existing(path: Path, force: bool) -> bool:
    if path.exists() and not force:
        _say(f"错误：{path} 已存在。为免覆盖已填写的工作簿，请换一个文件名，或加 --force 覆盖。", err=True)
        return True
    return False


def _built(framework, target: Path, values=None, department=None) -> Path:
    """Builds into a temporary file beside ``target``; the caller moves it into place."""
    import tempfile

    from workbook import build_template

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".xladdin-", suffix=".xlsx")
    os.close(fd)
    try:
        return build_template(framework, tmp, values=values, department=department)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_template(args: argparse.Namespace) -> int:
    from workbook import FrameworkError

    target = Path(args.output)
    if _refuse_existing(target, args.force):
        return EXIT_USAGE
    try:
        os.replace(_built(args.framework, target), target)
    except FrameworkError as error:
        _say(f"错误：框架定义有误：{error}", err=True)
        return EXIT_USAGE
    _say(f"已生成空白评分表模板：{target}（在“基础数据”页的黄色单元格填写数据）")
    return EXIT_OK


def build_example(example_name: str, target: Path, replace: bool) -> "batch.Outcome":
    """The example workbook, filled and recalculated so it shows its scores without Excel."""
    from workbook import load_example

    from . import batch

    example = load_example(example_name)
    built = _built(example["framework"], target, example["values"], example["department"])
    try:
        return batch.process(batch.Job(built, target, replace=replace))
    finally:
        built.unlink(missing_ok=True)


def cmd_example(args: argparse.Namespace) -> int:
    from workbook import FrameworkError

    target = Path(args.output)
    if _refuse_existing(target, args.force):
        return EXIT_USAGE
    try:
        outcome = build_example(args.example, target, replace=args.force)
    except FrameworkError as error:
        _say(f"错误：示例数据或框架定义有误：{error}", err=True)
        return EXIT_USAGE
    if not outcome.ok:
        _say(f"错误：{outcome.message}", err=True)
        return EXIT_SOME_FAILED
    _say(f"已生成示例工作簿并完成重算：{target}（总得分 {outcome.row.get('总得分')}）")
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


def _run_batch(args: argparse.Namespace, write: bool, freeze: bool = False, audit: bool = False) -> int:
    from . import batch

    sources, problems = batch.expand_paths(args.paths)
    out_dir = Path(args.output) if write and args.output else None
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            _say(f"错误：无法创建输出目录 {out_dir}（{error.strerror or error}）", err=True)
            return EXIT_USAGE
    jobs, refused = batch.plan_jobs(sources, out_dir, in_place=write and args.in_place, write=write, freeze=freeze)
    problems += refused
    progress = batch.Progress(len(jobs))
    outcomes = list(problems)
    for problem in problems:
        _say(f"失败  {problem.source}：{problem.message}", err=True)
    for outcome in batch.run(jobs, workers=args.jobs or batch.default_workers(), on_done=progress):
        if write:  # the written copy is calculated: "never calculated" was about the source only
            outcome.findings = [f for f in outcome.findings if f.kind != "未重算"]
        outcomes.append(outcome)
        if not outcome.ok:
            _say(f"失败  {outcome.source}：{outcome.message}（原文件未改动）", err=True)
        elif write:
            extra = f"；{outcome.message}" if outcome.message else ""
            frozen = f"{outcome.frozen} 个评分公式已替换为数值，" if freeze else ""
            _say(f"完成  {outcome.source} → {outcome.target}（{frozen}总得分 {outcome.row.get('总得分', '—')}）{extra}")
        _report_findings(outcome, verbose=not write)
    summary_failed = False
    if args.summary:
        from .summary import write_summary

        rows = [dict(o.row, 核查=len(o.findings)) if o.ok else o.row for o in outcomes]
        try:
            _say(f"汇总表：{write_summary(rows, Path(args.summary))}")
        except (OSError, ValueError) as error:
            _say(f"错误：汇总表未能保存（{error}）", err=True)
            summary_failed = True
    done = sum(o.ok for o in outcomes)
    failed = len(outcomes) - done
    _say(f"共 {len(outcomes)} 个文件：完成 {done} 个，失败 {failed} 个。")
    if audit:
        if failed:
            return AUDIT_UNREADABLE
        return AUDIT_FINDINGS if summary_failed or any(o.findings for o in outcomes) else AUDIT_PASSED
    return EXIT_SOME_FAILED if failed or summary_failed else EXIT_OK


def _report_findings(outcome, verbose: bool) -> None:
    if not outcome.findings:
        if verbose and outcome.ok:
            if getattr(outcome, "frozen_copy", False):
                _say(f"通过  {outcome.source}：定稿副本，保存的得分与按本文件基础数据重算的一致")
            else:
                _say(f"通过  {outcome.source}：所有公式保存的值与按规则重算的一致")
        return
    copy = "（定稿副本）" if getattr(outcome, "frozen_copy", False) else ""
    _say(f"核查  {outcome.source}{copy}：{len(outcome.findings)} 处需要核对")
    shown = outcome.findings if verbose else outcome.findings[:5]
    for finding in shown:
        _say(f"      [{finding.kind}] {finding.message}")
    if len(shown) < len(outcome.findings):
        _say(f"      ……另有 {len(outcome.findings) - len(shown)} 处，用 xladdin audit 查看全部")


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
    parser = argparse.ArgumentParser(
        prog="xladdin",
        description="部门整体支出绩效评价：Excel 评分函数、评分表模板与批量重算（无需 Excel）。",
    )
    sub = parser.add_subparsers(dest="command", metavar="命令")

    functions = sub.add_parser("functions", help="列出全部评分函数及其参数说明")
    functions.add_argument("--markdown", action="store_true", help="输出 Markdown（用于生成 docs/functions.md）")
    functions.set_defaults(run=cmd_functions)
    template = sub.add_parser("template", help="生成空白评分表模板（与框架表相同的行列和措辞）")
    template.add_argument("--framework", default="longgang_2020", metavar="名称", help="框架定义（workbook/frameworks/名称.toml 或 .toml 路径），默认 longgang_2020")
    template.add_argument("-o", "--output", required=True, metavar="文件", help="输出 .xlsx")
    template.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    template.set_defaults(run=cmd_template)

    example = sub.add_parser("example", help="生成填好报告示例数据并已重算的评分表")
    example.add_argument("--example", default="longgang_2020_seed", metavar="名称", help="示例数据（workbook/examples/名称.toml），默认龙岗区总工会2020年")
    example.add_argument("-o", "--output", required=True, metavar="文件", help="输出 .xlsx")
    example.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    example.set_defaults(run=cmd_example)

    demo = sub.add_parser("demo", help="演示：生成示例评分表、重算并打印评分结果")
    demo.add_argument("--example", default="longgang_2020_seed", metavar="名称", help=argparse.SUPPRESS)
    demo.add_argument("-o", "--output", default="out/示例_龙岗区总工会_2020.xlsx", metavar="文件", help="示例工作簿保存位置")
    demo.set_defaults(run=cmd_demo)

    for name, helptext, run in (
        ("recalc", "批量重算工作簿（无需 Excel），把结果写回文件", cmd_recalc),
        ("audit", "核查工作簿：列出手填的得分、保存的值与按规则重算不一致之处（不写文件）", cmd_audit),
    ):
        extra = {}
        if name == "audit":
            extra = dict(
                description=(
                    "核查工作簿（不写文件）。每个文件最重要的先列出：手填的得分（应为公式）、保存的值与按规则重算不一致之处；"
                    "未装加载项的软件保存的文件只报一行；从未计算过的文件报“未重算”；xladdin freeze 生成的定稿副本按其基础数据核对得分。"
                ),
                epilog=AUDIT_EXIT_TEXT,
            )
        command = sub.add_parser(name, help=helptext, **extra)
        command.add_argument("paths", nargs="+", metavar="路径", help="工作簿文件、文件夹或通配符（如 收文/*.xlsx）")
        if name == "recalc":
            where = command.add_mutually_exclusive_group()
            where.add_argument("-o", "--output", metavar="目录", help="结果写入此目录（原文件不动）")
            where.add_argument("--in-place", action="store_true", help="直接写回原文件（先写临时文件，成功后再替换）")
        command.add_argument("-j", "--jobs", type=int, default=0, metavar="N", help="并行进程数，默认为 CPU 核数")
        command.add_argument("--summary", metavar="文件", help="汇总表：.xlsx（带总得分图表）或 .csv")
        command.set_defaults(run=run)

    freeze = sub.add_parser(
        "freeze",
        help="生成便携副本：重算后把调用评分函数的公式替换为数值（其他公式不变），未装加载项的电脑和其他电子表格软件也显示相同得分",
    )
    freeze.add_argument("paths", nargs="+", metavar="路径", help="工作簿文件、文件夹或通配符（如 收文/*.xlsx）")
    freeze.add_argument("-o", "--output", required=True, metavar="目录", help="副本写入此目录（原文件不动）")
    freeze.add_argument("-j", "--jobs", type=int, default=0, metavar="N", help="并行进程数，默认为 CPU 核数")
    freeze.add_argument("--summary", metavar="文件", help="汇总表：.xlsx（带总得分图表）或 .csv")
    freeze.set_defaults(run=cmd_freeze)

    lite = sub.add_parser("lite", help="生成 xlwings Lite 用的 main.py（无需安装 Python）")
    lite.add_argument("-o", "--output", required=True, metavar="目录", help="输出目录")
    lite.set_defaults(run=cmd_lite)

    install = sub.add_parser("install", help="在用户的 xlwings.conf 中登记 udfs 和当前 Python（经典 xlwings 加载项）")
    install.add_argument("--config", metavar="文件", help="xlwings.conf 的路径（默认 ~/.xlwings/xlwings.conf）")
    install.set_defaults(run=cmd_install)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
        sys.stderr.reconfigure(encoding="utf-8", errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args)
    except KeyboardInterrupt:
        _say("已中断。", err=True)
        return EXIT_SOME_FAILED
    except OSError as error:  # a folder that cannot be created, a disk that is full …
        where = f"{error.filename}：" if error.filename else ""
        _say(f"错误：无法读写文件 {where}{error.strerror or error}。已有文件未被改动。", err=True)
        return EXIT_SOME_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
