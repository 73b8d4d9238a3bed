"""One 决算 table found in a sheet: where it is, its header texts per column, its cells as amounts.

The header texts of a column (``header_parts``) are read top to bottom over the
header rows.  A group word printed only above the first column of its group
(“预算数” over 合计…公务接待费 when the cells are not merged, “本年支出” over
小计/基本支出/项目支出) applies to the columns to its right until the next word
in that row, as far as the rows below have their own header texts: that is how
a merged range reads, and how a printed table reads to a person.  A column's
amounts are its own cells; a merged cell's copies never count twice.

How exact a figure is (``half_unit``): half a unit of the last digit the table
prints, in 元.  A number cell's decimals are its number format's
(“#,##0.00” → 2: a cell showing 2.10 stores 2.1), else the digits it stores; a
text cell's are its printed digits.  A cell counts at least the decimals most
of the table's fractional amounts have, and more when it prints more
(2.098 万元 → 5 元).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Optional

from ...money import CENT, MAX_ABS, WAN, LimitError, MoneyError, parse_number
from ..workbook import Sheet, column_letter
from .text import BLANKS, DASHES, TABLE_NAMES, FinalAccountsError, norm, shown

HALF = Decimal("0.5")


@dataclass(eq=False)
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
    used: set[int] = field(default_factory=set)  # columns a reader gave a role (label, code, 行次, amount)
    _heads: Optional[dict[int, list[str]]] = field(default=None, repr=False)
    _decimals: Optional[int] = field(default=None, repr=False)

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

    def source(self, r: int, c: int) -> str:
        """Where a figure was read, for the preview: 收入决算表（Sheet3）C8."""
        return f"{TABLE_NAMES[self.kind]}（{self.sheet.name}）{self.cell(r, c)}"

    def text(self, r: int, c: int) -> str:
        return norm(self.sheet.value(r, c))

    def raw(self, r: int, c: int) -> Any:
        return self.sheet.value(r, c)

    def ncols(self) -> int:
        return max((len(self.sheet.rows[r]) for r in range(self.start, min(self.end, self.sheet.nrows))), default=0)

    def own_cells(self, r: int) -> list[tuple[int, Any]]:
        """Non-empty cells of row r that are not copies of a merged range."""
        row = self.sheet.rows[r] if 0 <= r < self.sheet.nrows else []
        return [(c, v) for c, v in enumerate(row) if v is not None and not self.sheet.is_copy(r, c)
                and norm(v) != ""]

    @property
    def size(self) -> int:
        """How many cells the body holds (0 for a title line in a 目录)."""
        return sum(len(self.own_cells(r)) for r in range(self.data_start, min(self.end, self.sheet.nrows)))

    def data_rows(self) -> range:
        return range(self.data_start, self.end)

    def use(self, *cols: Optional[int]) -> None:
        self.used.update(c for c in cols if c is not None)

    # ------------------------------------------------------------ header

    def header_parts(self, c: int) -> list[str]:
        """The header texts above column c, top to bottom (merged or group texts repeat → once)."""
        if self._heads is None:
            self._heads = self._read_header()
        return self._heads.get(c, [])

    def header(self, c: int) -> str:
        return "".join(self.header_parts(c))

    def _read_header(self) -> dict[int, list[str]]:
        last = self.header_end - 1 if self.numbered else self.header_end
        rows = list(range(self.header_start, last + 1))
        ncols = self.ncols()
        texts = {r: {c: self.text(r, c) for c in range(ncols)} for r in rows}
        own = {r: {c for c, _ in self.own_cells(r)} for r in rows}
        grid = {r: dict(row) for r, row in texts.items()}
        for i, r in enumerate(rows):  # group words over the columns to their right (module doc)
            below = rows[i + 1:]
            for c in range(ncols):
                word = grid[r][c] if c in own[r] else ""
                if not word:
                    continue
                for cc in range(c + 1, ncols):
                    if self.sheet.value(r, cc) is not None or any(cc in own[a] for a in rows[:i]):
                        break
                    if any(texts[b][cc] for b in below):
                        grid[r][cc] = word
                    elif any(texts[b][cc] for b in rows):
                        break  # a column headed on its own: the group has ended
                    # else a blank spacer column: the group goes on past it
        heads: dict[int, list[str]] = {}
        for c in range(ncols):
            parts: list[str] = []
            for r in rows:
                t = grid[r][c]
                if t and t not in parts and t != "栏次":
                    parts.append(t)
            heads[c] = parts
        return heads

    # ------------------------------------------------------------ cells

    def _number(self, r: int, c: int) -> Optional[tuple[Decimal, int]]:
        """A cell's number as printed and its decimals; None when blank; FinalAccountsError when unreadable."""
        if self.sheet.is_copy(r, c):
            return None
        value = self.raw(r, c)
        if value is None:
            return None
        if isinstance(value, Decimal):
            number = value
            places = self.sheet.places.get((r, c))
            if places is None:  # no number format that says: the digits stored
                places = max(0, -number.normalize().as_tuple().exponent) if number.is_finite() else 0
        else:
            compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))
            if compact in BLANKS or DASHES.match(compact):
                return None
            negative = compact.startswith("(") and compact.endswith(")")
            digits = compact[1:-1] if negative else compact
            try:
                number = parse_number(digits, places=None)  # rounded below
            except LimitError:
                raise self._out_of_range(r, c, value) from None
            except MoneyError:
                raise FinalAccountsError(
                    f"{self.place(r, c)}的“{shown(value)}”不是数字。请在 Excel 或 WPS 中打开该文件，"
                    "把这个单元格改成数字（没有金额就留空）后保存，再重新导入。",
                    self.sheet.name, self.cell(r, c)) from None
            places = len(digits.split(".", 1)[1]) if "." in digits else 0
            if negative:
                number = -number
        if not number.is_finite() or number.copy_abs() * self.factor > MAX_ABS:  # before rounding: no InvalidOperation
            raise self._out_of_range(r, c, value)
        return number, places

    def num(self, r: int, c: int) -> Optional[Decimal]:
        """The amount in a cell, in 元; None when blank; FinalAccountsError when unreadable."""
        read = self._number(r, c)
        return None if read is None else (read[0] * self.factor).quantize(CENT, rounding=ROUND_HALF_UP)

    def places(self, r: int, c: int) -> int:
        """The decimals of the cell's last printed digit (module doc)."""
        read = self._number(r, c)
        return max(read[1] if read else 0, self.decimals)

    def half_unit(self, r: int, c: int) -> Decimal:
        """Half a unit of the last digit the cell prints, in 元."""
        return HALF * self.factor / Decimal(10) ** self.places(r, c)

    @property
    def decimals(self) -> int:
        """The decimals most of the table's fractional amounts print (0 when all are whole)."""
        if self._decimals is None:
            seen: Counter = Counter()
            for r in self.data_rows():
                for c, _ in self.own_cells(r):
                    if c not in self.used:
                        continue
                    try:
                        read = self._number(r, c)
                    except FinalAccountsError:
                        continue
                    if read and read[1]:
                        seen[read[1]] += 1
            self._decimals = seen.most_common(1)[0][0] if seen else 0
        return self._decimals

    def _out_of_range(self, r: int, c: int, value: Any) -> FinalAccountsError:
        return FinalAccountsError(
            f"{self.place(r, c)}的“{shown(value)}”超出金额范围（绝对值不能超过 10¹⁵ 即 1,000,000,000,000,000 元），不会是决算数。"
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
                f"{self.place(r, c)}的“{shown(value)}”不是数量。请改成整数（没有就留空）后重新导入。",
                self.sheet.name, self.cell(r, c)) from None
        if not number.is_finite() or number.copy_abs() > MAX_ABS:
            raise self._out_of_range(r, c, value)
        if number != number.to_integral_value():
            raise FinalAccountsError(
                f"{self.place(r, c)}的“{shown(value)}”不是整数，车辆数应为整数。请改正后重新导入。",
                self.sheet.name, self.cell(r, c))
        return int(number)
