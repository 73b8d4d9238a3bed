"""绩效自评填报助手 — entry point: a command, or the window."""
from __future__ import annotations

import argparse
import os
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
    text = "导出模板：.yaml 为模板文件（可交给乡镇导入），.xlsx 为指标体系表（一级/分值/二级/分值/三级/分值/评分标准）"
    cmd = sub.add_parser("template-export", help=text, description=text)
    cmd.add_argument("template", metavar="TEMPLATE_ID", help="模板编号（python main.py templates 列出）")
    cmd.add_argument("output", help="导出的文件（.yaml 或 .xlsx）")
    text = "导入模板文件（.yaml）或财政局下发的指标体系表（.xlsx/.xls），校验后保存到“我的模板”，并列出未能识别的评分标准"
    cmd = sub.add_parser("template-import", help=text, description=text)
    cmd.add_argument("file", help="模板文件（.yaml）或指标体系表（.xlsx/.xls）")
    cmd.add_argument("--base", metavar="ID", default="national-dept-2013",
                     help="导入指标体系表时沿用其填报步骤、表格和文字说明的部门整体模板（默认 national-dept-2013）")
    cmd.add_argument("--id", metavar="NEW_ID", default="", help="新模板的编号（默认：模板文件中的编号，或“基础模板编号-导入”）")
    text = "从部门决算公开表（公开01–10表，.xlsx/.xls）导入收支数据：先列出将修改的项目，再保存（原文件留 .bak）"
    cmd = sub.add_parser("import-final", help=text, description=text)
    cmd.add_argument("file", help="报告文件（*.jxzp.json）")
    cmd.add_argument("workbook", help="部门决算工作簿（.xlsx 或 .xls）")
    cmd.add_argument("--dry-run", action="store_true", help="只预览将修改的项目，不写入报告文件")
    text = ("从项目支出绩效目标表（及部门整体绩效目标表，.xlsx/.xls）导入项目、资金和指标的年度指标值、分值："
            "先列出将修改的项目，再保存（原文件留 .bak）")
    cmd = sub.add_parser("import-targets", help=text, description=text)
    cmd.add_argument("file", help="报告文件（*.jxzp.json）")
    cmd.add_argument("workbook", help="绩效目标表工作簿（.xlsx 或 .xls）")
    cmd.add_argument("--dry-run", action="store_true", help="只预览将修改的项目，不写入报告文件")
    text = "把报告中各项目（及部门整体）的绩效目标导出为绩效目标表（.xlsx），可再用 import-targets 导入"
    cmd = sub.add_parser("export-targets", help=text, description=text)
    cmd.add_argument("file", help="报告文件（*.jxzp.json）")
    cmd.add_argument("output", help="导出的绩效目标表（.xlsx）")
    text = "导出 Excel/PDF/Word 文件（不指定格式时三种都导出）"
    cmd = sub.add_parser("export", help=text, description=text)
    cmd.add_argument("file", help="报告文件（*.jxzp.json）")
    cmd.add_argument("--review", action="store_true",
                     help="按主管部门审核分导出（文件名带“_审核”，与自评版本并存）")
    for kind, label in (("xlsx", "Excel 工作簿（官方表格）"), ("pdf", "PDF 打印版"), ("docx", "Word 文字报告")):
        cmd.add_argument(f"--{kind}", action="store_true", help=f"导出{label}")
    cmd.add_argument("-o", "--output", metavar="DIR", help="导出到的文件夹（默认为报告文件所在的文件夹）")
    text = "汇总多个单位的报告：列出各单位各项目的得分、状态和校验码及跨单位核对结果，导出汇总表（Excel/PDF）和汇总分析报告（Word）"
    cmd = sub.add_parser("summary", help=text, description=text)
    cmd.add_argument("paths", nargs="+", metavar="报告", help="报告文件（*.jxzp.json）、文件夹或压缩包（.zip）")
    cmd.add_argument("-o", "--output", metavar="DIR", required=True, help="汇总表和分析报告写入的文件夹")
    cmd.add_argument("--units", metavar="FILE", help="单位名单（文本文件每行一个，或 Excel 第一列），用于找出未报送的单位")
    cmd.add_argument("--county-budget", metavar="金额", help="全县（汇总单位）全年预算数，与各单位合计核对，如 12345.67 或 1.23万")
    cmd.add_argument("--county", metavar="名称", help="填报单位（汇总单位）名称，印在汇总表上")
    for kind, label in (("xlsx", "汇总表（Excel）"), ("pdf", "汇总表（PDF）"), ("docx", "汇总分析报告（Word）")):
        cmd.add_argument(f"--{kind}", action="store_true", help=f"导出{label}")
    text = "新建下一年度：由本年度报告生成下一年度报告，上年数取自本年度决算数"
    cmd = sub.add_parser("roll-forward", help=text, description=text)
    cmd.add_argument("file", help="本年度报告文件（*.jxzp.json）")
    cmd.add_argument("-o", "--output", metavar="NEWFILE", required=True, help="下一年度报告文件（*.jxzp.json）")
    cmd.add_argument("--keep-targets", action="store_true", help="保留各项目的年度指标值和预期目标（默认清空）")
    cmd.add_argument("--force", action="store_true", help="下一年度报告文件已存在时覆盖它")
    text = "Linux：在应用程序菜单中添加本软件（带图标），并让双击 .jxzp.json 报告文件时用本软件打开"
    cmd = sub.add_parser("desktop-entry", help=text, description=text)
    cmd.add_argument("--prefix", metavar="DIR",
                     help="写入的数据文件夹（默认为当前用户的 ~/.local/share；为所有用户安装时用 /usr/share，需要管理员权限）")
    return parser


