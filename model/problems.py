"""A 复核 problem and the collector the checks add them to (model.checks, model.project_review)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .money import UNIT_LABELS, format_amount
from .report import Report

ERROR, WARNING, INFO = "错误", "警告", "提示"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Problem:
    severity: str
    code: str
    step: str  # wizard step id (templates.SECTIONS)
    location: str  # field path, e.g. projects[0].indicators[2].override
    message: str
    action: str


class Collector:
    def __init__(self, report: Report):
        self.report = report
        self.items: list[Problem] = []

    def add(self, severity, code, step, location, message, action):
        self.items.append(Problem(severity, code, step, location, message, action))

    def money(self, value: Decimal) -> str:
        unit = self.report.display_unit
        return f"{format_amount(value, unit)}{UNIT_LABELS[unit]}"
