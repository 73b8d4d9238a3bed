"""Tables inside a narrative section, written as plain text (no change to the file format).

A table is a run of consecutive lines in pipe form, the first row its header::

    表1 2021年度专项资金收支情况        ← optional title line (“表1 …”, “表一：…”)
    单位：万元                          ← optional unit line
    | 项目名称 | 财政拨款收入 | 财政拨款支出 |
    |---|---|---|                       ← optional separator (ASCII dashes), ignored
    | 州精准办工作经费 | 169.47 | 178.77 |
    | 合计 | 429.62 | 643.59 |

Leading and trailing pipes are optional (``a | b | c`` as clerks paste it),
the full-width ｜ is a pipe too, ``\\|`` is a pipe inside a cell.  A run needs
two rows, or one row written with both outer pipes; short rows are padded with
empty cells; a line of dashes only (``|---|---|``, ``———``) is a ruling and
skipped.  A blank line ends the table.  Columns whose cells are all numbers
(amounts, percentages, ``—`` for none) are right-aligned by the writers.

Everything here works on text only: the exports (``export.narrative``), the
numbers-in-text check, the 文字说明 editor and the drafts share it.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

PIPES = "|｜"
TITLE_RE = re.compile(r"^表\s*[0-9０-９一二三四五六七八九十]+(?:[-－—.．][0-9０-９]+)?(?=[\s：:、．.\u3000]|$)")
UNIT_RE = re.compile(r"^[（(]?\s*(?:金额|计量)?单位\s*[：:]\s*[^\s，。；]{1,10}\s*[）)]?$")
TITLE_MAX = 60
_RULE_CELL = re.compile(r":?[-=]+:?")
_RULE_LINE = re.compile(r"[-—–=_─━]{3,}")
NONE_MARKS = ("—", "-", "－", "——", "/", "／", "－－", "--", "…")
_NUMBER = re.compile(r"[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:%|‰|万元|亿元|元|万)?")
_FULL_DIGITS = str.maketrans("０１２３４５６７８９．，％－", "0123456789.,%-")


@dataclass(frozen=True)
class NarrativeTable:
    """One table of a narrative text: ``rows[0]`` is the header; every row has ``len(rows[0])`` cells.

    ``first`` / ``last``: the lines of the text it occupies (title and unit lines included).
    """
    rows: tuple[tuple[str, ...], ...]
    title: str = ""
    unit: str = ""
    first: int = 0
    last: int = 0

    @property
    def header(self) -> tuple[str, ...]:
        return self.rows[0] if self.rows else ()

    @property
    def body(self) -> tuple[tuple[str, ...], ...]:
        return self.rows[1:]

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def numeric_columns(self) -> list[bool]:
        """Per column: every filled body cell is a number (or “—” for none), and at least one is a number."""
        out = []
        for c in range(self.width):
            cells = [row[c].strip() for row in self.body if row[c].strip()]
            numbers = [cell for cell in cells if cell not in NONE_MARKS]
            out.append(bool(numbers) and all(is_number(cell) for cell in numbers))
        return out

    def text(self) -> str:
        return to_text(self.rows, self.title, self.unit)


# ---------------------------------------------------------------- one line

def is_number(cell: str) -> bool:
    """An amount, count or percentage as tables print them: ``1,482.43``, ``-3.5%``, ``１２``, ``26.03万元``."""
    return bool(_NUMBER.fullmatch(cell.strip().translate(_FULL_DIGITS)))


def has_pipe(line: str) -> bool:
    return any(p in line.replace("\\|", "").replace("\\｜", "") for p in PIPES)


def split_row(line: str) -> list[str]:
    """The cells of a pipe row: outer pipes optional, ``\\|`` kept as a pipe, cells stripped."""
    s = line.strip().replace("\u3000", " ").strip()
    s = s.replace("\\|", "\x01").replace("\\｜", "\x02")
    if s[:1] in PIPES:
        s = s[1:]
    if s[-1:] in PIPES:
        s = s[:-1]
    cells = re.split(f"[{PIPES}]", s)
    return [c.strip().replace("\x01", "|").replace("\x02", "｜") for c in cells]


def is_rule(line: str) -> bool:
    """A separator line: ``|---|:--:|`` or a line of dashes only."""
    s = line.strip()
    if not s:
        return False
    if not has_pipe(s):
        return bool(_RULE_LINE.fullmatch(s.replace(" ", "")))
    cells = [c for c in split_row(s)]
    return any(cells) and all(not c or _RULE_CELL.fullmatch(c.replace(" ", "")) for c in cells)


def _is_row(line: str) -> bool:
    """Two or more cells, or one cell between outer pipes (“| 合计 |”)."""
    return has_pipe(line) and (len(split_row(line)) >= 2 or _outer_pipes(line))


def _outer_pipes(line: str) -> bool:
    s = line.strip()
    return len(s) >= 2 and s[0] in PIPES and s[-1] in PIPES and not s.endswith(("\\|", "\\｜"))


def is_title(line: str) -> bool:
    s = line.strip().replace("\u3000", " ")
    return bool(TITLE_RE.match(s)) and len(s) <= TITLE_MAX and not s.endswith(("。", "；", ";"))


def is_unit(line: str) -> bool:
    return bool(UNIT_RE.match(line.strip().replace("\u3000", " ")))


# ---------------------------------------------------------------- whole texts

def _lines(text: str) -> list[str]:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")


@lru_cache(maxsize=256)
def find_tables(text: str) -> tuple[NarrativeTable, ...]:
    """Every table of ``text``, in order (cached: the check and the editor ask on every keystroke)."""
    if not text or not any(p in text for p in PIPES):
        return ()
    lines = _lines(text)
    out: list[NarrativeTable] = []
    i, n = 0, len(lines)
    while i < n:
        if not _is_row(lines[i]) or is_rule(lines[i]):
            i += 1
            continue
        start, rows, j = i, [], i
        while j < n and (_is_row(lines[j]) or (rows and is_rule(lines[j]))):
            if not is_rule(lines[j]):
                rows.append(split_row(lines[j]))
            j += 1
        last = j - 1
        if j < n and rows and is_rule(lines[j]) and not has_pipe(lines[j]):
            last = j  # a closing ruling line of dashes belongs to the table
        if len(rows) >= 2 or (rows and _outer_pipes(lines[start])):
            first, unit, title = start, "", ""
            if first > 0 and is_rule(lines[first - 1]) and not has_pipe(lines[first - 1]):
                first -= 1  # an opening ruling line
            if first > 0 and is_unit(lines[first - 1]):
                first -= 1
                unit = lines[first].strip()
            if first > 0 and is_title(lines[first - 1]):
                first -= 1
                title = lines[first].strip()
            width = max(len(r) for r in rows)
            padded = tuple(tuple(r + [""] * (width - len(r))) for r in rows)
            out.append(NarrativeTable(padded, title, unit, first, last))
        i = last + 1
    return tuple(out)


def segments(text: str) -> list:
    """The text as a sequence of lines (str) and tables (NarrativeTable), in order."""
    lines = _lines(text)
    out: list = []
    pos = 0
    for t in find_tables(text):
        out += lines[pos:t.first]
        out.append(t)
        pos = t.last + 1
    out += lines[pos:]
    return out


def table_at(text: str, line: int) -> NarrativeTable | None:
    """The table whose lines include ``line`` (0-based), if any."""
    return next((t for t in find_tables(text) if t.first <= line <= t.last), None)


def without_tables(text: str) -> str:
    """``text`` with every table's lines blanked (line count kept): the prose only."""
    tables = find_tables(text)
    if not tables:
        return text
    lines = _lines(text)
    for t in tables:
        for k in range(t.first, t.last + 1):
            lines[k] = ""
    return "\n".join(lines)


