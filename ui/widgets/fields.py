"""Form fields bound to a report path: every keystroke is an undoable edit.

Each field shows the value at its path, writes through ``Document.set`` and
refreshes itself when the document changes (undo, redo, import).  Amount and
number fields parse what clerks type (``1,482.43``, ``1482.43万``, full-width
digits); text they cannot read is kept on screen, outlined red, with the
reason as tooltip and in ``error`` — nothing is written until it parses.
"""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from model.money import MoneyError, format_amount, parse_amount, parse_number, unit_doubt

from .dialogs import ask_unit

COMPUTED_STYLE = "background:#eef3f8;color:#234;"  # derived values: read-only, tinted
CARRIED_STYLE = "background:#fff7dc;"  # carried from last year or imported
ERROR_STYLE = "border:2px solid #d33;"
PROVENANCE = {"carried": "上年结转而来", "imported": "从决算表导入"}


class _Bound:
    """Mixin: path binding, refresh on document changes, provenance tint."""

    def bind(self, doc, path: str):
        self.doc, self.path = doc, path
        self.setObjectName(path)  # problems panel focuses fields by path
        doc.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, path: str):
        if not path or path == self.path or self.path.startswith(path + ".") or path.startswith(self.path):
            self.refresh()

    def tint(self):
        source = self.doc.report.provenance.get(self.path)
        self.setStyleSheet(CARRIED_STYLE if source else "")
        self.setToolTip(PROVENANCE.get(source, ""))


class TextField(_Bound, QLineEdit):
    def __init__(self, doc, path: str, placeholder: str = "", parent=None):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.textEdited.connect(lambda text: self.doc.set(self.path, text))
        self.bind(doc, path)

    def refresh(self):
        value = self.doc.get(self.path) or ""
        if self.text() != value:
            self.setText(value)
            if not self.hasFocus():
                self.setCursorPosition(0)  # long texts show their beginning
        self.tint()


class TextArea(_Bound, QPlainTextEdit):
    """Multi-line text; ``lines=True`` stores a list with one item per line (职能职责, 内设机构)."""

    def __init__(self, doc, path: str, lines: bool = False, height: int = 90, placeholder: str = "", parent=None):
        super().__init__(parent)
        self.lines, self._loading = lines, False
        self.setPlaceholderText(placeholder)
        self.setMinimumHeight(height)
        self.setTabChangesFocus(True)
        self.textChanged.connect(self._edited)
        self.bind(doc, path)

    def _value(self):
        text = self.toPlainText()
        return [line.strip() for line in text.splitlines() if line.strip()] if self.lines else text

    def _edited(self):
        if not self._loading:
            self.doc.set(self.path, self._value())

    def refresh(self):
        value = self.doc.get(self.path)
        if value == self._value():
            return
        self._loading = True
        self.setPlainText("\n".join(value or []) if self.lines else (value or ""))
        self._loading = False
        self.tint()


class _ParsedField(_Bound, QLineEdit):
    """A line edit whose text is parsed into a value; invalid text is shown, not written."""
    invalid = Signal(str)

    def __init__(self, doc, path: str, parent=None):
        super().__init__(parent)
        self.error, self._typing, self._session, self._before = "", False, False, None
        self.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.textEdited.connect(self._edited)
        self.editingFinished.connect(self._finished)
        self.bind(doc, path)

    def parse(self, text: str):
        raise NotImplementedError

    def show(self, value) -> str:
        raise NotImplementedError

    def _edited(self, text: str):
        if not self._session:
            self._session, self._before = True, self.doc.get(self.path)
        try:
            value = self.parse(text)
        except (MoneyError, ValueError) as e:
            self.error = str(e)
            self.setStyleSheet(ERROR_STYLE)
            self.setToolTip(self.error)
            self.invalid.emit(self.error)
            value = self._before  # text that doesn't parse leaves the value as it was before typing
        else:
            self.error = ""
            self.tint()
        self._typing = True  # our own edit: don't reformat the text under the cursor
        try:
            self.doc.set(self.path, value)
        finally:
            self._typing = False

    def _finished(self):
        self._session = False
        if not self.error:
            self.refresh()

    def refresh(self):
        if self._typing:
            return
        value = self.doc.get(self.path)
        if self.error and value == self._before:
            return  # keep the clerk's unreadable text on screen, outlined red, until fixed
        self.error = ""
        shown = self.show(value)
        if self.hasFocus() and self._same(value):
            return  # don't reformat under the cursor while typing
        if self.text() != shown:
            self.setText(shown)
        self.tint()

    def _same(self, value) -> bool:
        try:
            return self.parse(self.text()) == value
        except (MoneyError, ValueError):
            return False


class AmountField(_ParsedField):
    """Money in the report's display unit (万元 or 元); stored as Decimal 元.  A figure that looks typed in
    the other unit (40,529,800.00 in a 万元 report) is asked about once, when the clerk leaves the box."""

    def __init__(self, doc, path: str, parent=None):
        super().__init__(doc, path, parent)
        self.setPlaceholderText("0.00")
        self.setMinimumWidth(130)  # 12,345,678.90 stays readable
        self.asked = ""  # the text last asked about (one question per figure)

    def parse(self, text):
        return parse_amount(text, self.doc.unit)

    def _finished(self):
        text = self.text().strip()
        doubt = unit_doubt(text, self.doc.unit) if not self.error else None
        if doubt and text != self.asked:
            self.asked = text
            chosen = ask_unit(self, text, self.doc.unit, doubt)
            if chosen is not None and chosen != self.doc.unit:
                self.doc.set(self.path, parse_amount(f"{text}{'万' if chosen == 'wan' else '元'}"))
        super()._finished()

    def show(self, value):
        return format_amount(value, self.doc.unit)


