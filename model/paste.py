"""Where a block copied from Excel or WPS goes in a table: the plan a table's paste follows.

What people copy: a block of cells (tab-separated lines; a cell with line breaks comes quoted),
often with its header line (“项目 | 金额（万元）”) and sometimes with its label column
(“一般公共预算财政拨款 | 1,482.43”).  ``plan`` finds the header (text where the block's
numbers are), reads a unit from it (万元 / 元: the figures are read in it), matches a label
column against the table's row labels when the table has them, counts the rows to add when the
block is longer than the rows below, and says all of it in one line.  Nothing is dropped
silently: what does not fit is in the summary.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Optional

from .money import MoneyError, parse_number

NUMERIC = ("amount", "number", "int", "override")


@dataclass
class PastePlan:
    cells: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column, text) in the table
    new_rows: int = 0
    summary: str = ""


def grid(text: str) -> list[list[str]]:
    """Lines of tab-separated cells as Excel/WPS put them on the clipboard (quoted cells keep line breaks)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    if not text:
        return []
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quotechar='"'))
    return [[c.strip() for c in row] for row in rows]


def _norm(text: str) -> str:
    return re.sub(r"[\s“”\"（）()：:、]", "", unicodedata.normalize("NFKC", text or ""))


def _numeric(text: str) -> bool:
    t = re.sub(r"(万元|万|元|%)$", "", _norm(text))
    if not t or t in ("-", "—"):
        return False
    try:
        parse_number(t, places=None)
    except MoneyError:
        return False
    return True


def _unit_in(texts: list[str]) -> Optional[str]:
    joined = "".join(_norm(t) for t in texts)
    if "万元" in joined:
        return "万"
    if re.search(r"(?<!万)元", joined):
        return "元"
    return None


def _label_row(label: str, labels: list[str]) -> Optional[int]:
    """The table row a pasted label names: the same words, or one that contains the other."""
    key = re.sub(r"^[一二三四五六七八九十\d]+[、.]|^其中", "", _norm(label))
    if not key:
        return None
    names = [_norm(x) for x in labels]
    for i, name in enumerate(names):
        if key == name:
            return i
    found = [i for i, name in enumerate(names) if key in name or name.endswith(key) or (len(name) > 2 and name in key)]
    return found[0] if len(found) == 1 else None


def plan(text: str, kinds: list[str], start_row: int, start_col: int, row_count: int,
         can_add_rows: bool = True, row_labels: Optional[list[str]] = None) -> PastePlan:
    """The cells a paste at (start_row, start_col) fills; ``kinds`` are the column kinds of the table
    (amount / number / text / …), ``row_labels`` the row headers of a table whose rows are fixed fields."""
    block = grid(text)
    out = PastePlan()
    if not block:
        out.summary = "剪贴板中没有可粘贴的内容。"
        return out
    notes: list[str] = []
    width = max(len(r) for r in block)
    target_kinds = [kinds[start_col + i] if start_col + i < len(kinds) else "" for i in range(width)]
    labelled = None
    if row_labels is not None and width >= 2:  # a label column: rows found by their names
        matches = [_label_row(r[0], row_labels) if r else None for r in block]
        if sum(m is not None for m in matches) >= max(1, (len(block) + 1) // 2):
            labelled = matches
            notes.append("按第一列的项目名称对应到行")
    first = block[0]
    value_cols = range(1, width) if labelled else [i for i, k in enumerate(target_kinds) if k in NUMERIC]
    unit = None
    if len(block) > 1 and value_cols and not any(_numeric(first[i]) for i in value_cols if i < len(first)) \
            and any(first[i] for i in value_cols if i < len(first)) \
            and any(_numeric(r[i]) for r in block[1:] for i in value_cols if i < len(r)):
        unit = _unit_in(first)
        notes.insert(0, f"跳过表头“{' '.join(c for c in first if c)[:30]}”")
        block = block[1:]
        if labelled:
            labelled = labelled[1:]
    if unit:
        notes.append(f"表头注明金额单位为{unit if unit == '元' else '万元'}，按此换算")
    skipped = 0
    if labelled:
        for line, row in zip(block, labelled):
            if row is None:
                skipped += 1
                continue
            for i, value in enumerate(line[1:]):
                out.cells.append((row, start_col + i, _with_unit(value, unit, kinds, start_col + i)))
        if skipped:
            notes.append(f"{skipped} 行的项目名称对应不上，未粘贴")
        rows_used = len(block) - skipped
    else:
        below = row_count - start_row
        if len(block) > below:
            if can_add_rows:
                out.new_rows = len(block) - below
                notes.append(f"新增 {out.new_rows} 行")
            else:
                notes.append(f"表格下方只有 {below} 行，其余 {len(block) - below} 行未粘贴")
                block = block[:below]
        for dr, line in enumerate(block):
            for dc, value in enumerate(line):
                if start_col + dc >= len(kinds):
                    continue
                out.cells.append((start_row + dr, start_col + dc, _with_unit(value, unit, kinds, start_col + dc)))
        rows_used = len(block)
        extra = width - (len(kinds) - start_col)
        if extra > 0:
            notes.append(f"右侧 {extra} 列超出表格，未粘贴")
    columns = width - 1 if labelled else min(width, len(kinds) - start_col)
    out.summary = f"粘贴 {rows_used} 行 {columns} 列" + ("：" + "，".join(notes) if notes else "") + "。"
    return out


def _with_unit(value: str, unit: Optional[str], kinds: list[str], col: int) -> str:
    """A bare figure under a 万元 / 元 header, read in that unit."""
    if unit and col < len(kinds) and kinds[col] == "amount" and value and not re.search(r"[万元]$", value):
        return value + unit
    return value
