"""A one-unit report's unit is named after the department, and follows it when 单位名称 changes.

A township report has one unit; its clerk should not have to invent a name for it.  The first
amount typed into 收支情况 creates the unit named after ``basic.department`` (``UnitsModel``);
from then on, while the report has exactly one unit and its name is still the department's
previous name (the clerk has not renamed it), renaming the department renames the unit too.

The rename rides along with the department edit rather than being an undo step of its own:
undoing or redoing the department edit fires ``changed`` again and the unit follows back, so
both stay in step however the clerk moves through the undo history.
"""
from __future__ import annotations

from model import edits

PATH = "finance.units[0].name"


class UnitNameFollower:
    def __init__(self, doc):
        self.doc = doc
        self.department = doc.report.basic.department
        doc.changed.connect(self._changed)

    def _changed(self, path: str):
        report = self.doc.report
        now = report.basic.department
        if path not in ("", "basic.department") or now == self.department:
            return
        before, self.department = self.department, now
        units = report.finance.units
        if len(units) == 1 and units[0].name == before:
            edits.set_at(report, PATH, now)
            self.doc.touched(PATH)
