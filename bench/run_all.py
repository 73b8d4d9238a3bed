"""All the issue's performance figures in one table, each beside a baseline measured in the same run.

    python bench/run_all.py [--dist dist/jxzp] [--runs 5] [--no-libreoffice]

Rows (targets from issue #6):
- start-up to the main window shown (offscreen), from source and, if ``dist/jxzp`` exists,
  frozen: ``main.py --smoke`` against ``main.py --smoke bare`` (an empty QMainWindow in the
  same interpreter / the same frozen app) — target ≤ 1.3×;
- rescoring after one edit on ``bench.generate.large_report()`` (50 projects × 10 rows + 41
  department indicators), the model part of ``ui.document.Document.touched`` (``model.live``):
  an edit inside a project (that project rescored and checked again, the report-wide checks)
  and one outside the projects (the department part and the report-wide checks; no project
  rescored) — target ≤ 1 ms each; baseline: the full ``scoring.score`` + ``checks.check``;
- xlsx / pdf / docx export of the large report (each builder alone, and the three together as
  ``export.export_report`` makes them) — target together < 1.5 s and < ¼ of LibreOffice
  converting our xlsx to PDF (500 projects: bench/export_speed.py);
- save and open of the large report (``model.storage``) — ≤ 50 ms each; baseline: plain
  ``json.dumps`` / ``json.loads`` of the same document;
- peak memory (RSS high-water mark, ``resource.getrusage`` in a child process) with the large
  report open in the window and every step's page built — ≤ 200 MB; baseline: an empty QMainWindow shown;
- size of the one-folder build (``du -sb dist/jxzp``) — ≤ 130 MB.

Prints a Markdown table (for README “性能”) headed by the date and the machine.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA_DIR = tempfile.mkdtemp(prefix="jxzp-bench-")
# Children run as on a clerk's machine: Python keeps its compiled bytecode (some CI images switch that off,
# which would charge every start-up for compiling the source again).
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "QT_QPA_PLATFORM": "offscreen", "JXZP_DATA_DIR": DATA_DIR}
ROWS: list[tuple[str, str, str, str, str, str]] = []  # 项目, 测得, 基准, 比值, 目标, 达标


def row(name, value: float | None, unit: str, base: float | None = None, base_label: str = "",
        target: float | None = None, ratio_target: float | None = None, target_text: str = ""):
    """One table row; ``target`` bounds the value, ``ratio_target`` bounds value / base."""
    def fmt(v: float) -> str:
        return f"{v:.{2 if unit in ('ms', 's') and v < 10 else 1}f} {unit}"

    shown = fmt(value) if value is not None else "—"
    based = f"{fmt(base)}（{base_label}）" if base is not None else (base_label or "—")
    ratio = value / base if value is not None and base else None
    ok = []
    if value is not None and target is not None:
        ok.append(value <= target)
    if ratio is not None and ratio_target is not None:
        ok.append(ratio <= ratio_target)
    verdict = "—" if not ok else ("✓" if all(ok) else "✗")
    ROWS.append((name, shown, based, f"{ratio:.2f}×" if ratio is not None else "—", target_text or "—", verdict))
    print(f"  {name}: {shown}  基准 {based}  {verdict}", file=sys.stderr, flush=True)


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


# ------------------------------------------------------------------ start-up

def time_to_window(cmd: list[str]) -> float:
    """Seconds from starting ``cmd`` to its "window ok" line (the window shown and painted)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=ENV, cwd=DATA_DIR, text=True)
    for line in proc.stdout:
        if line.strip() == "window ok":
            elapsed = time.perf_counter() - start
            break
    else:
        proc.wait()
        raise RuntimeError(f"{cmd} printed no 'window ok' (exit {proc.returncode})")
    proc.stdout.read()
    if proc.wait() != 0:  # e.g. a step page that cannot be built: the figure would be of a broken app
        raise RuntimeError(f"{cmd} exited with {proc.returncode} after the window was shown")
    return elapsed


