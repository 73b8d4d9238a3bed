"""Export speed and memory: xlsx + pdf + docx of the largest sample and of generated reports.

    python bench/export_speed.py [--sizes 50x10,500x20] [--runs 3] [--no-libreoffice]

Each report is exported in child processes (a fresh interpreter each, as a clerk's first export):

- one per kind, the builder alone (``export.builder(kind)``, median of ``--runs`` builds; the
  500-project report is built once per kind): seconds and the child's peak RSS;
- one for the three files together as the 导出 step makes them (``export.export_report``: the
  official tables made once, the files written): seconds and peak RSS — targets for
  500 projects × 20 indicators: ≤ 10 s, ≤ 400 MB;
- the copy of the report the 导出 step hands to its worker (``ui.worker.snapshot``, on the
  GUI thread) and the worker's ``restore``;
- for the 500-project report, the export as the window runs it (offscreen, every step's page
  built, the 导出 step's worker thread): seconds from 导出 to the list of files, the process's
  peak RSS (window and export), and the time of an edit (基本信息 text) made every 100 ms
  meanwhile, each with the panels' refresh — the window stays usable.

Beside them, the time LibreOffice takes to turn our xlsx into a PDF (the old baseline of
issue #6: ours < ¼ of it) when it is installed.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS, TARGET_MB = 10.0, 400.0

CHILD = r"""
import json, resource, statistics, sys, tempfile, time
sys.path.insert(0, {root!r})
from bench.generate import large_report
from model import scoring, storage, templates
from model.paths import samples_dir
case, kind, runs = {case!r}, {kind!r}, {runs!r}
if case.endswith(".jxzp.json"):
    report = storage.load(samples_dir() / case)
else:
    n, m = (int(x) for x in case.split("x"))
    report = large_report(n, m)
