"""Finding the 部门决算 tables in a workbook: title, meta lines, header rows, first data row.

``find_tables(sheets)`` looks at every row of every sheet for a title naming
one of the ten 决算公开 tables (公开01–10表) — never at sheet order, sheet
name or table number, which differ by province — and splits a sheet holding
several tables at its title rows.  For each table it reads the meta lines
(公开NN表, 部门名称, 年度, 金额单位) and finds the header rows:

* the header ends at a 栏次 row — numbers 1 2 3 … printed as numbers or as
  text, with or without a “栏次” label, 甲/乙 for the label columns — when
  there is one;
* otherwise just above the first data row: a row holding an amount, a
  科目编码, or nothing but a 合计/总计 label (a header row holds only words,
  and a 合计 among other words is a column heading, as in the 三公经费表).

The 金额单位 is read from the meta lines, the title line, a 单位 cell anywhere
above the grid or a header like “决算数（万元）”, else from the notes under
the table; blank rows and columns anywhere are skipped.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..workbook import Sheet
from .tables import Table
from .text import CODE, norm, title_kind

_NUMBER_LABEL = re.compile(r"^(?:公开)?\d{1,2}表$|^附?表[\d一二三四五六七八九十]+$")
_DEPT = re.compile(r"^(?:部门|单位|编制单位|填报单位|预算单位|主管部门)(?:名称)?:(.*)$")
_YEAR = re.compile(r"^(\d{4})年度?(?:决算)?$")
_UNIT = re.compile(r"单位:?\(?(万元|元)\)?(?![\u4e00-\u9fff])")
_HEADER_UNIT = re.compile(r"\((万元|元)\)$")  # 决算数（万元）
_NUMERIC = re.compile(r"^\(?-?[\d,]*\.?\d+\)?$")
_LABEL_MARKS = {"栏次", "甲", "乙", "丙", "丁"}


def _is_meta(text: str) -> bool:
    return bool(_NUMBER_LABEL.match(text) or _DEPT.match(text) or _YEAR.match(text)
                or _UNIT.search(text) or title_kind(text))


def _integer(value) -> int | None:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else None
    text = norm(value)
    return int(float(text)) if re.fullmatch(r"\d{1,3}(?:\.0+)?", text) else None


def _is_numbering(table: Table, r: int) -> bool:
    """A 栏次 row: 1 2 3 … as numbers or text, after an optional 栏次 label (and 甲/乙 columns)."""
    values = [v for _, v in table.own_cells(r)]
    labelled = any(norm(v) == "栏次" for v in values)
    numbers = [_integer(v) for v in values if norm(v) not in _LABEL_MARKS]
    if any(n is None for n in numbers) or len(numbers) < (1 if labelled else 3):
        return False
    ints = sorted(numbers)
    return ints == list(range(ints[0], ints[0] + len(ints))) and ints[0] in (0, 1)


def _looks_like_data(table: Table, r: int) -> bool:
    """The first body row (layout rules in the module doc)."""
    cells = table.own_cells(r)
    texts = [norm(v) for _, v in cells]
    if texts and all(t in ("合计", "总计") for t in texts):
        return True
    return any(isinstance(v, Decimal) or CODE.match(t) or _NUMERIC.match(t) for (_, v), t in zip(cells, texts))


def _read_meta(table: Table) -> None:
    r = table.start + 1
    while r < table.end:
        cells = [norm(v) for _, v in table.own_cells(r)]
        if not cells:
            r += 1
            continue
        if not all(_is_meta(t) for t in cells):
            break
        for t in cells:
            if _NUMBER_LABEL.match(t) and not table.number:
                table.number = t
            m = _DEPT.match(t)
            if m and not table.department:
                table.department = re.split(r"\d{4}年|金额单位|单位:", m.group(1))[0]
            m = _YEAR.match(t) or re.search(r"(\d{4})年度", t)
            if m and table.year is None:
                table.year = int(m.group(1))
        r += 1
    table.header_start = r


def _read_unit(table: Table) -> None:
    """金额单位: meta lines, title, header or any cell above the data; else the notes under the table."""
    first = max(table.start, 0)
    for rows, pattern in ((range(first, table.data_start), _UNIT), (range(table.header_start, table.data_start),
                                                                    _HEADER_UNIT),
                          (range(table.data_start, table.end), _UNIT)):
        for r in rows:
            for _, v in table.own_cells(r):
                m = pattern.search(norm(v))
                if m:
                    table.unit = m.group(1)
                    return


def _find_header(table: Table) -> None:
    limit = min(table.header_start + 12, table.end)
    for r in range(table.header_start, limit):
        if _is_numbering(table, r):
            table.header_end, table.data_start, table.numbered = r, r + 1, True
            return
        if r > table.header_start and _looks_like_data(table, r):
            table.header_end, table.data_start = r - 1, r
            return
    table.header_end = table.data_start = table.header_start + 1


def _layout(table: Table) -> None:
    _read_meta(table)
    _find_header(table)
    _read_unit(table)


def find_tables(sheets: list[Sheet]) -> list[Table]:
    """Every 决算 table in the workbook, found by title rows (a sheet may hold several)."""
    found: list[Table] = []
    for sheet in sheets:
        titles: list[tuple[int, str, str]] = []
        for r, row in enumerate(sheet.rows):
            cells = [norm(v) for c, v in enumerate(row) if v is not None and not sheet.is_copy(r, c) and norm(v)]
            if not cells or len(cells) > 3:
                continue
            joined = "".join(cells)
            kind = title_kind(joined) or (title_kind(cells[0]) if len(cells) > 1 else None)
            if kind:
                titles.append((r, kind, joined))
        if not titles:
            kind = title_kind(norm(sheet.name))
            if kind and sheet.nrows:
                titles.append((-1, kind, sheet.name))
        for i, (r, kind, text) in enumerate(titles):
            end = titles[i + 1][0] if i + 1 < len(titles) else sheet.nrows
            table = Table(kind=kind, title=text, sheet=sheet, start=r, end=end)
            number = re.search(r"公开\d{1,2}表", text)
            table.number = number.group(0) if number else ""
            _layout(table)
            found.append(table)
    return found