def startup(label: str, base_cmd: list[str], runs: int):
    app_cmd, bare_cmd = base_cmd + ["--smoke"], base_cmd + ["--smoke", "bare"]
    time_to_window(app_cmd), time_to_window(bare_cmd)  # warm the file cache
    app, bare = [], []
    for _ in range(runs):  # interleaved, so both see the same machine load
        app.append(time_to_window(app_cmd))
        bare.append(time_to_window(bare_cmd))
    row(f"启动到主窗口显示（{label}）", statistics.median(app), "s", statistics.median(bare), "空 QMainWindow",
        ratio_target=1.3, target_text="≤ 1.3× 基准")


# ------------------------------------------------------------------ model

def rescoring(report, runs: int):
    from model import checks, edits, live, scoring, templates

    tpl = templates.get(report.template_id)
    state = live.Live(report, tpl)  # what ui.document.Document keeps: edits rescore only what they change
    index = len(report.projects) // 5  # the edited project
    project_path = f"projects[{index}].indicators[1].weight"
    weights = [edits.get_at(report, project_path), edits.get_at(report, project_path) + 1]
    names = ["李四", "王五"]

    def one_edit():  # Document.touched for an edit inside one project
        edits.set_at(report, project_path, weights.reverse() or weights[0])
        state.edited(project_path)

    def outside_edit():  # … and for one outside the projects (basic info, finance, answers, narrative)
        edits.set_at(report, "basic.contact_person", names.reverse() or names[0])
        state.edited("basic.contact_person")

    def full():
        checks.check(report, tpl, scoring.score(report, tpl))

    one_edit(), outside_edit(), full()
    edit, outside, whole = median_ms(one_edit, runs * 20), median_ms(outside_edit, runs * 20), median_ms(full, runs * 4)
    row("一次编辑后重算（大报告，项目内，模型部分，中位数）", edit, "ms", whole, "全量计分+复核", target=1.0,
        target_text="≤ 1 ms")
    row("一次编辑后重算（大报告，项目外，模型部分，中位数）", outside, "ms", whole, "全量计分+复核", target=1.0,
        target_text="≤ 1 ms")
    # where the time goes, for the record
    r = state.result
    parts = {"with_project": lambda: scoring.with_project(r, report, tpl, index),
             "with_dept": lambda: scoring.with_dept(r, report, tpl),
             "project_checks": lambda: checks.project_checks(report, tpl, r, index),
             "general_checks": lambda: checks.general_checks(report, tpl, r)}
    detail = "，".join(f"{k} {median_ms(fn, runs * 20):.2f} ms" for k, fn in parts.items())
    print(f"    其中 {detail}", file=sys.stderr)
    return detail


