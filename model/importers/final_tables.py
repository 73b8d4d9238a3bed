"""The 部门决算 tables inside a workbook: found by title, with their meta data and layout.

``find_tables(sheets)`` looks at every row of every sheet for a title naming
one of the ten 决算公开 tables (公开01–10表) — never at sheet order, sheet
name or table number, which differ by province — and splits a sheet holding
several tables at its title rows.  For each table it reads the meta lines
(公开NN表, 部门名称, 年度, 金额单位 元/万元) and finds the header rows (down to
the 栏次 row, or the 1 2 3 … row of the 三公经费表), so that a column can be
named by the texts above it (“本年支出 / 小计”) whatever the merges.

Matching tolerates what published tables do to labels: full-width and
half-width forms, blanks and line breaks inside labels (“社会保障和⏎就业支出”),
quotes or none around 三公, numbering like “八、” or “（一）”.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Optional

from ..money import CENT, MAX_ABS, WAN, LimitError, MoneyError, parse_number
from .common import ImporterError
from .workbook import Sheet, column_letter


class FinalAccountsError(ImporterError):
    """The workbook cannot be imported; the message names the place and what to do."""


# ---------------------------------------------------------------- text

_DROP = re.compile("[\\s“”\"'‘’「」『』]+")  # blanks, line breaks and quotes (one pass: str.translate is slow on CJK)


def norm(value: Any) -> str:
    """Text for matching: full-width → half-width, no blanks or line breaks, no quotes."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return _code_text(value)
    return _norm_text(str(value))


@functools.lru_cache(maxsize=1 << 16)
def _norm_text(text: str) -> str:
    # cached: the same labels are matched over and over while tables are found and read
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


def _shown(value: Any) -> str:
    """A cell's value for a message: long text cut (a message is read, not scrolled)."""
    text = str(value)
    return text if len(text) <= 30 else f"{text[:24]}…"


def _code_text(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value, "f")


_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[.、](?!\d)|其中:?|[:、.])")


def label_of(value: Any) -> str:
    """A row label without its numbering: “（一）行政单位” → 行政单位, “八、其他收入” → 其他收入."""
    text = norm(value)
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


# Blank markers seen in published tables.
BLANKS = {"", "-", "--", "/", "\\", "无", "本表无数据", "#N/A", "空"}
DASHES = re.compile(r"^[-—–－―─_]+$")

# ---------------------------------------------------------------- titles

OVERVIEW, INCOME, EXPENDITURE, FISCAL, GENERAL, DETAIL, THREE_PUBLIC, FUND, STATE_CAPITAL, INFO_TABLE = (
    "overview", "income", "expenditure", "fiscal_overview", "general", "general_detail",
    "three_public", "fund", "state_capital", "info")

TABLE_NAMES = {
    OVERVIEW: "收入支出决算总表",
    INCOME: "收入决算表",
    EXPENDITURE: "支出决算表",
    FISCAL: "财政拨款收入支出决算总表",
    GENERAL: "一般公共预算财政拨款支出决算表",
    DETAIL: "一般公共预算财政拨款支出决算明细表",
    THREE_PUBLIC: "财政拨款“三公”经费支出决算表",
    FUND: "政府性基金预算财政拨款收入支出决算表",
    STATE_CAPITAL: "国有资本经营预算财政拨款支出决算表",
    INFO_TABLE: "部门决算公开相关信息统计表",
}

# Normalised title endings → kind; the longest ending that fits wins, so
# “财政拨款收入支出决算总表” is never taken for “收入支出决算总表”.
_TITLE_VARIANTS = sorted([
    ("收入支出决算总表", OVERVIEW), ("收支决算总表", OVERVIEW),
    ("收入决算表", INCOME),
    ("支出决算表", EXPENDITURE),
    ("财政拨款收入支出决算总表", FISCAL), ("财政拨款收支决算总表", FISCAL),
    ("一般公共预算财政拨款支出决算表", GENERAL),
    ("一般公共预算财政拨款支出决算明细表", DETAIL),
    ("一般公共预算财政拨款基本支出决算明细表", DETAIL),
    ("一般公共预算财政拨款基本支出决算表", DETAIL),
    ("三公经费支出决算表", THREE_PUBLIC), ("三公经费支出决算明细表", THREE_PUBLIC),
    ("政府性基金预算财政拨款收入支出决算表", FUND), ("政府性基金预算财政拨款支出决算表", FUND),
    ("国有资本经营预算财政拨款支出决算表", STATE_CAPITAL),
    ("国有资本经营预算财政拨款收入支出决算表", STATE_CAPITAL),
    ("相关信息统计表", INFO_TABLE),
], key=lambda v: -len(v[0]))