# ---------------------------------------------------------------- writing tables

def _cell_text(cell) -> str:
    s = re.sub(r"\s*[\r\n]+\s*", " ", str(cell if cell is not None else "")).strip()
    return s.replace("|", "\\|").replace("｜", "\\｜")


def to_text(rows, title: str = "", unit: str = "") -> str:
    """Rows (first = header) → the pipe block, with its title and unit lines when given.

    Rows are padded to the widest; a cell's line breaks become spaces and its pipes are escaped.
    """
    rows = [list(r) for r in rows]
    width = max((len(r) for r in rows), default=0)
    lines = []
    title = re.sub(r"\s*[\r\n]+\s*", " ", title or "").strip()
    if title:
        lines.append(title)
    unit = (unit or "").strip()
    if unit:
        lines.append(unit)
    for r in rows:
        cells = [_cell_text(c) for c in r] + [""] * (width - len(r))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def from_tsv(text: str) -> list[list[str]]:
    """Cells copied from Excel/WPS (tab-separated, quoted where a cell holds a line break) → rows.

    Trailing empty lines are dropped; rows are padded to the widest; line breaks inside a cell become spaces.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    rows = [[re.sub(r"\s*\n\s*", " ", c).strip() for c in row]
            for row in csv.reader(text.split("\n") if '"' not in text else _quoted_lines(text), delimiter="\t")]
    while rows and not any(c for c in rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _quoted_lines(text: str):
    import io

    return io.StringIO(text, newline="")


def looks_like_cells(text: str) -> bool:
    """Whether pasted plain text is a block of spreadsheet cells: two or more lines, every one with a tab."""
    lines = [line for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]
    return len(lines) >= 2 and all("\t" in line for line in lines)


# ---------------------------------------------------------------- references to tables in the prose

REFERENCE_RE = re.compile(r"(?:如|见|详见|参见)?下表(?:所示)?")
REFERENCE_REACH = 3  # a table must start within this many lines after the line that announces it


@lru_cache(maxsize=256)
def missing_tables(text: str) -> tuple[str, ...]:
    """The announcements (“如下表所示”, “见下表”, “详见下表”) that no table follows, as written
    (cached: the check runs on every keystroke).

    A table must begin within ``REFERENCE_REACH`` non-empty lines after the
    announcing line (title and unit lines count as the table).
    """
    if not text or "下表" not in text:
        return ()
    lines = _lines(text)
    starts = {t.first for t in find_tables(text)}
    inside = {k for t in find_tables(text) for k in range(t.first, t.last + 1)}
    out = []
    for i, line in enumerate(lines):
        if i in inside:
            continue
        m = REFERENCE_RE.search(line)
        if not m:
            continue
        seen, j, ok = 0, i + 1, False
        while j < len(lines) and seen < REFERENCE_REACH:
            if j in starts:
                ok = True
                break
            if lines[j].strip():
                seen += 1
                if REFERENCE_RE.search(lines[j]):
                    break
            j += 1
        if not ok:
            out.append(m.group(0))
    return tuple(out)
