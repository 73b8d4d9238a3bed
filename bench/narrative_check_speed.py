"""The numbers-in-text check on one section, as it runs after every keystroke (target: well under 50 ms).

    python bench/narrative_check_speed.py [--chars 5000] [--runs 41]

The section is the 情况说明 of seed 002 (收入、支出、财政拨款、功能分类、三公、机关运行经费、政府采购 —
the densest figures a real report has), cut or repeated to ``--chars`` characters, in the
xingxian sample (4 projects, functional classes).  Each run types one character more at the end,
so the parse cache never answers; timed: ``narrative_check.mismatches`` of the whole report
(parse + judge), the median and the worst over the runs.  Without the seed, a section is built
from the sample's own finance draft.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import narrative, narrative_check, scoring, storage, templates  # noqa: E402
from model.paths import samples_dir  # noqa: E402

SEED = ROOT.parent / "shared" / "seeds" / "002_43ac32fa39aba999.txt"


def section_text(report, chars: int) -> str:
    if SEED.exists():
        text = SEED.read_text(encoding="utf-8")
        start = text.index("第三部分 情况说明", text.index("第三部分 情况说明") + 10)  # the first is the contents
        base = text[start:text.index("（三）国有资产占用情况说明", start)]
    else:
        tpl = templates.get(report.template_id)
        base = narrative.draft(report, tpl, scoring.score(report, tpl), "finance")
    return (base * (chars // len(base) + 1))[:chars]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=41)
    args = ap.parse_args()
    report = storage.load(samples_dir() / "xingxian_2022.jxzp.json")
    tpl = templates.get(report.template_id)
    result = scoring.score(report, tpl)
    text = section_text(report, args.chars)
    times, found = [], 0
    for k in range(args.runs):
        report.narrative = {"other": text + "字" * k}
        t0 = time.perf_counter()
        found = len(narrative_check.mismatches(report, result))
        times.append((time.perf_counter() - t0) * 1000)
    print(f"{len(text)} characters, {args.runs} runs: median {statistics.median(times):.1f} ms, "
          f"worst {max(times):.1f} ms ({found} mismatches)")


if __name__ == "__main__":
    main()