_NUMBER_LABEL = re.compile(r"^(?:公开)?\d{1,2}表$|^附?表[\d一二三四五六七八九十]+$")
_TRAILING_NUMBER = re.compile(r"\(?(?:公开\d{1,2}表|附?表\d{1,2})\)?$")


def title_kind(text: str) -> Optional[str]:
    """The table kind a title row names, or None."""
    if not text or text.startswith(("注", "说明", "本表", "备注")):
        return None
    text = _TRAILING_NUMBER.sub("", text)
    for ending, kind in _TITLE_VARIANTS:
        if text.endswith(ending) and len(text) <= len(ending) + 40:
            return kind
    return None


# ---------------------------------------------------------------- tables

_DEPT = re.compile(r"^(?:部门|单位|编制单位|填报单位|预算单位|主管部门)(?:名称)?:(.*)$")
_YEAR = re.compile(r"^(\d{4})年度?(?:决算)?$")
_UNIT = re.compile(r"单位:?\(?(万元|元)\)?(?![\u4e00-\u9fff])")


@dataclass
class Table:
    """One 决算 table found in a sheet: rows [start, end) with its meta data and layout."""
    kind: str
    title: str
    sheet: Sheet
    start: int
    end: int
    number: str = ""  # 公开01表, when printed
    department: str = ""
    year: Optional[int] = None
    unit: str = ""  # 元 / 万元, "" when not stated
    header_start: int = 0
    header_end: int = 0  # inclusive; the 栏次 row when there is one
    data_start: int = 0
    numbered: bool = False  # header ends in a 栏次 / 1 2 3 … row

    @property
    def name(self) -> str:
        return self.number or self.title

    @property
    def factor(self) -> Decimal:
        return WAN if self.unit == "万元" else Decimal(1)

    def place(self, r: int, c: Optional[int] = None) -> str:
        where = f"{self.name}（{self.sheet.name}）第 {r + 1} 行"
        return where if c is None else f"{where} {column_letter(c)} 列"

    def cell(self, r: int, c: int) -> str:
        return f"{column_letter(c)}{r + 1}"

    def text(self, r: int, c: int) -> str:
        return norm(self.sheet.value(r, c))

    def raw(self, r: int, c: int) -> Any:
        return self.sheet.value(r, c)

    def ncols(self) -> int:
        return max((len(self.sheet.rows[r]) for r in range(self.start, self.end)), default=0)

    def own_cells(self, r: int) -> list[tuple[int, Any]]:
        """Non-empty cells of row r that are not copies of a merged range."""
        row = self.sheet.rows[r] if r < self.sheet.nrows else []
        return [(c, v) for c, v in enumerate(row) if v is not None and not self.sheet.is_copy(r, c)
                and norm(v) != ""]

    @property
    def size(self) -> int:
        """How many cells the body holds (0 for a title line in a 目录)."""
        return sum(len(self.own_cells(r)) for r in range(self.data_start, min(self.end, self.sheet.nrows)))

    def data_rows(self) -> range:
        return range(self.data_start, self.end)

    def header_parts(self, c: int) -> list[str]:
        """The header texts above column c, top to bottom (merged texts repeat → once)."""
        parts: list[str] = []
        last = self.header_end if not self.numbered else self.header_end - 1
        for r in range(self.header_start, last + 1):
            t = self.text(r, c)
            if t and (not parts or parts[-1] != t) and t != "栏次":
                parts.append(t)
        return parts

    def header(self, c: int) -> str:
        return "".join(self.header_parts(c))

    def num(self, r: int, c: int) -> Optional[Decimal]:
        """The amount in a cell, in 元; None when blank; FinalAccountsError when unreadable."""
        if self.sheet.is_copy(r, c):
            return None
        value = self.raw(r, c)
        if value is None:
            return None
        if isinstance(value, Decimal):
            number = value
        else:
            text = unicodedata.normalize("NFKC", str(value)).strip()
            compact = re.sub(r"\s+", "", text)
            if compact in BLANKS or DASHES.match(compact):
                return None
            negative = compact.startswith("(") and compact.endswith(")")
            try:
                number = parse_number(compact[1:-1] if negative else compact, places=None)  # rounded below
            except LimitError:
                raise self._out_of_range(r, c, value) from None
            except MoneyError:
                raise FinalAccountsError(
                    f"{self.place(r, c)}的“{_shown(value)}”不是数字。请在 Excel 或 WPS 中打开该文件，"
                    "把这个单元格改成数字（没有金额就留空）后保存，再重新导入。",
                    self.sheet.name, self.cell(r, c)) from None
            if negative:
                number = -number
        if not number.is_finite() or number.copy_abs() * self.factor > MAX_ABS:  # before rounding: no InvalidOperation
            raise self._out_of_range(r, c, value)
        return (number * self.factor).quantize(CENT, rounding=ROUND_HALF_UP)

    def _out_of_range(self, r: int, c: int, value: Any) -> FinalAccountsError:
        return FinalAccountsError(
            f"{self.place(r, c)}的“{_shown(value)}”超出金额范围（绝对值不能超过 10¹⁵ 即 1,000,000,000,000,000 元），不会是决算数。"
            "请在 Excel 或 WPS 中打开该文件，改正这个单元格后保存，再重新导入。",
            self.sheet.name, self.cell(r, c))

    def count(self, r: int, c: int) -> Optional[int]:
        """A count (车辆数): never scaled by 万元."""
        if self.sheet.is_copy(r, c):
            return None
        value = self.raw(r, c)
        if value is None:
            return None
        try:
            number = value if isinstance(value, Decimal) else parse_number(str(value), places=None)
        except LimitError:
            raise self._out_of_range(r, c, value) from None
        except MoneyError:
            compact = norm(value)
            if compact in BLANKS or DASHES.match(compact):
                return None
            raise FinalAccountsError(
                f"{self.place(r, c)}的“{_shown(value)}”不是数量。请改成整数（没有就留空）后重新导入。",
                self.sheet.name, self.cell(r, c)) from None
        if not number.is_finite() or number.copy_abs() > MAX_ABS:
            raise self._out_of_range(r, c, value)
        if number != number.to_integral_value():
            raise FinalAccountsError(
                f"{self.place(r, c)}的“{_shown(value)}”不是整数，车辆数应为整数。请改正后重新导入。",
                self.sheet.name, self.cell(r, c))
        return int(number)


