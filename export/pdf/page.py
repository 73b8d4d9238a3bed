"""Page geometry: A4 margins (公文 and tables), frames, and the “第 X 页 共 Y 页” canvas."""
from __future__ import annotations

import io
from typing import Optional

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as canvas_mod
from reportlab.platypus import Frame

PAGE_W, PAGE_H = A4
# 公文 margins (GB/T 9704): top 37 mm, bottom 35 mm, left 28 mm, right 26 mm
GW_MARGINS = dict(top=37 * mm, bottom=35 * mm, left=28 * mm, right=26 * mm)
TABLE_MARGINS = dict(top=18 * mm, bottom=18 * mm, left=16 * mm, right=16 * mm)


def _frame(pagesize, m, fid):
    w, h = pagesize
    return Frame(m["left"], m["bottom"], w - m["left"] - m["right"], h - m["top"] - m["bottom"],
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=fid)


def _canvas_class(font: str, cover: bool = True):
    """A canvas that draws “第 X 页 共 Y 页” once the page count is known (two passes; the first page is
    not numbered when it is a ``cover``), and the report's 校验码 (set on each page by ``_mark_footer``)
    at the foot of every page, the cover too: the paper names its file."""
    skip = 1 if cover else 0

    class NumberedCanvas(canvas_mod.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            state = dict(self.__dict__)
            if state["_code"]:
                # kept as one string (showPage joins the page's operators with newlines; the footer
                # is added after them): a few thousand small strings per page cost 2–3× the memory
                state["_code"] = ["\n".join(state["_code"])]
            self._pages.append(state)
            self._startPage()

        def save(self):
            pages = self._pages
            total = len(pages) - skip  # the cover is not numbered
            for number in range(len(pages)):
                state, pages[number] = pages[number], None  # the page's stream is made: its state can go
                self.__dict__.update(state)
                if number >= skip:
                    self._footer(number + 1 - skip, total)
                if getattr(self, "_checksum", ""):
                    self._draw_checksum()
                super().showPage()
            super().save()

        def _footer(self, number, total):
            w, _h = self._pagesize
            bottom = getattr(self, "_footer_y", None) or 10 * mm
            self.saveState()
            self.setFont(font, 10.5)
            self.drawCentredString(w / 2, bottom, f"第 {number} 页 共 {total} 页")
            self.restoreState()

        def _draw_checksum(self):
            w, _h = self._pagesize
            self.saveState()
            self.setFont(font, 8)
            self.drawRightString(w - 16 * mm, getattr(self, "_footer_y", None) or 10 * mm, f"校验码 {self._checksum}")
            self.restoreState()

    return NumberedCanvas


DRAFT_MARK = "草稿（未评完）"
DRAFT_RED = (0.72, 0.25, 0.25)  # the header line: a muted red, visible in black-and-white print as dark grey
DRAFT_GREY = 218  # the diagonal watermark, light enough to read the form through


def _mark_footer(y, draft: str = "", font: str = "", watermark: Optional[tuple] = None, code: str = ""):
    """The page template's ``onPage``: where the page number goes, the 校验码 (``code``) to print beside
    it, and (given ``draft``, the line to print) the draft marks, drawn before the page's content
    (the watermark lies under it)."""

    def on_page(canv, doc):
        canv._footer_y = y
        canv._checksum = code
        if draft:
            draw_draft(canv, draft, font, watermark)

    return on_page


def draw_draft(canv, line: str, font: str, watermark: Optional[tuple]) -> None:
    """An unfinished report's marks: a diagonal 草稿（未评完） watermark (an image, so that text read
    back from the page stays in order) and a header line in red that text extraction finds."""
    w, h = canv._pagesize
    canv.saveState()
    if watermark:
        png, iw, ih = watermark
        name = "draftmark"
        if not canv.hasForm(name):  # the image is stored once and drawn on every page
            from reportlab.lib.utils import ImageReader

            canv.beginForm(name, lowerx=0, lowery=0, upperx=iw, uppery=ih)
            canv.drawImage(ImageReader(io.BytesIO(png)), 0, 0, iw, ih, mask="auto")
            canv.endForm()
        scale = min(w * 0.8 / iw, h * 0.6 / ih)
        canv.translate((w - iw * scale) / 2, (h - ih * scale) / 2)
        canv.scale(scale, scale)
        canv.doForm(name)
    canv.restoreState()
    canv.saveState()
    canv.setFillColorRGB(*DRAFT_RED)
    canv.setFont(font, 10.5)
    canv.drawRightString(w - 16 * mm, h - 11 * mm, line)
    canv.restoreState()


def draft_watermark(font_path, subfont: int = 0, text: str = DRAFT_MARK) -> Optional[tuple]:
    """(PNG, width, height) of ``text`` written diagonally in light grey on a transparent ground;
    None without Pillow's FreeType (made once per process)."""
    key = (str(font_path), subfont, text)
    if key not in _WATERMARKS:
        _WATERMARKS[key] = _render_watermark(*key)
    return _WATERMARKS[key]


_WATERMARKS: dict = {}


def _render_watermark(font_path: str, subfont: int, text: str) -> Optional[tuple]:
    try:
        from PIL import Image, ImageDraw, ImageFont

        face = ImageFont.truetype(font_path, 110, index=subfont)
        left, top, right, bottom = face.getbbox(text)
        img = Image.new("RGBA", (right - left + 40, bottom - top + 40), (255, 255, 255, 0))
        ImageDraw.Draw(img).text((20 - left, 20 - top), text, font=face, fill=(DRAFT_GREY,) * 3 + (255,))
        img = img.rotate(32, expand=True, resample=Image.BICUBIC)
        out = io.BytesIO()
        img.save(out, "PNG", optimize=True)
        return out.getvalue(), img.width, img.height
    except Exception:  # no FreeType in this Pillow, an unreadable font: the header line still marks the draft
        return None
