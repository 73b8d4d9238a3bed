"""The narrative report as blocks (headings and body paragraphs), shared by the PDF and Word writers.

Heading levels follow 公文 numbering at the start of a line (GB/T 9704):
“一、” level 1 (黑体), “（一）” level 2 (楷体), “1.” / “1、” level 3 and
“（1）” level 4 (仿宋).  Clerks often write a heading and its paragraph on one
line (“（一）全力巩固成果。教育保障方面，…”): then the heading is the lead
sentence (``lead``) and the rest is body text in the same paragraph (run-in).
A numbered line that reads like a sentence (a list item such as “1、负责编制
乡村振兴规划，牵头实施…”) stays a body paragraph.  Blank lines are dropped.

A run of pipe rows (``model.narrative_tables``: “| 项目 | 金额 |”, optionally
under a “表1 …” title and a “单位：万元” line) is one table block: ``table``
holds its rows, the first row its header; ``table_grid`` lays it out as a
neutral Grid for the PDF and Word writers (numbers right-aligned).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from model.narrative_tables import NONE_MARKS, NarrativeTable, segments

from .grid import Cell, Grid, text_width

CN_NUM = "一二三四五六七八九十百零〇"
# (level, pattern); the pattern matches the numbering prefix including trailing spaces.
NUMBERING = (
    (1, re.compile(rf"^[{CN_NUM}]+[、，．.]\s*")),
    (2, re.compile(rf"^[（(]\s*[{CN_NUM}]+\s*[）)][、，．.]?\s*")),
    (3, re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))\s*")),
    (4, re.compile(r"^[（(]\s*\d{1,2}\s*[）)][、．.]?\s*")),
)
SENTENCE_END = "。；！？;!?"
HEADING_MAX = 40  # characters after the number: longer leads are sentences, not headings
RUN_IN_MAX = 30  # the same for the lead sentence of a level-3/4 run-in heading
LABEL_MAX = 15  # “收支预算：” ends a run-in lead only this close to the number


@dataclass(frozen=True)
class Block:
    """One paragraph of the narrative.

    ``level`` 0 = body; 1–4 = a heading of that level.  For a run-in heading
    ``lead`` is the heading part and ``rest`` the body text after it
    (``text == lead + rest``); for a plain heading ``rest`` is empty.
    ``numbered`` is the numbering level of a body paragraph that starts like
    a list item (0 when it has none).  A table block has ``table`` set
    (level 0; ``text`` is its pipe text as written back).
    """
    level: int
    text: str
    lead: str = ""
    rest: str = ""
    numbered: int = 0
    table: Optional[NarrativeTable] = None

    @property
    def is_table(self) -> bool:
        return self.table is not None

    @property
    def is_heading(self) -> bool:
        return self.level > 0

    @property
    def run_in(self) -> bool:
        return self.level > 0 and bool(self.rest)


def numbering_level(line: str) -> tuple[int, str]:
    """(level, prefix) of the 公文 numbering a line starts with; (0, "") when none."""
    for level, pattern in NUMBERING:
        m = pattern.match(line)
        if m:
            return level, m.group(0)
    return 0, ""


def parse_line(line: str) -> Block:
    """One line → a block.

    A numbered line is a heading when it is a short title (no sentence end,
    commas allowed: “1、以四个坚持为导向，引领脱贫攻坚收官战”) or a short lead
    sentence followed by more text (run-in: “1、强力推进有效衔接。组织…”, “1.收支预算：…”).
    A level-3/4 line that is one complete sentence (“2、开展防止返贫动态监测…帮扶。”)
    is a list item: a body paragraph.  Levels 1/2 ending in “。” stay headings
    (“（一）部门（单位）基本情况。”).
    """
    line = line.strip().replace("\u3000", " ").strip()
    level, prefix = numbering_level(line)
    if not level:
        return Block(0, line)
    after = line[len(prefix):]
    cut = next((i for i, ch in enumerate(after)
                if ch in SENTENCE_END or (ch in "：:" and i <= LABEL_MAX)), None)
    if cut is None:
        lead_body, rest = after, ""
    else:
        lead_body, rest = after[:cut + 1], after[cut + 1:].strip()
    words = lead_body.rstrip(SENTENCE_END + "：:")
    limit = HEADING_MAX if level <= 2 else RUN_IN_MAX if rest else HEADING_MAX
    heading = bool(words) and len(words) <= limit
    if heading and level >= 3 and cut is not None and not rest:
        heading = False  # one whole sentence: a list item
    if not heading:
        return Block(0, line, numbered=level)
    lead = prefix + lead_body
    return Block(level, lead + rest, lead=lead, rest=rest)


def parse(text: str) -> list[Block]:
    """Narrative text → blocks (tables as table blocks); blank lines dropped."""
    if not text:
        return []
    out = []
    for part in segments(text):
        if isinstance(part, NarrativeTable):
            out.append(Block(0, part.text(), table=part))
        elif part.strip():
            out.append(parse_line(part))
    return out


# column widths of a narrative table, in character columns (a CJK character counts 2)
TABLE_COL_MIN, TABLE_COL_MAX, TABLE_HEAD_MAX = 4, 30, 12
CENTRED_COLUMNS = ("序号", "编号", "排名", "等次", "评价等次")


def table_grid(table: NarrativeTable) -> Grid:
    """A narrative table as a Grid: header row repeated on every page, numeric columns right-aligned
    (“—” for none, and 序号 / 等次 columns, centred).

    Columns are as wide as their longest cell (long cells wrap beyond ``TABLE_COL_MAX``,
    a long header beyond ``TABLE_HEAD_MAX``); writers scale them to the page width.
    """
    numeric = table.numeric_columns()
    centred = [head.strip() in CENTRED_COLUMNS for head in table.header]
    widths = []
    for c in range(table.width):
        body = max((text_width(row[c]) for row in table.body), default=0)
        head = text_width(table.header[c])
        widths.append(float(max(TABLE_COL_MIN, min(body, TABLE_COL_MAX), min(head, TABLE_HEAD_MAX)) + 2))
    g = Grid("narrative_table", table.title, widths, subtitle=table.unit, header_rows=1 if table.body else 0)
    g.add(*(Cell(text, style="header") for text in table.header))
    for row in table.body:
        g.add(*(Cell(text, style="number" if numeric[c] else "text",
                     align="center" if text.strip() in NONE_MARKS or centred[c] else "") for c, text in enumerate(row)))
    return g


def _norm(s: str) -> str:
    s = re.sub(r"\s+", "", s)
    return s.rstrip("。：:")


def starts_with_title(text: str, title: str) -> bool:
    """Whether the section text already begins with its title (with or without the numbering)."""
    first = next((line for line in (text or "").splitlines() if line.strip()), "")
    if not first or not title:
        return False
    _, prefix = numbering_level(title.strip())
    bare_title = _norm(title.strip()[len(prefix):])
    _, fprefix = numbering_level(first.strip())
    bare_first = _norm(first.strip()[len(fprefix):])
    return bare_first == bare_title or _norm(first) == _norm(title)


def section_blocks(title: str, text: str) -> list[Block]:
    """A section's blocks: its title as a heading (unless the text starts with it), then the text."""
    blocks = parse(text)
    if starts_with_title(text, title):
        head = parse_line(title) if numbering_level(title.strip())[0] else None
        if blocks and head is not None and head.is_heading:
            blocks[0] = head  # the template's numbering wins ("基本情况" → "一、基本情况")
        elif blocks and not blocks[0].is_heading:
            blocks[0] = Block(1, blocks[0].text, lead=blocks[0].text)
        return blocks
    head = parse_line(title)
    if not head.is_heading:  # a title without numbering is still a section heading
        head = Block(1, title.strip(), lead=title.strip())
    return [head, *blocks]


