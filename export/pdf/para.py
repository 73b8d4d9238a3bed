"""Para: a Paragraph that breaks its lines once per width."""
from __future__ import annotations

from reportlab.platypus import Paragraph
from reportlab.rl_config import _FUZZ

from . import speedups


class Para(Paragraph):
    """A Paragraph that breaks its lines once per width.

    reportlab wraps a table cell's paragraphs on every pass: when the table
    is measured for page planning, when the frame places it, when each part
    of a split table is measured and when a cell is drawn — the same line
    breaking four or five times over.  With ``wordWrap="CJK"`` (all our
    styles) the lines depend only on the fragments, the style and the width,
    and ``wrap`` sets nothing else, so what it computed is kept per width.

    A table measures a cell with its column width but draws it with the
    difference of two column positions, which can differ from it in the last
    bit (72.48160770948408 against 72.4816077094841): widths that close are
    the same width.
    """

    SAME_WIDTH = 1e-9  # points; float noise, a million times below what a PDF coordinate shows
    # set by Builder.paragraph on a paragraph whose markup and style it has made before:
    _drawkey = None  # (markup, id(style))
    _drawcache = None  # the build's dict: (drawkey, width, height) → what drawing it wrote

    def wrap(self, availWidth, availHeight):
        if availWidth < _FUZZ or self.style.wordWrap != "CJK":
            return super().wrap(availWidth, availHeight)
        done = self.__dict__.setdefault("_wrapped", {})
        hit = done.get(availWidth)
        if hit is None and done:
            hit = next((v for w, v in done.items() if abs(w - availWidth) <= self.SAME_WIDTH), None)
        if hit is None and self._drawcache is not None and speedups.FAST_DRAW:
            # a paragraph with the same markup and style broken at this width before in the build:
            # the same lines (they are only read, for drawing and splitting)
            hit = self._drawcache.get(("wrap", self._drawkey, availWidth))
            if hit is not None:
                done[availWidth] = hit
        if hit is None:
            size = super().wrap(availWidth, availHeight)
            done[availWidth] = (size, self.blPara, self._wrapWidths, self.height)
            if self._drawcache is not None and speedups.FAST_DRAW:
                self._drawcache[("wrap", self._drawkey, availWidth)] = done[availWidth]
            return size
        (_w, height), self.blPara, self._wrapWidths, self.height = hit
        self.width = availWidth  # as Paragraph.wrap: the width asked for is the width taken
        return availWidth, height

    def draw(self):
        """Draw; a paragraph drawn before in this build (same markup, style, width and height) writes
        what it wrote then.

        ``Flowable.drawOn`` moves the origin to the paragraph (``cm``) before ``draw``, and
        ``drawPara`` sets the colour and the font it draws with itself, inside its own saved state:
        what it writes depends only on the paragraph, its lines (markup, style and width) and its
        height.  The fonts' subsets are the build's (a character keeps the code it was given at its
        first drawing), so the cache is the build's too.  Headers and labels repeat on every project
        form: a 500-project report draws most of its cells a hundred times over.
        """
        cache = self._drawcache
        if cache is None or self.debug or not speedups.FAST_DRAW:
            return super().draw()
        key = (self._drawkey, self.width, self.height)
        code = self.canv._code
        hit = cache.get(key)
        if hit is not None:
            code.extend(hit)
            return
        start = len(code)
        super().draw()
        cache[key] = code[start:]
