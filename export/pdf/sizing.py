"""How a form table is measured: reportlab's sizing, done once per width and linear in the rows.

``Sizing`` is mixed into ``FormTable`` (``export.pdf.tables``); the methods are reportlab's own,
kept in step with reportlab 5.1, with what was computed remembered.
"""
from __future__ import annotations

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.utils import annotateException, rl_warn
from reportlab.platypus import Flowable
from reportlab.platypus.tables import _calc_pc, spanFixDim

from . import speedups


class _Cells(list):
    """A list of (column, row) cells whose ``in`` is a set lookup.

    reportlab keeps the cells covered by spans in plain lists and asks
    ``cell in cells`` for every cell each time it measures a table:
    quadratic in the number of spans, which a 50-project report has
    thousands of.  Order and contents stay those of the list.
    """

    def __init__(self, cells):
        super().__init__(cells)
        self._set = frozenset(self)

    def __contains__(self, cell) -> bool:
        return cell in self._set


class Sizing:
    """The measuring half of ``FormTable``."""

    def _calc(self, availWidth, availHeight):
        """reportlab's sizing, done again only when what it depends on changed.

        A table is sized over and over with the same width: when it is planned, kept with its
        title, split and placed.  The sizes depend on the width, the cells and the style, and on
        the height only while they are incomplete (reportlab stops measuring rows a page below
        the room it was given).
        """
        last = self.__dict__.get("_sized")
        if last is not None and last[0] == availWidth and (last[1] == availHeight or self._hmax == self._nrows):
            return
        super()._calc(availWidth, availHeight)
        self._sized = (availWidth, availHeight)

    def setStyle(self, tblstyle):
        self.__dict__.pop("_sized", None)
        super().setStyle(tblstyle)

    _sizes = None  # cell sizes already measured, shared by a grid's tables (set by _make_table)

    def _calc_height(self, availHeight, availWidth, H=None, W=None):
        """reportlab 5.1's ``Table._calc_height`` (same row heights, same order of additions), linear in the rows.

        reportlab finds the next row to measure with ``H.index(None)`` and adds up the rows measured so far
        with ``sum(H[:i])`` for every row: quadratic in the rows, and a table is measured again on every
        page it continues on — a 5,000-row 评分说明 of an unfinished 500-project report took a minute and a
        half.  Here the next row and the running height are carried along.  And a form table (one that
        splits itself, ``_split_form``) stops measuring a page below the room given even when no cell
        spans rows (reportlab stops only once its row spans are complete): the rows further down are
        measured on the page they go to, and where the table ends the page is decided by the rows that
        fit, as before.
        """
        if not speedups.FAST_CALC:
            return super()._calc_height(availHeight, availWidth, H, W)
        H = self._argH
        if not W:
            W = _calc_pc(self._argW, availWidth)  # widths array

        hmax = lim = len(H)
        longTable = self._longTableOptimize
        stop_early = longTable and self._form is not None

        if None in H:
            minRowHeights = self._minRowHeights
            canv = getattr(self, "canv", None)
            saved = None
            # get a handy list of any cells which span rows. should be ignored for sizing
            if self._spanCmds:
                rowSpanCells = self._rowSpanCells
                colSpanCells = self._colSpanCells
                spanRanges = self._spanRanges
                colpositions = self._colpositions
            else:
                rowSpanCells = colSpanCells = ()
                spanRanges = {}
            if canv:
                saved = canv._fontname, canv._fontsize, canv._leading
            H0 = H
            H = H[:]  # make a copy as we'll change it
            self._rowHeights = H
            spanCons = {}
            i, summed, height = -1, 0, 0  # the last row measured; H[:summed] added up into height
            while True:
                try:
                    i = H.index(None, i + 1)  # rows before i are all known
                except ValueError:
                    break
                V = self._cellvalues[i]  # values for row i
                S = self._cellStyles[i]  # styles for row i
                h = 0
                j = 0
                for j, (v, s, w) in enumerate(list(zip(V, S, W))):  # value, style, width (lengths must match)
                    ji = j, i
                    span = spanRanges.get(ji, None)
                    if ji in rowSpanCells and not span:
                        continue  # don't count it, it's either occluded or unreliable
                    else:
                        if isinstance(v, (tuple, list, Flowable)):
                            v = V[j] = self._cellListProcess(v, w, None)
                            if w is None and not self._canGetWidth(v):
                                raise ValueError(f"Flowable {v[0].identity()} in cell({i},{j}) can't have auto width\n"
                                                 f"{self.identity(30)}")
                            if canv:
                                canv._fontname, canv._fontsize, canv._leading = (s.fontname, s.fontsize,
                                                                                  s.leading or 1.2 * s.fontsize)
                            if ji in colSpanCells:
                                if not span:
                                    continue
                                w = max(colpositions[span[2] + 1] - colpositions[span[0]], w or 0)
                            dW, t = self._listCellGeom(v, w or self._listValueWidth(v), s)
                            if canv:
                                canv._fontname, canv._fontsize, canv._leading = saved
                            dW = dW + s.leftPadding + s.rightPadding
                            if dW > (w or 0):  # something wrong
                                if not rl_config.allowTableBoundsErrors & 1:  # bit 0 1 --> ignore
                                    from reportlab.platypus.doctemplate import (
                                        LayoutError,
                                    )

                                    raise LayoutError(f"Flowable {v[0].identity(30)} ({fp_str(dW)}x{fp_str(t)} points) "
                                                      f"too wide for cell({i},{j}) (fp_str(w)x* points) in\n"
                                                      f"{self.identity(30)}")
                                elif rl_config.allowTableBoundsErrors & 4:  # bit 2 1 --> ignore
                                    rl_warn(f"Flowable {v[0].identity(30)} ({fp_str(dW)}x{fp_str(t)} points) too wide "
                                            f"for cell({i},{j}) (fp_str(w)x* points) in\n{self.identity(30)}")
                        else:
                            v = (v is not None and str(v) or "").split("\n")
                            t = (s.leading or 1.2 * s.fontsize) * len(v)
                        t += s.bottomPadding + s.topPadding
                        if span:
                            r0 = span[1]
                            r1 = span[3]
                            if r0 != r1:
                                x = r0, r1
                                spanCons[x] = max(spanCons.get(x, t), t)
                                t = 0
                    if t > h:
                        h = t  # record a new maximum
                # If a minimum height has been specified use that, otherwise allow the cell to grow
                H[i] = max(minRowHeights[i], h) if minRowHeights else h
                # we can stop if we have filled up all available room
                if longTable:
                    hmax = i + 1  # we computed H[i] so known len == i+1
                    while summed < hmax:  # = sum(H[:hmax]), added in the same order
                        height += H[summed]
                        summed += 1
                    if height > availHeight:
                        # we can terminate if all spans are complete in H[:hmax]
                        if spanCons:
                            msr = max(x[1] for x in spanCons.keys())  # RS=[endrowspan,.....]
                            if hmax > msr:
                                break
                        elif stop_early:
                            break
            if None not in H:
                hmax = lim

            if spanCons:
                try:
                    spanFixDim(H0, H, spanCons)
                except Exception:
                    annotateException("\nspanning problem in %s hmax=%s lim=%s avail=%s x %s\nH0=%r H=%r\nspanCons=%r"
                                      % (self.identity(), hmax, lim, availWidth, availHeight, H0, H, spanCons))

        # iterate backwards through the heights to get rowpositions in reversed order
        self._rowpositions = j = []
        height = c = 0
        for i in range(hmax - 1, -1, -1):
            j.append(height)
            y = H[i] - c
            t = height + y
            c = (t - height) - y
            height = t
        j.append(height)
        self._height = height
        j.reverse()  # reverse the reversed list of row positions
        self._hmax = hmax

    def _listCellGeom(self, V, w, s, W=None, H=None, aH=72000):
        """reportlab's size of a cell's flowables, measured once per grid.

        A grid's table is sized when it is planned, and again as each part it splits into (and each
        break tried) is a new table holding the same cells: the size of the same flowables in the
        same width and padding is the same (``Para`` keeps its lines per width).  Only sizing is
        remembered; drawing (``W``/``H`` given) measures as before, which also leaves each flowable
        wrapped at the width it is drawn in.
        """
        memo = self._sizes
        if memo is None or W is not None or H is not None or isinstance(V, str) or not V:
            return super()._listCellGeom(V, w, s, W, H, aH)
        key = (tuple(map(id, V)), w, s.leftPadding, s.rightPadding, s.topPadding, s.bottomPadding, aH)
        hit = memo.get(key)
        if hit is None:  # the flowables are kept with their size: their ids stay theirs while the memo lives
            hit = memo[key] = (super()._listCellGeom(V, w, s, W, H, aH), tuple(V))
        return hit[0]

    def _calcSpanRanges(self):
        super()._calcSpanRanges()
        self._colSpanCells = _Cells(self._colSpanCells)
        self._rowSpanCells = _Cells(self._rowSpanCells)
