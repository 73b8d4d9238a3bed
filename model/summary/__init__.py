"""汇总: many units' reports in one table (issue 18).

``open_summary(paths, units=None, county_budget=None)`` gathers the reports of the given files,
folders and zips (``sources``), opens, scores and checks each one (``entry``: one row per project
and one for the department part), and runs the checks across units (``cross``).  The county's
reviewer scores live in each unit's file (``review``).  Pure Python, no Qt: the CLI ``summary``
command, the 汇总 window (``ui.summary``) and ``export.summary`` all read a ``Summary``.

Many reports are opened in worker processes (a report of 20 projects takes about 30 ms to read,
score and check; a hundred of them would be 3 s in one process): entries are plain data and
come back in the order of the files.
"""
from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from .cross import Finding, findings, first_copies
from .entry import DEPT_PART, Entry, Row, open_entry  # noqa: F401  (the package's API)
from .review import STATES, ReviewError, save_review  # noqa: F401
from .sources import Source, gather  # noqa: F401

GRADES = ("优", "良", "中", "差")
PARALLEL_FROM = 8  # fewer reports open faster in this process than worker processes start


@dataclass
class Summary:
    entries: list[Entry]
    problems: list[str] = field(default_factory=list)  # paths that could not be gathered
    findings: list[Finding] = field(default_factory=list)
    units: Optional[list[str]] = None  # the county's unit list, when given
    county_budget: Optional[Decimal] = None

    @property
    def rows(self) -> list[tuple[Entry, Row]]:
        return [(e, r) for e in self.entries for r in e.rows]

    @property
    def copies(self) -> set[int]:
        """ids of the entries that repeat an earlier report (the same 校验码): listed, counted once."""
        opened = [e for e in self.entries if not e.error]
        return {id(e) for e in opened} - {id(e) for e in first_copies(opened)}

    @property
    def counted_rows(self) -> list[Row]:
        """The rows of every report once, however many copies came in (what totals and 等次 count)."""
        copies = self.copies
        return [r for e in self.entries if id(e) not in copies for r in e.rows]

    @property
    def failed(self) -> list[Entry]:
        return [e for e in self.entries if e.error]

    def refresh_findings(self) -> None:
        self.findings = findings(self.entries, self.units, self.county_budget)

    def replace(self, entry: Entry) -> None:
        """Put a re-opened entry in place of the one of the same source (a file changed on disk)."""
        self.entries = [entry if e.source == entry.source else e for e in self.entries]
        self.refresh_findings()


def grade_counts(rows) -> Counter:
    """优/良/中/差 among ``rows`` (Row objects), and 未评完 for those without a grade."""
    counts = Counter({g: 0 for g in GRADES})
    for r in rows:
        counts[r.grade or "未评完"] += 1
    return counts


def open_entries(sources: list[Source], workers: Optional[int] = None, progress=None) -> list[Entry]:
    """``open_entry`` for each source, in order; in worker processes when there are many.
    ``progress(done, total)`` after each report."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    out: list[Entry] = []
    if workers > 1 and len(sources) >= PARALLEL_FROM:
        with ProcessPoolExecutor(min(workers, 8)) as pool:
            for entry in pool.map(open_entry, sources, chunksize=max(1, len(sources) // (workers * 4))):
                out.append(entry)
                if progress is not None:
                    progress(len(out), len(sources))
        return out
    for source in sources:
        out.append(open_entry(source))
        if progress is not None:
            progress(len(out), len(sources))
    return out


def open_summary(paths, units: Optional[list[str]] = None, county_budget: Optional[Decimal] = None,
                 workers: Optional[int] = None, progress=None) -> Summary:
    sources, problems = gather(paths)
    summary = Summary(open_entries(sources, workers, progress), problems, units=units, county_budget=county_budget)
    summary.refresh_findings()
    return summary
