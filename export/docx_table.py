"""A neutral Grid (``export.grid``) as a Word table: the one writer of every table in the Word file.

Cells are placed by ``grid.positions`` so spans mean what they mean in the
xlsx and the PDF: a column span is ``w:gridSpan``, a row span ``w:vMerge``
(restart on the first row, continue below).  Fixed layout with explicit
column widths (``w:gridCol``, which LibreOffice and WPS lay out by), single
borders (outer 1 pt, inner 0.5 pt), the grid's ``header_rows`` repeated at
the top of every page (``w:tblHeader``), rows never split across pages.
Header and title cells in 黑体 centred, numbers (money/score/percent/number
styles) right-aligned, text left; line breaks in a cell are paragraphs.
The font size follows the room per character, as in the PDF (10.5 pt down
to 7.5 pt).

The XML is written as text and parsed once: building it element by element
(python-docx's cell objects, or even ``OxmlElement``) takes a second for a
report with 50 project forms.  Characters XML cannot hold are dropped.
"""
from __future__ import annotations

import re
from typing import Optional
from xml.sax.saxutils import escape, quoteattr

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm
from docx.table import Table

from .docx_format import TABLE_PT, TABLE_STYLE
from .grid import Grid, positions

TWIPS_PER_MM = 1440 / 25.4
CELL_MARGIN_TWIPS = 57  # 1 mm left and right
NUMERIC = ("money", "score", "percent", "number")
ALIGN = {"left": "left", "center": "center", "right": "right"}


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def font_size(grid: Grid, width_mm: float) -> float:
    """The cell font size for the room a character column gets (as the PDF: 10.5 pt, down to 7.5 pt)."""
    total = float(sum(grid.columns)) or 1.0
    unit_pt = width_mm / 25.4 * 72 / total
    return max(7.5, min(TABLE_PT, round(unit_pt * 2 * 0.9 * 2) / 2))


def cell_align(cell) -> str:
    if cell.align:
        return ALIGN.get(cell.align, "left")
    if cell.style in ("header", "title"):
        return "center"
    return "right" if cell.style in NUMERIC else "left"


def _attr(value) -> str:
    return quoteattr(str(value))


def word_table(bld, grid: Grid, width_mm: float, size: Optional[float] = None) -> Optional[Table]:
    """``grid`` as a bordered Word table ``width_mm`` wide, appended to the document (None when the
    builder keeps it as text: a table of a 附件 form, see ``export.docx._SetAside``).

    ``bld`` is the DocxBuilder (paragraph style ids and faces).  Only the grid's rows are written;
    its title, subtitle and notes are the caller's (they are paragraphs around the table).
    """
    ncols = max(1, len(grid.columns))
    total = float(sum(grid.columns)) or 1.0
    twips = [max(1, int(round(width_mm * float(c) / total * TWIPS_PER_MM))) for c in grid.columns] or [
        int(round(width_mm * TWIPS_PER_MM))]
    size = size or font_size(grid, width_mm)
    nrows = len(grid.rows)
    starts: dict[tuple[int, int], object] = {}
    below: dict[tuple[int, int], object] = {}  # (row, first column) → the cell whose row span covers it
    for r, placed in enumerate(positions(grid)):
        for c, cell in placed:
            if c >= ncols:
                continue
            starts[(r, c)] = cell
            for dr in range(1, max(1, min(cell.rowspan, nrows - r))):
                below[(r + dr, c)] = cell
    para = _Paragraphs(bld.style_id(TABLE_STYLE), bld.faces, size)
    header = min(grid.header_rows, nrows)
    out = [f'<w:tbl {nsdecls("w")}>', _table_properties(sum(twips), bld.doc.styles["Table Grid"].style_id),
           "<w:tblGrid>", *(f'<w:gridCol w:w="{w}"/>' for w in twips), "</w:tblGrid>"]
    for r in range(nrows):
        out.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if r < header else "") + "</w:trPr>")
        c = 0
        while c < ncols:
            cell = starts.get((r, c))
            cont = cell is None and (r, c) in below
            if cont:
                cell = below[(r, c)]
            span = min(cell.colspan, ncols - c) if cell is not None else 1
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{sum(twips[c:c + span])}" w:type="dxa"/>')
            if span > 1:
                out.append(f'<w:gridSpan w:val="{span}"/>')
            if cont:
                out.append("<w:vMerge/>")
            elif cell is not None and min(cell.rowspan, nrows - r) > 1:
                out.append('<w:vMerge w:val="restart"/>')
            valign = "top" if cell is not None and cell.style == "sign" else "center"
            out.append(f'<w:vAlign w:val="{valign}"/></w:tcPr>')
            if cell is None or cont:
                out.append(para("", "left", None))
            else:
                role = "hei" if cell.style in ("header", "title") else None
                align = cell_align(cell)
                text = (cell.text or "").replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
                for line in text.split("\n"):
                    out.append(para(line, align, role, size + 2 if cell.style == "title" else size))
            out.append("</w:tc>")
            c += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    xml = "".join(out)
    aside = getattr(bld, "_aside", None)
    if aside is not None and aside.hold_table(xml):
        return None  # a 附件 form's table: kept as its text until the document is written (docx._SetAside)
    tbl = parse_xml(xml)
    body = bld.doc._body
    body._element._insert_tbl(tbl)  # before the document's last section properties, as add_table does
    return Table(tbl, body)


def _table_properties(width_twips: int, grid_style_id: str) -> str:
    borders = "".join(f'<w:{side} w:val="single" w:sz="{sz}" w:space="0" w:color="000000"/>'
                      for side, sz in (("top", 8), ("left", 8), ("bottom", 8), ("right", 8),
                                       ("insideH", 4), ("insideV", 4)))
    margins = "".join(f'<w:{side} w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>' for side in ("left", "right"))
    return (f"<w:tblPr><w:tblStyle w:val={_attr(grid_style_id)}/><w:tblW w:w=\"{width_twips}\" w:type=\"dxa\"/>"
            f'<w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar>{margins}</w:tblCellMar>'
            '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="1" w:noVBand="1"/></w:tblPr>')


class _Paragraphs:
    """The XML of one cell paragraph: 表格文字 style, alignment, 黑体 for headers, the table's font size."""

    def __init__(self, style_id: Optional[str], faces: dict, size: float):
        self.style = f"<w:pStyle w:val={_attr(style_id)}/>" if style_id else ""
        self.faces, self.size = faces, size

    def __call__(self, text: str, align: str, role: Optional[str], size: Optional[float] = None) -> str:
        size = size or self.size
        ppr = self.style
        if size != TABLE_PT:
            line = int(round(max(size * 1.35, size + 2) * 20))
            ppr += f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>'
        if align != "left":
            ppr += f'<w:jc w:val="{align}"/>'
        text = _XML_BAD.sub("", text)
        if not text:
            return f"<w:p><w:pPr>{ppr}</w:pPr></w:p>"
        rpr = ""
        if role:
            face = _attr(self.faces[role])
            rpr += f'<w:rFonts w:ascii={face} w:hAnsi={face} w:eastAsia={face} w:cs={face} w:hint="eastAsia"/>'
        if size != TABLE_PT:
            rpr += f'<w:sz w:val="{int(round(size * 2))}"/><w:szCs w:val="{int(round(size * 2))}"/>'
        rpr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
        return f'<w:p><w:pPr>{ppr}</w:pPr><w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def table_width_mm(section) -> float:
    """The text width of a section, in mm."""
    return (section.page_width - section.left_margin - section.right_margin) / Mm(1)