def _is_meta(text: str) -> bool:
    return bool(_NUMBER_LABEL.match(text) or _DEPT.match(text) or _YEAR.match(text)
                or _UNIT.search(text) or title_kind(text))


def _is_numbering(table: Table, r: int) -> bool:
    """A 栏次 row printed as 1 2 3 … (三公经费表)."""
    values = [v for _, v in table.own_cells(r)]
    if len(values) < 3 or not all(isinstance(v, Decimal) and v == v.to_integral_value() for v in values):
        return False
    ints = sorted(int(v) for v in values)
    return ints == list(range(ints[0], ints[0] + len(ints))) and ints[0] in (0, 1)


CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")


def _looks_like_data(table: Table, r: int) -> bool:
    """The first body row: a number, a 科目编码 or 合计 (header rows hold only words)."""
    for _, v in table.own_cells(r):
        if isinstance(v, Decimal):
            return True
        t = norm(v)
        if CODE.match(t) or t in ("合计", "总计") or re.match(r"^[\d,.]+$", t):
            return True
    return False


def _layout(table: Table) -> None:
    """Read the meta rows (number, 部门, 年度, 金额单位) and find the header rows."""
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
            m = _UNIT.search(t)
            if m and not table.unit:
                table.unit = m.group(1)
        r += 1
    table.header_start = r
    if not table.unit:  # some print the unit in the header block or under the table
        for rr in range(table.start, table.end):
            for _, v in table.own_cells(rr):
                m = _UNIT.search(norm(v))
                if m:
                    table.unit = m.group(1)
                    break
            if table.unit:
                break
    for rr in range(table.header_start, min(table.header_start + 10, table.end)):
        cells = table.own_cells(rr)
        if cells and norm(cells[0][1]) == "栏次" or _is_numbering(table, rr):
            table.header_end, table.data_start, table.numbered = rr, rr + 1, True
            return
    for rr in range(table.header_start + 1, min(table.header_start + 10, table.end)):
        if _looks_like_data(table, rr):
            table.header_end, table.data_start = rr - 1, rr
            return
    table.header_end = table.data_start = table.header_start + 1


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