def smoke(bare: bool = False) -> int:
    """Hidden ``--smoke [bare]`` (not in --help): show the start-up window without the recovery offer
    (``bare``: an empty QMainWindow, the baseline of bench/run_all.py), let Qt process events, print
    "window ok"; then build every step's page (each imported by name: a packaging slip shows here)
    and print "pages ok", exit 0.  tests/test_build.py runs it on the packaged app, offscreen."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    if bare:
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
    else:
        from ui.app import build, ensure_cjk_font
        from ui.input_method import application

        app = application(sys.argv[:1])  # as ui.app.run makes it
        ensure_cjk_font(app)
        window = build(None, recover=False)
    window.show()
    app.processEvents()
    print("window ok", flush=True)
    if not bare:
        window.pages  # noqa: B018  (raises if a step cannot be imported or built)
        print("pages ok", flush=True)
    window.close()
    return 0


def desktop_entry(prefix: str | None) -> int:
    if not sys.platform.startswith("linux"):
        print("错误：desktop-entry 只用于 Linux 桌面；Windows 上请右键 jxzp.exe →“发送到 → 桌面快捷方式”。", file=sys.stderr)
        return 2
    from pathlib import Path

    from ui.desktop_entry import install

    try:
        written = install(Path(prefix) if prefix else None)
    except OSError as e:
        where = prefix or "~/.local/share"
        print(f"错误：无法写入“{where}”（{e.strerror or e}）。为所有用户安装请用管理员权限（sudo）运行，"
              "或去掉 --prefix 只为当前用户安装。", file=sys.stderr)
        return 2
    print("已添加到应用程序菜单（办公类）：")
    for path in written:
        print(f"  {path}")
    print("如果菜单里暂时看不到，请注销后重新登录。")
    return 0


def utf8_output() -> None:
    """Standard output and error that never fail on a character (issue #13).

    Redirected to a file or a pipe, Windows Python writes in the ANSI code page (cp936 on a Chinese
    Windows, which has no ☑, −, 〓, rare characters or emoji): ``score FILE > out.txt`` crashed with
    UnicodeEncodeError.  A file or pipe now gets UTF-8 (no BOM: a BOM would break ``--json`` read by a
    script and shows as 锘 in ``type``).  A console is left as it is: on Windows Python writes to it with
    the wide-character API (its encoding reads utf-8), a Linux terminal gets its own encoding, and a
    character that encoding lacks becomes “?” instead of a crash.  ``PYTHONIOENCODING`` set by the
    user wins.  The windowed jxzp.exe has no streams at all (None).
    """
    if os.environ.get("PYTHONIOENCODING"):
        return
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if not hasattr(stream, "reconfigure") or encoding in ("utf-8", "utf8"):
            continue
        try:
            console = stream.isatty()
        except (OSError, ValueError):
            console = False
        try:
            stream.reconfigure(errors="replace") if console else stream.reconfigure(encoding="utf-8", errors="replace")
        except (OSError, ValueError):  # a closed or odd stream: leave it
            pass


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    utf8_output()
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)
    if argv[:1] == ["--version"]:
        from model.version import __version__

        print(f"绩效自评填报助手 {__version__}")
        return 0
    if argv[:1] == ["--smoke"]:
        return smoke(bare=argv[1:] == ["bare"])
    if argv[:1] not in (["-h"], ["--help"]) and (not argv or argv[0] not in commands):
        window = ChineseParser(prog="main.py", description="打开窗口；可给出要打开的报告文件。")
        window.add_argument("file", nargs="?", help="报告文件（*.jxzp.json）")
        window.add_argument("--demo", nargs="?", const="xiangxi_2021", metavar="示例名",
                            help="打开一份填好的示例报告（副本，保存时另存，不会改动示例）")
        opts = window.parse_args(argv)
        if opts.file and not os.path.isfile(opts.file):
            window.error(f"找不到报告文件或命令“{opts.file}”；命令有：{'、'.join(sorted(commands))}")
        from ui.app import run

        return run(opts.file, demo=opts.demo)
    args = parser.parse_args(argv)
    if args.command == "desktop-entry":
        return desktop_entry(args.prefix)
    if args.command == "export":
        from export import cli as export_cli

        return export_cli.run(args)
    if args.command == "export-targets":
        from export import cli as export_cli

        return export_cli.run_targets(args)
    if args.command == "summary":
        from export.summary import cli as summary_cli

        return summary_cli.run(args)
    from model import cli

    return cli.run(args.command, args)


if __name__ == "__main__":
    import multiprocessing

    # the packaged program started again as a worker of ``summary`` (model.summary opens many reports
    # in worker processes; on Windows they are new runs of jxzp-cli.exe): run the worker, not main()
    multiprocessing.freeze_support()
    try:
        sys.exit(main())
    except BrokenPipeError:  # ``main.py score … | head``: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        sys.exit(0)
