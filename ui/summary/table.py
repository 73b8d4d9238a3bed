"""The 汇总 table: a QAbstractTableModel over ``Summary.rows`` and the proxy that sorts and filters it.

Numbers sort as numbers (``SORT_ROLE``), blanks (未评完, not reviewed) last; the filter matches any
column's text and, apart from it, one 状态.
"""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from model.money import format_amount, format_decimal
from model.summary import Summary

SORT_ROLE = Qt.UserRole + 1
COLUMNS = ("单位", "项目", "全年预算数（万元）", "执行数（万元）", "执行率", "自评分", "审核分", "等次", "错误", "警告",
           "状态", "校验码", "文件")
NUMERIC = {2, 3, 4, 5, 6, 8, 9}
STATE_COLUMN, FILE_COLUMN = 10, 12
STATE_COLOURS = {"未评完": "#fde2e1", "退回": "#fff1c9", "已审核": "#e3f4e1"}


class SummaryTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.summary: Summary | None = None
        self._rows: list = []

    def set_summary(self, summary: Summary) -> None:
        self.beginResetModel()
        self.summary = summary
        self._rows = summary.rows
        self.endResetModel()

    def row_at(self, row: int):
        """(Entry, Row) of a table row."""
        return self._rows[row]

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return COLUMNS[section]
        return None

    def _values(self, entry, r) -> tuple:
        return (entry.unit, r.project, r.budget, r.executed, r.rate, r.self_score, r.review_score, r.grade,
                r.errors, r.warnings, r.state, entry.checksum, entry.source.name)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        entry, r = self._rows[index.row()]
        col = index.column()
        value = self._values(entry, r)[col]
        if role == Qt.DisplayRole:
            if col in (2, 3):
                return format_amount(value, "wan")
            if col == 4:
                return f"{format_decimal(value)}%" if value is not None else ""
            if col == 5 and value is None:
                return "未评完"
            if isinstance(value, Decimal):
                return format_decimal(value)
            if col in (8, 9):
                return str(value) if value else ""
            return value
        if role == SORT_ROLE:
            if col in NUMERIC:
                return float(value) if value is not None else float("-inf")
            return value
        if role == Qt.TextAlignmentRole and col in NUMERIC:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.BackgroundRole and col == STATE_COLUMN and r.state in STATE_COLOURS:
            return QBrush(QColor(STATE_COLOURS[r.state]))
        if role == Qt.ForegroundRole and col == 8 and r.errors:
            return QBrush(QColor("#b00020"))
        if role == Qt.ToolTipRole:
            if col == 1 and r.losses:
                return "\n".join(f"{x.name} 扣 {format_decimal(x.lost)} 分：{x.reason}" for x in r.losses)
            if col == FILE_COLUMN:
                return str(entry.source.path.parent / entry.source.name)
            if col == 6 and entry.opinion:
                return f"审核意见：{entry.opinion}"
        return None


class SummaryFilter(QSortFilterProxyModel):
    """Rows whose text contains the filter (any column) and, when chosen, whose 状态 is ``state``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""
        self.state = ""
        self.setSortRole(SORT_ROLE)

    def set_filter(self, text: str, state: str) -> None:
        self.beginFilterChange()  # Qt 6.10's way (invalidateFilter is deprecated)
        self.text, self.state = text.strip(), state
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row, parent):
        model = self.sourceModel()
        entry, r = model.row_at(row)
        if self.state and r.state != self.state:
            return False
        if not self.text:
            return True
        return any(self.text in str(v) for v in model._values(entry, r) if v is not None) or self.text in entry.checksum
