"""Faster stand-ins for two reportlab helpers, with the same results (the PDF is byte for byte the same).

reportlab has a C accelerator for its small hot helpers in a separate,
optional package (``rl_accel``); without it they run as pure Python, and a
big report spends a third of its PDF time in them:

- ``fp_str`` turns every coordinate written into a page into text.  A
  table's coordinates repeat (the same column edges and row lines page after
  page: about 2,000 distinct values in 116,000 calls for a 50-project
  report), so the text of each is remembered.
- ``textsplit.getCharWidths`` asks ``stringWidth`` for every character of
  every paragraph it breaks into lines; the widths are remembered per font
  and size.  This one is used with or without the accelerator.

``install()`` patches the modules that use them, once per process; where the
C accelerator is installed, its ``fp_str`` is kept (it is faster still).
"""
from __future__ import annotations

import threading

_installed = False
_lock = threading.Lock()
ORIGINALS: dict[tuple, object] = {}  # (module, name) → what install() replaced (tests put them back)

# (font name, size) → character → width.  A registered font name always means the same file in a
# process (see fonts._load), so a width never goes stale.
_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}
FP_CACHE_LIMIT = 200_000  # entries; a 50-project report needs about 2,000


def width_table(font_name: str, size: float) -> dict[str, float]:
    """The remembered character widths of one font at one size (filled by ``char_width``)."""
    table = _WIDTHS.get((font_name, size))
    if table is None:
        table = _WIDTHS[(font_name, size)] = {}
    return table


def char_width(table: dict[str, float], ch: str, font_name: str, size: float) -> float:
    """``stringWidth(ch, font_name, size)``, computed once per character."""
    w = table.get(ch)
    if w is None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        w = table[ch] = stringWidth(ch, font_name, size)
    return w


def char_widths(word, fontName, fontSize):
    """``reportlab.lib.textsplit.getCharWidths``: the width of each character of ``word``."""
    table = width_table(fontName, fontSize)
    return [char_width(table, ch, fontName, fontSize) for ch in word]


def remembering_fp_str(fp_str):
    """``fp_str`` that formats each distinct tuple of numbers once.

    ``fp_str`` depends only on the numbers' values, so equal keys (1 and 1.0)
    share their text safely.  Lists (dash patterns) are not hashable and are
    formatted as before.
    """
    cache: dict[tuple, str] = {}

    def fp_str_cached(*args):
        try:
            return cache[args]
        except KeyError:
            if len(cache) >= FP_CACHE_LIMIT:
                cache.clear()
            text = cache[args] = fp_str(*args)
            return text
        except TypeError:
            return fp_str(*args)

    fp_str_cached.__wrapped__ = fp_str
    return fp_str_cached


def install() -> None:
    """Patch reportlab once per process (see the module docstring)."""
    global _installed
    with _lock:
        if _installed:
            return
        from reportlab.lib import rl_accel, textsplit
        from reportlab.pdfgen import canvas, textobject

        _replace(textsplit, "getCharWidths", char_widths)
        if rl_accel.fp_str is getattr(rl_accel, "_py_fp_str", None):  # no C accelerator
            fp_str = remembering_fp_str(rl_accel.fp_str)
            _replace(canvas, "fp_str", fp_str)  # where pages' coordinates are written
            _replace(textobject, "fp_str", fp_str)
        _installed = True


def _replace(module, name: str, value) -> None:
    ORIGINALS[(module, name)] = getattr(module, name)
    setattr(module, name, value)
