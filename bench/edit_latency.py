"""Time from one edit to the updated score panel (issue: median under 16 ms = one frame).

    python bench/edit_latency.py [--sizes 50,500] [--runs 41] [--no-pages]

Measures the wall time of ``Document.set`` — which rescoring, re-checking and every panel
refresh (score panel, 复核 list, step marks, open pages) run inside, synchronously — plus
the ``processEvents`` that paints the result, for each kind of edit:

- 项目单元格: a weight in a project's indicator table (only that project is rescored);
- 决算金额: an amount in the finance step;
- 部门指标: a department indicator's answer;
- 基本信息文字: the 联系人 text;
- 文字说明: one character more in a narrative section.

on the largest sample and on generated reports (``bench.generate.large_report``:
N projects × M indicator rows + the shilong sample's 41 department indicators;
default 50 × 10 and 500 × 20).  Every step's page is built first (as after the clerk
has visited them all), so their refreshes are counted too.  For comparison the pure
model work: a full ``scoring.score`` + ``checks.check`` of the same report.
Structure edits (a project inserted and removed again) are printed below the table.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("JXZP_DATA_DIR", "/tmp/jxzp-bench")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.generate import large_report  # noqa: E402
from model import checks, scoring, storage  # noqa: E402
from model.paths import samples_dir  # noqa: E402
from model.report import Project  # noqa: E402
from ui.document import Document  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

TARGET_MS = 16.0


def edits(report, runs: int):
    """(label, path, values) for each kind of edit the report has."""
    out = []
    if report.projects:
        i = len(report.projects) // 5
        out.append(("项目单元格", f"projects[{i}].indicators[1].weight",
                    [Decimal(5) + Decimal(k % 20) / 10 for k in range(runs)]))
    if report.finance.units:
        out.append(("决算金额", "finance.units[0].other_income",
                    [Decimal(1000 + k) for k in range(runs)]))
    if "special_fund_detail_rate" in report.answers:
        out.append(("部门指标", "answers.special_fund_detail_rate.value",
                    [Decimal(90) + Decimal(k) / 10 for k in range(runs)]))
    out.append(("基本信息文字", "basic.contact_person", [f"张{'三' * (1 + k % 3)}{k}" for k in range(runs)]))
    section = next(iter(report.narrative), None)
    if section:
        base = report.narrative[section]
        out.append(("文字说明", f"narrative.{section}", [base + "增" * (k + 1) for k in range(runs)]))
    return out


def measure(window, path: str, values) -> tuple[float, float]:
    app = QApplication.instance()
    times = []
    for value in values:
        start = time.perf_counter()
        window.doc.set(path, value)
        app.processEvents()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def structure(window, runs: int = 5) -> tuple[float, float]:
    """Median ms of inserting a project at the top, and of removing it again."""
    app = QApplication.instance()
    ins, rem = [], []
    for _ in range(runs):
        start = time.perf_counter()
        window.doc.insert("projects", 0, Project(name="插入的项目"))
        app.processEvents()
        ins.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        window.doc.remove("projects", 0)
        app.processEvents()
        rem.append((time.perf_counter() - start) * 1000)
    return statistics.median(ins), statistics.median(rem)


def model_only(report, n: int = 5) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        result = scoring.score(report)
        checks.check(report, None, result)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv=None) -> list[tuple]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50x10,500x20", help="generated reports, projects x rows (default 50x10,500x20)")
    parser.add_argument("--runs", type=int, default=41, help="edits per kind (default 41)")
    parser.add_argument("--no-pages", action="store_true", help="only the first step's page built")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    largest = max(samples_dir().glob("*.jxzp.json"), key=lambda p: p.stat().st_size)
    cases = [(largest.name, storage.load(largest))]
    for size in filter(None, args.sizes.split(",")):
        n, _, m = size.partition("x")
        cases.append((f"生成：{n} 项目 × {m or 10} 指标 + 41 部门指标", large_report(int(n), int(m or 10))))
    rows = []
    print(f"{'报告':<36}{'编辑':<12}{'中位数':>10}{'最大':>10}   目标：中位数 ≤ {TARGET_MS:.0f} ms")
    for name, report in cases:
        full = model_only(report)
        window = MainWindow(Document(report))
        window.resize(1366, 768)
        if not args.no_pages:
            window.pages  # every step built, as after the clerk has visited them all
        window.show()
        app.processEvents()
        for label, path, values in edits(report, args.runs):
            median, worst = measure(window, path, values)
            verdict = "✓" if median <= TARGET_MS else "✗"
            rows.append((name, label, median, worst))
            print(f"{name:<36}{label:<12}{median:>8.1f}ms{worst:>8.1f}ms   {verdict}", flush=True)
        if report.projects:
            ins, rem = structure(window)
            print(f"{'':<36}{'插入/删除项目':<12}{ins:>8.1f}ms{rem:>8.1f}ms   （结构变化，中位数）")
        print(f"{'':<36}{'全量计分+复核（仅模型，对照）':<12}{full:>8.1f}ms")
        window.doc.undo_stack.setClean()
        window.close()
        window.deleteLater()
        app.processEvents()
    return rows


if __name__ == "__main__":
    main()
