"""How long importing a 决算 workbook takes: read + find tables + figures + preview against a report.

    python3 bench/import_speed.py            # medians of 21 runs per workbook

The workbooks are the committed fixtures (seed 002's ten tables): one sheet per table
(.xlsx and .xls), all on one sheet, and the 万元 copy.  Target: well under a second each.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.importers import final_accounts  # noqa: E402
from model.report import Report  # noqa: E402

DATA = ROOT / "tests" / "importers" / "data"
WORKBOOKS = ("tables.xlsx", "tables.xls", "stacked.xlsx", "wan.xlsx")


def main(runs: int = 21) -> None:
    print(f"决算导入（preview，{runs} 次中位数 / 最大值）")
    for name in WORKBOOKS:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            final_accounts.preview(DATA / name, Report(template_id="mof-project-2020", fiscal_year=2022))
            times.append((time.perf_counter() - start) * 1000)
        print(f"  {name:<14} {statistics.median(times):7.1f} ms  (max {max(times):.1f} ms)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 21)