tpl = templates.get(report.template_id)
from export import builder, export_report
from export.fonts import get_fonts
get_fonts()  # found once per process (the 导出 step loads them in the background when it opens)
out = {{"rss_before_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}
if kind == "all":
    for k in ("xlsx", "pdf", "docx"):
        builder(k)  # the modules loaded, as the 导出 step does in the background when it opens
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        outcomes = export_report(report, tpl, folder)
        out["seconds"] = time.perf_counter() - start
        out["ok"] = all(o.ok for o in outcomes)
    from ui.worker import restore, snapshot
    start = time.perf_counter(); frozen = snapshot(report); out["snapshot_ms"] = (time.perf_counter() - start) * 1000
    start = time.perf_counter(); restore(frozen); out["restore_ms"] = (time.perf_counter() - start) * 1000
else:
    result = scoring.score(report, tpl)
    build = builder(kind)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        data = build(report, tpl, result)
        times.append(time.perf_counter() - start)
    out["seconds"] = statistics.median(times)
    if kind == "xlsx":
        import base64
        out["xlsx"] = base64.b64encode(bytes(data)).decode()
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


WINDOW = r"""
import json, os, resource, statistics, sys, tempfile, time
sys.path.insert(0, {root!r})
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
from bench.generate import large_report
from ui.document import Document
from ui.main_window import MainWindow
from ui.steps.export import ExportPage
n, m = (int(x) for x in {case!r}.split("x"))
window = MainWindow(Document(large_report(n, m)))
window.resize(1366, 768)
pages = window.pages
window.show()
app.processEvents()
row = next(i for i, p in enumerate(pages) if isinstance(p, ExportPage))
window.steps.setCurrentRow(row)
page = pages[row]
page.warming.join()
folder = tempfile.mkdtemp()
page.folder.setText(folder)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
page.run()
edits, k, next_edit = [], 0, time.perf_counter() + 0.1
while page.job is not None:
    app.processEvents()
    if time.perf_counter() >= next_edit:
        k += 1
        t = time.perf_counter()
        window.doc.set("basic.contact_person", f"联系人{{k}}")
        app.processEvents()
        edits.append((time.perf_counter() - t) * 1000)
        next_edit = time.perf_counter() + 0.1
    else:
        time.sleep(0.005)
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "ok": all(o.ok for o in page.outcomes or []),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rss_before_mb": before,
                  "edit_median_ms": statistics.median(edits) if edits else None,
                  "edit_max_ms": max(edits) if edits else None, "edits": len(edits)}}))
"""


def window_child(case: str) -> dict:
    env = {**os.environ, "JXZP_DATA_DIR": tempfile.mkdtemp(prefix="jxzp-bench-")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        out = subprocess.run([sys.executable, "-c", WINDOW.format(root=str(ROOT), case=case)], capture_output=True,
                             text=True, env=env, check=True)
    finally:
        shutil.rmtree(env["JXZP_DATA_DIR"], ignore_errors=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(case: str, kind: str, runs: int) -> dict:
    env = {**os.environ, "JXZP_DATA_DIR": tempfile.mkdtemp(prefix="jxzp-bench-")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    code = CHILD.format(root=str(ROOT), case=case, kind=kind, runs=runs)
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    finally:
        shutil.rmtree(env["JXZP_DATA_DIR"], ignore_errors=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def libreoffice_seconds(xlsx: bytes) -> float | None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        return None
    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder) / "r.xlsx"
        src.write_bytes(xlsx)
        cmd = [office, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
               "--outdir", folder, str(src)]
        subprocess.run(cmd, capture_output=True, timeout=600)  # first run creates the profile
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, timeout=600)
        return time.perf_counter() - start


def timed(fn, runs=3):
    """Median seconds of ``fn()`` and its last result (bench/run_all.py uses it)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def measure(case: str, runs: int, libreoffice: bool) -> dict:
    import base64

    big = not case.endswith(".jxzp.json") and int(case.split("x")[0]) >= 200
    row = {}
    for kind in ("xlsx", "pdf", "docx"):
        row[kind] = child(case, kind, 1 if big else runs)
    row["all"] = child(case, "all", 1)
    row["window"] = window_child(case) if big else None
    xlsx = base64.b64decode(row["xlsx"].pop("xlsx"))
    row["office"] = libreoffice_seconds(xlsx) if libreoffice and not big else None  # 500 sheets: minutes
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50x10,500x20", help="generated reports, projects x rows")
    parser.add_argument("--runs", type=int, default=3, help="builds per kind for the smaller reports (median)")
    parser.add_argument("--no-libreoffice", action="store_true")
    args = parser.parse_args(argv)
    from model.paths import samples_dir

    largest = max(samples_dir().glob("*.jxzp.json"), key=lambda p: p.stat().st_size).name
    cases = [(largest, largest)] + [(f"生成：{s.split('x')[0]} 项目 × {s.split('x')[1]} 指标", s)
                                    for s in filter(None, args.sizes.split(","))]
    load = f"，开始时负载 {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"{time.strftime('%Y-%m-%d')}，{os.cpu_count()} 核{load}，Python {sys.version.split()[0]}")
    print(f"{'报告':<26}{'xlsx':>14}{'pdf':>14}{'docx':>14}{'三种（导出步骤）':>20}{'LibreOffice':>14}")
    rows = {}
    for name, case in cases:
        r = rows[name] = measure(case, args.runs, not args.no_libreoffice)
        cells = [f"{r[k]['seconds']:.2f}s/{r[k]['rss_mb']:.0f}MB" for k in ("xlsx", "pdf", "docx")]
        together = f"{r['all']['seconds']:.2f}s/{r['all']['rss_mb']:.0f}MB"
        office = f"{r['office']:.2f}s" if r["office"] else "—"
        print(f"{name:<26}{cells[0]:>14}{cells[1]:>14}{cells[2]:>14}{together:>20}{office:>14}", flush=True)
        if case == "500x20":
            ok = r["all"]["seconds"] <= TARGET_SECONDS and r["all"]["rss_mb"] <= TARGET_MB
            print(f"{'':<26}目标：三种合计 ≤ {TARGET_SECONDS:.0f} s 且峰值 ≤ {TARGET_MB:.0f} MB  {'✓' if ok else '✗'}"
                  f"（问题单 #12 记录的旧数字：PDF 21.7 s / 593 MB，xlsx 12.4 s）")
        print(f"{'':<26}交给后台的报告副本：snapshot {r['all']['snapshot_ms']:.0f} ms（界面线程），"
              f"restore {r['all']['restore_ms']:.0f} ms（后台）；子进程载入报告后 {r['all']['rss_before_mb']:.0f} MB")
        w = r.get("window")
        if w:
            print(f"{'':<26}在窗口中导出（后台线程，各步骤页面已建）：{w['seconds']:.2f} s，进程峰值 {w['rss_mb']:.0f} MB"
                  f"（导出前 {w['rss_before_mb']:.0f} MB）；导出期间每 100 ms 一次编辑 {w['edits']} 次，"
                  f"编辑→面板 中位数 {w['edit_median_ms']:.1f} ms，最大 {w['edit_max_ms']:.1f} ms")
    return rows


if __name__ == "__main__":
    main()
