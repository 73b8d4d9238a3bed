"""What every wizard step has: an id, a title and a way to focus a field by path."""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from model.templates import SECTIONS


class StepPage(QWidget):
    step_id = ""

    @property
    def title(self) -> str:
        return SECTIONS[self.step_id]

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(12, 8, 12, 12)
        heading = QLabel(f"<h2>{self.title}</h2>")
        self.layout_.addWidget(heading)

    def group(self, title: str, rows: list[tuple[str, QWidget]]) -> QGroupBox:
        """A titled form of (label, widget) rows, added to the page."""
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        for label, widget in rows:
            form.addRow(label, widget)
        self.layout_.addWidget(box)
        return box

    def focus_location(self, location: str) -> bool:
        """Focus the widget bound to ``location`` (problems panel double-click)."""
        widget = self.findChild(QWidget, location)
        if widget is None:
            return False
        widget.setFocus()
        return True
