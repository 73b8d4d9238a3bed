"""Time from one edit to the updated score panel (issue: median under 16 ms = one frame).

    python bench/edit_latency.py

Measures, on the largest sample and on a generated report (50 projects × 10 rows
+ 41 department indicators), the wall time of ``Document.set`` — which rescoring,
re-checking and every panel refresh run inside, synchronously — and, for comparison,
the pure model rescoring alone.
"""
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("JXZP_DATA_DIR", "/tmp/jxzp-bench")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.generate import large_report  # noqa: E402
from model import checks, scoring, storage  # noqa: E402
from model.paths import samples_dir  # noqa: E402
from ui.document import Document  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

RUNS = 41


def measure(window, path: str, values):
    app = QApplication.instance()
    times = []
    for value in values:
        start = time.perf_counter()
        window.doc.set(path, value)
        app.processEvents()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def model_only(report, n=RUNS):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        result = scoring.score(report)
        checks.check(report, None, result)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    app = QApplication.instance() or QApplication(sys.argv)
    largest = max(samples_dir().glob("*.jxzp.json"), key=lambda p: p.stat().st_size)
    cases = [(largest.name, storage.load(largest), "answers.special_fund_detail_rate.value"),
             ("生成：50 项目 × 10 指标 + 41 部门指标", large_report(), "projects[10].indicators[1].weight")]
    from decimal import Decimal

    print(f"{'报告':<40}{'编辑→面板 中位数':>16}{'最大':>10}{'仅计分+复核':>14}   目标 < 16 ms")
    for name, report, path in cases:
        window = MainWindow(Document(report))
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        values = [Decimal(90) + Decimal(i) / 10 for i in range(RUNS)]
        median, worst = measure(window, path, values)
        print(f"{name:<40}{median:>14.1f}ms{worst:>8.1f}ms{model_only(report):>12.1f}ms")
        window.doc.undo_stack.setClean()
        window.close()


if __name__ == "__main__":
    main()
