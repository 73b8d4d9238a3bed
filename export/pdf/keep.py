"""Headings kept with what follows them, gently.

reportlab groups a flowable whose ``keepWithNext`` is set (our headings h1–h4, a table's title and
subtitle lines) with the flowable after it in a ``KeepTogether``; when the group does not fit what is
left of the page, the whole group goes to the next page — a heading followed by a long paragraph
leaves half a page blank, and a title followed by a long table a whole one.  ``KeepWithFirst``
only asks that the headings go with the *first part* of what follows: two lines of a paragraph
(reportlab's orphan rule), the first rows of a table (what ``FormTable`` is willing to leave on a
page).  When not even that fits, the group starts on the next page.
"""
from __future__ import annotations

from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.flowables import KeepTogether
from reportlab.rl_config import _FUZZ


class KeepWithFirst(KeepTogether):
    def split(self, aW, aH):
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        content = list(self._content)
        if self._H <= aH + _FUZZ or len(content) < 2:
            return content
        heads, last = content[:-1], content[-1]
        frame = getattr(self, "_frame", None)
        at_top = bool(frame is not None and getattr(frame, "_atTop", 0))
        canv = getattr(self, "canv", None)
        used = 0.0
        for i, f in enumerate(heads):
            used += f.wrapOn(canv, aW, aH)[1] + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0)
        room = aH - used - last.getSpaceBefore() - 1
        parts = []
        if room > 0:
            last._frame = frame  # a table at the top of a frame may break less well: moving would not help
            try:
                parts = last.splitOn(canv, aW, room)
            finally:
                del last._frame
        if parts and not isinstance(parts[0], ActionFlowable) and parts[0].wrapOn(canv, aW, room)[1] <= room + _FUZZ:
            return heads + list(parts)
        if at_top:  # nothing better anywhere: let them flow
            return content
        return []  # the whole group starts on the next page
