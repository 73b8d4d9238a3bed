"""Paragraph styles of the PDF: cover, table cells, 公文 body and headings."""
from __future__ import annotations

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from ..fonts import FontSet


class Styles:
    def __init__(self, fs: FontSet):
        self.fs = fs
        song, hei, fang, kai, title = (fs.font_name(r) for r in ("song", "hei", "fang", "kai", "title"))
        self.song, self.hei, self.fang, self.kai, self.title_font = song, hei, fang, kai, title

        def ps(name, font, size, leading, **kw):
            return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **kw)

        self.cover_title = ps("cover_title", title, 26, 44, alignment=TA_CENTER)
        self.cover_label = ps("cover_label", hei, 15, 24, alignment=TA_RIGHT)
        self.cover_value = ps("cover_value", song, 15, 24)
        self.cover_team_title = ps("cover_team_title", hei, 16, 28, alignment=TA_CENTER, spaceAfter=12)
        self.cover_team = ps("cover_team", fang, 15, 28)
        self.grid_title = ps("grid_title", hei, 16, 24, alignment=TA_CENTER, spaceAfter=4)
        self.grid_sub = ps("grid_sub", song, 10.5, 15)
        self.grid_note = ps("grid_note", song, 9, 13, spaceBefore=1)
        self.annex = ps("annex", hei, 16, 24, spaceAfter=6)
        self.chart_title = ps("chart_title", hei, 12, 18, alignment=TA_CENTER, spaceBefore=10)
        # 公文: 仿宋 三号 (16 pt), fixed 28 pt lines, two-character first-line indent
        self.doc_title = ps("doc_title", title, 22, 34, alignment=TA_CENTER)
        self.addressee = ps("addressee", fang, 16, 28)
        self.body = ps("body", fang, 16, 28, firstLineIndent=32, alignment=TA_JUSTIFY)
        self.h1 = ps("h1", hei, 16, 28, firstLineIndent=32, keepWithNext=1)
        self.h2 = ps("h2", kai, 16, 28, firstLineIndent=32, keepWithNext=1)
        self.h3 = ps("h3", fang, 16, 28, firstLineIndent=32, keepWithNext=1)
        self.h4 = ps("h4", fang, 16, 28, firstLineIndent=32, keepWithNext=1)
        self.signature = ps("signature", fang, 16, 28, alignment=TA_RIGHT, rightIndent=32)
        self._cells: dict = {}
        self._variants: dict = {}

    def heading(self, level: int) -> ParagraphStyle:
        return (self.h1, self.h2, self.h3, self.h4)[min(level, 4) - 1]

    @staticmethod
    def role_of_heading(level: int) -> str:
        return {1: "hei", 2: "kai"}.get(level, "fang")

    def cell(self, style: str, align: str, size: float) -> ParagraphStyle:
        key = (style, align, size)
        if key not in self._cells:
            font = self.hei if style in ("header", "title") else self.song
            if not align:
                align = {"header": "center", "title": "center", "money": "right", "number": "right",
                         "score": "right", "percent": "right"}.get(style, "left")
            alignment = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}.get(align, TA_LEFT)
            fsize = size + 2 if style == "title" else size
            self._cells[key] = ParagraphStyle(
                f"cell_{style}_{align}_{size}", fontName=font, fontSize=fsize, leading=round(fsize * 1.32, 1),
                alignment=alignment, wordWrap="CJK")
        return self._cells[key]

    def variant(self, parent: ParagraphStyle, name: str, **changes) -> ParagraphStyle:
        """``parent`` with ``changes``, made once per distinct change (parsed paragraphs are cached per style)."""
        key = (id(parent), name, tuple(sorted(changes.items())))
        style = self._variants.get(key)
        if style is None:
            style = self._variants[key] = ParagraphStyle(name, parent=parent, **changes)
        return style
