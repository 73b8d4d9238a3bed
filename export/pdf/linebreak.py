"""Chinese line breaking (禁则) for reportlab, installed once per process."""
from __future__ import annotations

from reportlab.rl_config import _FUZZ

from .. import rlfast

# Full-width closers that must not start a line, openers that must not end one.
CJK_CANNOT_START = "，。；：？！）”’》〉」』】〕、…％·,.;:?!)%"
CJK_CANNOT_END = "（“‘《〈「『【〔(["
_installed = False


def install_line_breaking() -> None:
    """Teach reportlab Chinese line-breaking rules (禁则), once per process.

    Extends ``ALL_CANNOT_START`` in ``reportlab.lib.textsplit`` and
    ``reportlab.platypus.paragraph`` with the full-width closers, and replaces
    reportlab's two CJK splitters with versions that, instead of letting one
    closer hang, move characters to the next line until that line starts with
    something allowed and this one does not end with an opener.
    """
    global _installed
    if _installed:
        return
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    extra = "".join(ch for ch in CJK_CANNOT_START if ch not in textsplit.ALL_CANNOT_START)
    textsplit.ALL_CANNOT_START = textsplit.ALL_CANNOT_START + extra
    paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START
    textsplit.dumbSplit = _dumb_split
    paragraph.cjkFragSplit = _cjk_frag_split
    paragraph._justifyDrawParaLine = _justify_line(paragraph._justifyDrawParaLine)
    paragraph._justifyDrawParaLineX = _justify_frag_line(paragraph._justifyDrawParaLineX)
    _installed = True


def _cjk_spacing(text: str, extra: float, size: float) -> float:
    """Character spacing that justifies a Chinese line (两端对齐); 0 when the line is not Chinese."""
    n = len(text.rstrip())
    if n < 2 or extra <= 1e-6 or not any(ord(ch) >= 0x3000 for ch in text):
        return 0.0
    spacing = extra / (n - 1)
    return spacing if spacing <= size * 0.6 else 0.0  # a nearly empty line stays left-aligned


def _justify_line(original):
    """Justify single-font CJK lines by character spacing (reportlab only stretches spaces)."""
    from reportlab.platypus.paragraph import setXPos

    def draw(tx, offset, extraspace, words, last=0):
        text = " ".join(words)
        spacing = 0.0 if last else _cjk_spacing(text, extraspace, tx._fontsize or 10)
        if not spacing:
            return original(tx, offset, extraspace, words, last)
        setXPos(tx, offset)
        tx.setCharSpace(spacing)
        tx._textOut(text, 1)
        tx.setCharSpace(0)
        setXPos(tx, -offset)
        return offset

    return draw


def _justify_frag_line(original):
    """Justify mixed-font CJK lines by character spacing."""
    from reportlab.platypus.paragraph import _putFragLine, setXPos

    def draw(tx, offset, line, last=0):
        if last or getattr(line, "lineBreak", False) or getattr(line, "kind", 0) != 1:
            return original(tx, offset, line, last)
        words = [w for w in line.words if not hasattr(w, "cbDefn")]
        text = "".join(getattr(w, "text", "") for w in words)
        size = max((getattr(w, "fontSize", 0) for w in words), default=10)
        spacing = _cjk_spacing(text, line.extraSpace, size)
        if not spacing:
            return original(tx, offset, line, last)
        tx._x_offset = offset
        setXPos(tx, offset)
        tx.setCharSpace(spacing)
        _putFragLine(offset, tx, line, last, "justify")
        tx.setCharSpace(0)
        setXPos(tx, -offset)

    return draw


def _break_index(chars, k: int, start: int) -> int:
    """Where the next line starts when character ``k`` overflows a line that began at ``start``."""
    b = k
    if ord(chars[b][:1] or " ") < 0x3000 and not chars[b].isspace():
        # inside a Latin word or number: break after the last space or CJK character
        for j in range(k - 1, (start + k) // 2, -1):
            cj = chars[j]
            if cj.isspace() or (cj and ord(cj[:1]) >= 0x3000):
                b = j + 1
                break
    for _ in range(4):
        moved = False
        while b > start + 1 and chars[b] in CJK_CANNOT_START_SET:
            b -= 1
            moved = True
        while b > start + 1 and chars[b - 1] in CJK_CANNOT_END_SET:
            b -= 1
            moved = True
        if not moved:
            break
    return max(b, start + 1)


CJK_CANNOT_START_SET = frozenset(CJK_CANNOT_START) | frozenset("!\',.:;?!\")]\u3001\u3002\u300d\u300f\u3011\u3015\uff3d\uff09")
CJK_CANNOT_END_SET = frozenset(CJK_CANNOT_END)


def _dumb_split(word, widths, maxWidths):
    """reportlab.lib.textsplit.dumbSplit with 禁则 (single-font paragraphs)."""
    if not isinstance(maxWidths, (list, tuple)):
        maxWidths = [maxWidths]
    lines = []
    i = start = 0
    used = 0.0
    max_width = maxWidths[0]
    n = len(word)
    while i < n:
        used += widths[i]
        i += 1
        if used > max_width + _FUZZ and used > 0:
            b = _break_index(word, i - 1, start)
            lines.append([max_width - sum(widths[start:b]), word[start:b].strip()])
            max_width = maxWidths[min(len(lines), len(maxWidths) - 1)]  # the last width for the rest
            i = start = b
            used = 0.0
    if used > 0:
        lines.append([max_width - used, word[start:]])
    return lines


def _glyphs(text: str, frag) -> list:
    """``[cjkU(ch, frag) for ch in text]`` with each character's width looked up once (``rlfast``)."""
    from reportlab.platypus.paragraph import cjkU

    table = rlfast.width_table(frag.fontName, frag.fontSize)
    out = []
    for ch in text:
        u = str.__new__(cjkU, ch)  # what cjkU.__new__ does, minus its stringWidth call
        u._frag = frag
        u._width = rlfast.char_width(table, ch, frag.fontName, frag.fontSize)
        out.append(u)
    return out


def _cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):
    """reportlab.platypus.paragraph.cjkFragSplit with 禁则 (mixed-font paragraphs)."""
    from reportlab.lib.utils import isBytes
    from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

    U = []
    for f in frags:
        text = f.text
        if isBytes(text):
            text = text.decode(encoding)
        if text and not hasattr(f, "cbDefn"):
            U.extend(_glyphs(text, f))
        elif text:
            U.extend([cjkU(t, f, encoding) for t in text])
        else:
            U.append(cjkU(text, f, encoding))
    lines = []
    i = start = 0
    used = 0.0
    max_width = maxWidths[0]
    n = len(U)

    def width(u):
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = max_width
            w = w.normalizedValue(max_width)
        return w

    while i < n:
        u = U[i]
        i += 1
        used += width(u)
        line_break = hasattr(u.frag, "lineBreak")
        if line_break or (used > max_width + _FUZZ and used > 0):
            b = i if line_break else _break_index(U, i - 1, start)
            line_used = sum(width(x) for x in U[start:b])
            lines.append(makeCJKParaLine(U[start:b], max_width, line_used, max_width - line_used, line_break, calcBounds))
            max_width = maxWidths[min(len(lines), len(maxWidths) - 1)]  # the last width for the rest
            i = start = b
            used = 0.0
    if used > 0:
        lines.append(makeCJKParaLine(U[start:], max_width, used, max_width - used, False, calcBounds))
    return ParaLines(kind=1, lines=lines)