def exports(report, runs: int, libreoffice: bool):
    from bench.export_speed import libreoffice_seconds, timed
    from export import builder, export_report
    from model import scoring, templates

    tpl = templates.get(report.template_id)
    result = scoring.score(report, tpl)
    seconds, xlsx = {}, b""
    for kind in ("xlsx", "pdf", "docx"):
        seconds[kind], data = timed(lambda k=kind: builder(k)(report, tpl, result), runs=max(3, runs // 2))
        xlsx = data if kind == "xlsx" else xlsx
    office = libreoffice_seconds(xlsx) if libreoffice else None
    for kind in ("xlsx", "pdf", "docx"):
        row(f"导出 {kind}（大报告）", seconds[kind], "s")
    with tempfile.TemporaryDirectory() as folder:  # the three as the 导出 step makes them (the tables once)
        total, _ = timed(lambda: export_report(report, tpl, folder, result=result), runs=max(3, runs // 2))
    row("导出 三种合计（大报告）", total, "s", office, "LibreOffice xlsx→pdf" if office else "LibreOffice 未测",
        target=1.5, ratio_target=0.25 if office else None, target_text="< 1.5 s 且 < ¼ LibreOffice")


def save_open(report, runs: int):
    from model import storage

    folder = Path(DATA_DIR) / "files"
    folder.mkdir(exist_ok=True)
    path = folder / f"large{storage.SUFFIX}"
    storage.save(report, path)
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text)
    save = median_ms(lambda: storage.save(report, path), runs * 2)
    plain_dump = median_ms(lambda: json.dumps(doc, ensure_ascii=False, indent=1), runs * 2)
    opened = median_ms(lambda: storage.load(path), runs * 2)
    plain_load = median_ms(lambda: json.loads(text), runs * 2)
    size = path.stat().st_size / 1024
    row(f"保存大报告（{size:.0f} KB，原子写入+fsync）", save, "ms", plain_dump, "json.dumps", target=50,
        target_text="≤ 50 ms")
    row("打开大报告", opened, "ms", plain_load, "json.loads", target=50, target_text="≤ 50 ms")


# ------------------------------------------------------------------ memory

CHILD = r"""
import resource, sys
sys.path.insert(0, {root!r})
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
if {bare!r}:
    window = QMainWindow()
else:
    from bench.generate import large_report
    from ui.app import ensure_cjk_font
    from ui.document import Document
    from ui.main_window import MainWindow
    ensure_cjk_font(app)
    window = MainWindow(Document(large_report()))
    window.pages  # every step built, as after the clerk has visited them all
    window.resize(1366, 768)
window.show()
for _ in range(5):
    app.processEvents()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss_mb(bare: bool) -> float | None:
    """The child's ``ru_maxrss``.  Linux keeps the high-water mark across fork+exec, so a child
    started by a big parent reports the parent's peak: main() runs this first, while this
    process is still small (plain Python, ~10 MB)."""
    if sys.platform == "win32":
        return None  # no resource module
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), bare=bare)], env=ENV, cwd=DATA_DIR,
                         capture_output=True, text=True, check=True).stdout
    kb = int(out.strip().splitlines()[-1])
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def memory(value: float | None, base: float | None):
    row("峰值内存（大报告在窗口中打开）", value, "MB", base, "空 QMainWindow", target=200, target_text="≤ 200 MB")


# ------------------------------------------------------------------ build size

def folder_bytes(folder: Path) -> int:
    if shutil.which("du") and sys.platform.startswith("linux"):
        return int(subprocess.run(["du", "-sb", str(folder)], capture_output=True, text=True,
                                  check=True).stdout.split()[0])
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def frozen_exe(dist: Path) -> Path | None:
    for name in ("jxzp-cli.exe", "jxzp"):
        if (dist / name).is_file():
            return dist / name
    return None


# ------------------------------------------------------------------ main

def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = platform.freedesktop_os_release().get("PRETTY_NAME", "") if hasattr(platform, "freedesktop_os_release") \
        and sys.platform.startswith("linux") else platform.platform()
    load = f"，开始时负载 {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return (f"{system or platform.platform()}，{cpu or platform.processor()}，{os.cpu_count()} 核{load}，"
            f"Python {platform.python_version()}，offscreen")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", default=str(ROOT / "dist" / "jxzp"), help="the one-folder build (default dist/jxzp)")
    parser.add_argument("--runs", type=int, default=5, help="runs per start-up median (default 5)")
    parser.add_argument("--no-libreoffice", action="store_true", help="skip the LibreOffice baseline")
    args = parser.parse_args()
    dist = Path(args.dist)
    header = machine()  # before the load this script adds itself

    peaks = peak_rss_mb(False), peak_rss_mb(True)  # first: see peak_rss_mb
    from bench.generate import large_report

    startup("源码", [sys.executable, str(ROOT / "main.py")], args.runs)
    exe = frozen_exe(dist)
    if exe:
        startup("打包", [str(exe)], args.runs)
    else:
        row("启动到主窗口显示（打包）", None, "s", None, f"未找到 {dist}，先运行 PyInstaller")
    detail = rescoring(large_report(), args.runs)
    exports(large_report(), args.runs, not args.no_libreoffice)
    save_open(large_report(), args.runs)
    memory(*peaks)
    if dist.is_dir():
        row("一体文件夹大小（du -sb dist/jxzp）", folder_bytes(dist) / 1e6, "MB", target=130, target_text="≤ 130 MB")
    else:
        row("一体文件夹大小", None, "MB", None, f"未找到 {dist}")

    print(f"{date.today().isoformat()}，{header}；大报告 = bench.generate.large_report()"
          "（50 项目 × 10 指标 + 41 部门指标）\n")
    print("| 项目 | 测得 | 同次基准 | 比值 | 目标 | 达标 |")
    print("|---|---|---|---|---|---|")
    for cells in ROWS:
        print("| " + " | ".join(cells) + " |")
    print(f"\n一次编辑后重算的构成：{detail}")
    shutil.rmtree(DATA_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
