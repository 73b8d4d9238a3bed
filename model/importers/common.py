"""What every importer hands back: a preview of changes plus the problems found.

An importer never touches the report while reading.  It returns an
``ImportResult``: the ``changes`` it would make (path, label, old → new), the
paths whose value it confirmed unchanged, and ``problems`` (警告/提示 with the
sheet and cell they refer to); each change names its ``source`` and the
result the ``precision`` of imported figures.  The clerk looks at the preview; ``apply``
then writes the values and marks each path in ``Report.provenance`` as
"imported" so the UI can colour them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# The same severity words as model.checks (kept literal so importing stays light).
ERROR, WARNING, INFO = "错误", "警告", "提示"

__all__ = ["ERROR", "WARNING", "INFO", "Change", "ImportProblem", "ImportResult", "ImporterError", "describe",
           "preview_lines", "problem_line"]


class ImporterError(Exception):
    """A source file that cannot be imported; str() is the Chinese message (what and what to do).

    ``sheet`` and ``cell`` name the place when there is one (e.g. "Sheet1", "C9").
    Raising it means nothing was changed.
    """

    def __init__(self, message: str, sheet: str = "", cell: str = ""):
        super().__init__(message)
        self.sheet = sheet
        self.cell = cell


@dataclass
class Change:
    """One field the import would set: ``path`` as in model.edits, ``label`` for the clerk."""
    path: str
    label: str
    old: Any
    new: Any
    source: str = ""  # where the new value was read: 收入决算表（Sheet3）C8，万元


@dataclass
class ImportProblem:
    severity: str  # 错误 / 警告 / 提示 (model.checks)
    sheet: str
    cell: str
    message: str


@dataclass
class ImportResult:
    source: str = ""  # file name, for messages
    changes: list[Change] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # imported paths whose value already matched
    create_unit: str = ""  # name of the unit apply() creates first when the report has none
    found: list[str] = field(default_factory=list)  # human-readable list of what was recognised
    # report path → half a unit of the last digit its source printed, in 元 (Report.source_precision),
    # only where the source is coarser than a cent (a 万元 table: 50 元)
    precision: dict[str, Decimal] = field(default_factory=dict)

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.severity in (ERROR, WARNING)]


def describe(value: Any, unit: str = "yuan") -> str:
    """A value as a preview shows it: amounts in the report's unit, lists by size, empty as （空）."""
    from ..money import format_amount

    if value is None or value == "":
        return "（空）"
    if isinstance(value, Decimal):
        return format_amount(value, unit)
    if isinstance(value, list):
        return f"{len(value)} 行"
    return str(value)


def problem_line(p: ImportProblem) -> str:
    """[警告] message（Sheet3 C8）: the cell, unless the message already names the sheet."""
    where = f"（{p.sheet} {p.cell}）" if p.sheet and p.cell and p.sheet not in p.message else ""
    return f"[{p.severity}] {p.message}{where}"


def preview_lines(result: ImportResult, what: str, unit: str, nothing: str, notes: tuple[str, ...] = ()) -> list[str]:
    """The preview as the command line prints it: the ``what`` found, ``notes``, old → new per field with its
    source (``nothing`` when there is no change), the unchanged count and the problems."""
    from ..money import UNIT_LABELS

    lines = [f"从“{result.source}”找到 {len(result.found)} 张{what}："] + [f"  {f}" for f in result.found]
    lines += list(notes)
    if result.changes:
        lines.append(f"将更新 {len(result.changes)} 项（金额单位：{UNIT_LABELS.get(unit, unit)}）：")
        width = max(len(ch.label) for ch in result.changes)
        for ch in result.changes:
            source = f"  〔来源：{ch.source}〕" if ch.source else ""
            lines.append(f"  {ch.label.ljust(width, '　')}  {describe(ch.old, unit)} → {describe(ch.new, unit)}{source}")
    else:
        lines.append(nothing)
    if result.unchanged:
        lines.append(f"另有 {len(result.unchanged)} 项与报告中现有的值相同（含两边都为空），保持不变。")
    if result.problems:
        lines.append("核对发现：")
        lines += [f"  {problem_line(p)}" for p in result.problems]
    return lines
