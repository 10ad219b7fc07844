"""The command line ``xladdin``: a thin layer over udfs, workbook and the headless engine.

Every message a finance user reads is Chinese first; the exit status says whether
anything failed (0 all done, 1 some file failed, 2 the command itself was wrong).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional, Sequence

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xladdin",
        description="部门整体支出绩效评价：Excel 评分函数、评分表模板与批量重算（无需 Excel）。",
    )
    sub = parser.add_subparsers(dest="command", metavar="命令")

    functions = sub.add_parser("functions", help="列出全部评分函数及其参数说明")
    functions.add_argument("--markdown", action="store_true", help="输出 Markdown（用于生成 docs/functions.md）")
    functions.set_defaults(run=cmd_functions)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