def report_blocks(report, tpl) -> list[Block]:
    """All sections in template order; a section the clerk left empty is left out (no bare heading).

    Returns [] when the whole narrative is empty.  Text stored under ids the
    template does not know is appended at the end (never dropped).
    """
    narrative = report.narrative or {}
    if not any((v or "").strip() for v in narrative.values()):
        return []
    out: list[Block] = []
    known = set()
    for sec in tpl.narrative_sections:
        known.add(sec.id)
        text = narrative.get(sec.id, "") or ""
        if text.strip():
            out += section_blocks(sec.title, text)
    for sid, text in narrative.items():
        if sid not in known and (text or "").strip():
            out += parse(text)
    return out


def report_kind_title(tpl) -> str:
    """The document name from the template's form title: …自评表 → …自评报告."""
    name = (tpl.form_title or tpl.title or "绩效自评报告").strip()
    if name.endswith("自评表"):
        name = name[:-1] + "报告"
    elif name.endswith("表"):
        name = name[:-1] + "报告"
    elif not name.endswith("报告"):
        name += "报告"
    return name


def report_title(report, tpl) -> tuple[str, str]:
    """(first line, second line) of the report title, e.g. (湘西自治州乡村振兴局, 2021年度部门整体支出绩效自评报告)."""
    dept = (report.basic.department or "").strip()
    year = f"{report.fiscal_year}年度" if report.fiscal_year else ""
    return dept, f"{year}{report_kind_title(tpl)}"


def signatory(report) -> str:
    """Who signs the report under its last line (落款): the evaluation firm for a 第三方评价, else the unit."""
    b = report.basic
    if "第三方" in (b.evaluation_mode or "") and (b.evaluator or "").strip():
        return b.evaluator.strip()
    return (b.department or "").strip()

