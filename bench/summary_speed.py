"""汇总 speed and memory (issue 18): 100 reports × 20 projects × 10 indicators.

    python bench/summary_speed.py [--reports 100] [--projects 20] [--rows 10] [--runs 3]

The reports (``bench.generate.large_report``: the shilong sample's 41 department indicators plus
the generated projects, each report another unit) are saved into a temporary folder; then, each
in a fresh interpreter (as a clerk's first 汇总), median of ``--runs``:

- baseline: ``storage.load`` of every report, one after the other (what reading them costs at all);
- open to table: ``model.summary.open_summary(folder)`` — gather, read, score and check every report
  (worker processes, as the CLI and this default do) and the cross-unit findings; peak RSS of the
  process and of the largest worker;
- the same in one process (``workers=1``: how the 汇总 window opens them, in its worker thread);
- the 汇总 xlsx + pdf (``export.summary.build_xlsx`` / ``build_pdf``) of the opened summary.

Targets: open to table ≤ 2 s, xlsx + pdf ≤ 5 s, memory ≤ 400 MB.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_OPEN, TARGET_EXPORT, TARGET_MB = 2.0, 5.0, 400.0

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, ROOT)
t0 = time.perf_counter()
from pathlib import Path
from model import storage
from model.summary import open_summary
out = {}
if MODE == "load":
    for p in sorted(Path(FOLDER).glob("*.jxzp.json")):
        storage.load(p)
    out["seconds"] = time.perf_counter() - t0
else:
    s = open_summary([FOLDER], workers=WORKERS)
    out["seconds"] = time.perf_counter() - t0
    out["rows"] = len(s.rows)
    if MODE == "export":
        from export.summary import build_pdf, build_xlsx
        t1 = time.perf_counter()
        build_xlsx(s)
        out["xlsx"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        build_pdf(s)
        out["pdf"] = time.perf_counter() - t2
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["child_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(out))
"""


def child(mode: str, folder: str, workers=None) -> dict:
    code = CHILD.replace("ROOT", repr(str(ROOT))).replace("MODE", repr(mode)).replace("FOLDER", repr(folder))
    code = code.replace("WORKERS", repr(workers))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def make_reports(folder: Path, reports: int, projects: int, rows: int) -> int:
    from bench.generate import large_report
    from model import storage

    report = large_report(projects, rows)
    size = 0
    for i in range(reports):
        report.basic.department = f"生成单位{i + 1:03d}"
        for p, project in enumerate(report.projects):
            project.name = f"单位{i + 1:03d}项目{p + 1}"
        storage.save(report, folder / f"{i + 1:03d}.jxzp.json")
        size += (folder / f"{i + 1:03d}.jxzp.json").stat().st_size
    return size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100)
    ap.add_argument("--projects", type=int, default=20)
    ap.add_argument("--rows", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        size = make_reports(folder, args.reports, args.projects, args.rows)
        print(f"{args.reports} 份报告 × {args.projects} 个项目 × {args.rows} 个指标（另有 41 个部门指标），"
              f"共 {size / 2**20:.1f} MB；CPU {os.cpu_count()} 核；每项 {args.runs} 次取中位数")
        load = [child("load", tmp) for _ in range(args.runs)]
        opened = [child("open", tmp) for _ in range(args.runs)]
        single = [child("open", tmp, 1) for _ in range(args.runs)]
        exported = [child("export", tmp) for _ in range(args.runs)]

    def med(results, key):
        return statistics.median(r[key] for r in results)

    rss = max(max(r["rss_mb"], r["child_rss_mb"]) for r in opened + exported)
    both = statistics.median(r["xlsx"] + r["pdf"] for r in exported)
    print(f"基准：逐个 storage.load {args.reports} 份  {med(load, 'seconds'):.2f} s")
    print(f"打开到表格（工作进程）  {med(opened, 'seconds'):.2f} s  （{opened[0]['rows']} 行；目标 ≤ {TARGET_OPEN} s）"
          f"{' ✓' if med(opened, 'seconds') <= TARGET_OPEN else ' ✗'}")
    print(f"打开到表格（单进程，窗口的做法）  {med(single, 'seconds'):.2f} s")
    print(f"汇总表 xlsx {med(exported, 'xlsx'):.2f} s + pdf {med(exported, 'pdf'):.2f} s = {both:.2f} s"
          f"（目标 ≤ {TARGET_EXPORT} s）{' ✓' if both <= TARGET_EXPORT else ' ✗'}")
    print(f"峰值内存（进程与最大的工作进程）  {rss:.0f} MB（目标 ≤ {TARGET_MB:.0f} MB）{' ✓' if rss <= TARGET_MB else ' ✗'}")


if __name__ == "__main__":
    main()