class NumberField(_ParsedField):
    """A plain number (rate in %, count, km …); ``integer=True`` for head counts."""

    def __init__(self, doc, path: str, integer: bool = False, required: bool = False, parent=None):
        self.integer, self.required = integer, required
        super().__init__(doc, path, parent)

    def parse(self, text):
        if not text.strip():
            if self.required:
                raise ValueError("此项必填，请输入数字")
            return None
        value = parse_number(text)
        if self.integer:
            if value != value.to_integral_value() or value < 0:
                raise ValueError(f"“{text}”不是人数/个数，请输入不小于 0 的整数")
            return int(value)
        return value

    def show(self, value):
        if value is None:
            return ""
        return str(value) if isinstance(value, int) else f"{Decimal(value).normalize():f}"


class ChoiceField(_Bound, QComboBox):
    """A fixed set of (label, value) choices."""

    def __init__(self, doc, path: str, choices: list[tuple[str, object]], parent=None):
        super().__init__(parent)
        for label, value in choices:
            self.addItem(label, value)
        self.currentIndexChanged.connect(self._chosen)
        self.bind(doc, path)

    def _chosen(self, index: int):
        if index >= 0:
            self.doc.set(self.path, self.itemData(index))

    def refresh(self):
        index = self.findData(self.doc.get(self.path))
        if index != self.currentIndex():
            self.blockSignals(True)
            self.setCurrentIndex(index)
            self.blockSignals(False)


class CheckField(_Bound, QCheckBox):
    """A yes/no flag (不适用)."""

    def __init__(self, doc, path: str, text: str, parent=None):
        super().__init__(text, parent)
        self.toggled.connect(lambda on: self.doc.set(self.path, on))
        self.bind(doc, path)

    def refresh(self):
        on = bool(self.doc.get(self.path))
        if self.isChecked() != on:
            self.blockSignals(True)
            self.setChecked(on)
            self.blockSignals(False)


def computed(text: str = "", tooltip: str = "自动计算，不能手工修改") -> QLineEdit:
    """A read-only, tinted line for derived values (汇总, rates)."""
    edit = QLineEdit(text)
    edit.setReadOnly(True)
    edit.setFocusPolicy(Qt.NoFocus)
    edit.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
    edit.setStyleSheet(COMPUTED_STYLE)
    edit.setToolTip(tooltip)
    return edit


class ChecklistField(QWidget):
    """One checkbox per requirement; stores the list of booleans at ``path``."""

    def __init__(self, doc, path: str, items: list[str], parent=None):
        super().__init__(parent)
        from PySide6.QtWidgets import QGridLayout, QLabel

        self.doc, self.path = doc, path
        self.setObjectName(path)
        lay = QGridLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setColumnStretch(1, 1)
        self.boxes = []
        for i, text in enumerate(items):
            box = QCheckBox(chr(0x2460 + i))
            box.setToolTip(text)
            box.toggled.connect(self._toggled)
            label = QLabel(text)
            label.setWordWrap(True)  # long requirements wrap instead of widening the page
            label.setBuddy(box)
            lay.addWidget(box, i, 0, Qt.AlignTop)
            lay.addWidget(label, i, 1)
            self.boxes.append(box)
        doc.changed.connect(lambda p: (not p or p.startswith(path) or path.startswith(p)) and self.refresh())
        self.refresh()

    def _toggled(self):
        self.doc.set(self.path, [b.isChecked() for b in self.boxes], "勾选")

    def refresh(self):
        values = self.doc.get(self.path) or []
        for i, box in enumerate(self.boxes):
            box.blockSignals(True)
            box.setChecked(bool(values[i]) if i < len(values) else False)
            box.blockSignals(False)


class OverrideField(QWidget):
    """人工得分 + 调整理由; an empty score removes the override."""

    def __init__(self, doc, path: str, parent=None):
        super().__init__(parent)
        from PySide6.QtWidgets import QHBoxLayout

        self.doc, self.path = doc, path
        self.setObjectName(path + ".override")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.score = QLineEdit()
        self.score.setPlaceholderText("人工得分")
        self.score.setMaximumWidth(90)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("调整理由（人工评分时必填）")
        lay.addWidget(self.score)
        lay.addWidget(self.reason, 1)
        self.score.textEdited.connect(self._edited)
        self.reason.textEdited.connect(self._edited)
        doc.changed.connect(lambda p: (not p or p.startswith(path) or path.startswith(p)) and self.refresh())
        self.refresh()

    def _edited(self, _text=""):
        from model.report import Override

        text = self.score.text().strip()
        if not text:
            self.score.setStyleSheet("")
            self.doc.set(self.path, None, "人工评分")
            return
        try:
            value = parse_number(text)
        except MoneyError as e:
            self.score.setStyleSheet(ERROR_STYLE)
            self.score.setToolTip(str(e))
            return
        self.score.setStyleSheet("")
        self.doc.set(self.path, Override(value, self.reason.text()), "人工评分")

    def refresh(self):
        value = self.doc.get(self.path)
        score = "" if value is None else f"{value.score.normalize():f}"
        reason = "" if value is None else value.reason
        if not self.score.hasFocus() and self.score.text() != score:
            self.score.setText(score)
        if not self.reason.hasFocus() and self.reason.text() != reason:
            self.reason.setText(reason)
