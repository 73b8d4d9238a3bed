"""绩效自评填报助手 — entry point: a command, or the window."""
from __future__ import annotations

import argparse
import sys


class ChineseParser(argparse.ArgumentParser):
    """argparse that explains bad arguments in Chinese and exits 2."""

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"错误：命令参数有误（{message}）。运行 python main.py --help 查看用法。", file=sys.stderr)
        sys.exit(2)


def build_parser() -> ChineseParser:
    parser = ChineseParser(prog="main.py", description="绩效自评填报助手：部门整体支出与项目支出绩效自评。")
    sub = parser.add_subparsers(dest="command", parser_class=ChineseParser, metavar="命令")
    for name, text in (("score", "计算报告得分：各指标、小计、总分（含按规则总分）和等次"),
                       ("check", "复核报告，列出错误/警告/提示；有错误时退出码为 1")):
        cmd = sub.add_parser(name, help=text, description=text)
        cmd.add_argument("file", help="报告文件（*.jxzp.json）")
        cmd.add_argument("--json", action="store_true", help="以 JSON 输出")
    sub.add_parser("templates", help="列出可用模板", description="列出可用模板")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        build_parser().print_help()
        return 0
    from model import cli

    return cli.run(args.command, args)


if __name__ == "__main__":
    sys.exit(main())
