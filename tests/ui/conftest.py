"""UI test helpers: a private data folder per test, typing as a clerk does."""
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest


def type_text(widget, text: str, replace: bool = True):
    """Type like a clerk: ASCII as key presses, Chinese as a pinyin IME commit (STACK-NOTES).

    Every key goes to whatever has focus, so typing into a table opens its
    editor on the first key and fills it with the rest, as on a real keyboard.
    """
    widget.setFocus()
    if replace and hasattr(widget, "selectAll"):
        widget.selectAll()
    for ch in text:
        target = _target(widget)
        if ch.isascii() and ch.isprintable():  # QTest aborts on keys it cannot map
            QTest.keyClick(target, ch)
        else:
            _commit(target, ch)


def _target(widget):
    """The widget itself, or the editor it opened (a table cell editor is its descendant)."""
    from PySide6.QtWidgets import QApplication

    for focus in (QApplication.focusWidget(), widget.window().focusWidget()):
        if focus is not None and (focus is widget or widget.isAncestorOf(focus)):
            return focus
    return widget


def _commit(widget, text: str):
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)


def press_enter(widget):
    from PySide6.QtWidgets import QApplication

    QTest.keyClick(_target(widget), Qt.Key_Return)
    QApplication.processEvents()  # the delegate commits the editor through a queued call
