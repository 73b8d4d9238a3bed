"""Start-up note about the clerk's own templates that were skipped (bad files): once, in the status bar.

``model.templates.available()`` skips a template file of the clerk's that cannot be used (syntax
error, ``!!python`` tag, alias bomb, invalid content) instead of stopping the program; this says
so when the window opens — which files and why — so the clerk can fix or delete them.
"""
from __future__ import annotations

from model import templates


def show_skipped_templates(window) -> str:
    """Put the warning in ``window``'s status bar (all of it in the tooltip); returns the text shown ("" if none)."""
    skipped = templates.load_warnings()
    if not skipped:
        return ""
    more = f"（另有 {len(skipped) - 1} 个，见提示）" if len(skipped) > 1 else ""
    text = f"⚠ {skipped[0]}{more}"
    bar = window.statusBar()
    bar.showMessage(text)  # stays until the next message (e.g. 已保存)
    bar.setToolTip("\n\n".join(skipped))

    def replaced(message: str) -> None:
        if message != text:
            bar.setToolTip("")
            bar.messageChanged.disconnect(replaced)

    bar.messageChanged.connect(replaced)
    return text
