"""Page geometry: A4 margins (公文 and tables), frames, and the “第 X 页 共 Y 页” canvas."""
from __future__ import annotations

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


def _canvas_class(font: str):
    """A canvas that draws “第 X 页 共 Y 页” once the page count is known (two passes)."""

    class NumberedCanvas(canvas_mod.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages) - 1  # the cover is not numbered
            for number, state in enumerate(self._pages):
                self.__dict__.update(state)
                if number > 0:
                    self._footer(number, total)
                super().showPage()
            super().save()

        def _footer(self, number, total):
            w, _h = self._pagesize
            bottom = getattr(self, "_footer_y", None) or 10 * mm
            self.saveState()
            self.setFont(font, 10.5)
            self.drawCentredString(w / 2, bottom, f"第 {number} 页 共 {total} 页")
            self.restoreState()

    return NumberedCanvas


def _mark_footer(y):
    def on_page(canv, doc):
        canv._footer_y = y
    return on_page
