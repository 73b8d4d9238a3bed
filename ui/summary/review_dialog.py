"""审核 of one report: a reviewer's 审核得分 per indicator with its reason, 审核意见, 审核人, 日期 and 状态.

The dialog reads the report file, shows every scored indicator with its 分值 and 自评分 beside the
审核得分 and 理由 columns the reviewer fills (``ReviewScoresModel``), and on 保存 writes only the
review block into the file (``model.summary.save_review``: atomic, under the report's lock).  A
审核得分 needs a reason and must lie within 0 and the 分值; a cell left empty keeps the self-score.
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
)

from model import storage, templates
from model.money import MoneyError, format_decimal, parse_number, round2
from model.report import Review, ReviewScore
from model.scoring import score
from model.summary import ReviewError, save_review
from model.summary.review import PENDING, RETURNED, REVIEWED

COLUMNS = ("项目/部门", "指标", "分值", "自评分", "审核得分", "审核理由")
EDITABLE = (4, 5)
STATUS_CHOICES = ((PENDING, ""), (REVIEWED, REVIEWED), (RETURNED, RETURNED))


class ReviewScoresModel(QAbstractTableModel):
    """The indicators of a report with the reviewer's scores; edits go into ``self.scores`` (key → [text, reason])."""

    def __init__(self, report, result, review: Review, parent=None):
        super().__init__(parent)
        self.items = []  # (part label, IndicatorScore)
        if result.dept is not None:
            self.items += [("部门整体", s) for s in result.dept.indicators]
        for p, ps in zip(report.projects, result.projects):
            self.items += [(p.name or f"项目{ps.index + 1}", s) for s in (ps.execution, *ps.rows)]
        self.scores = {k: [format_decimal(v.score), v.reason] for k, v in review.scores.items()}

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return COLUMNS[section]
        return None

    def flags(self, index):
        base = super().flags(index)
        return base | Qt.ItemIsEditable if index.column() in EDITABLE else base

    def data(self, index, role=Qt.DisplayRole):
        part, s = self.items[index.row()]
        col = index.column()
        entered = self.scores.get(s.key, ["", ""])
        if role in (Qt.DisplayRole, Qt.EditRole):
            return (part, s.name, format_decimal(s.weight), "未评分" if s.unanswered else format_decimal(s.score),
                    entered[0], entered[1])[col]
        if role == Qt.BackgroundRole and col in EDITABLE:
            return QBrush(QColor("#fffbe6"))
        if role == Qt.TextAlignmentRole and col in (2, 3, 4):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole and col in (1, 3):
            return s.explanation
        return None

    def setData(self, index, value, role=Qt.EditRole):
        if role != Qt.EditRole or index.column() not in EDITABLE:
            return False
        key = self.items[index.row()][1].key
        entered = self.scores.setdefault(key, ["", ""])
        entered[index.column() - 4] = str(value).strip()
        if not any(entered):
            del self.scores[key]
        self.dataChanged.emit(index, index)
        return True

    def review_scores(self) -> dict[str, ReviewScore]:
        """The entered scores, checked; raises ValueError with the message for the reviewer."""
        weights = {s.key: (part, s) for part, s in self.items}
        out = {}
        for key, (text, reason) in self.scores.items():
            if key not in weights:
                continue
            part, s = weights[key]
            if not text:
                raise ValueError(f"“{part} › {s.name}”写了审核理由但没有审核得分：请填写得分，或清空理由。")
            try:
                value = round2(parse_number(text))
            except MoneyError as e:
                raise ValueError(f"“{part} › {s.name}”的审核得分“{text}”无法识别：{e}") from None
            if not Decimal(0) <= value <= s.weight:
                raise ValueError(f"“{part} › {s.name}”的审核得分 {format_decimal(value)} 不在 0 到分值 "
                                 f"{format_decimal(s.weight)} 之间，请改正。")
            if not reason:
                raise ValueError(f"“{part} › {s.name}”的审核得分需要写明理由（扣分原因），请在“审核理由”栏填写。")
            out[key] = ReviewScore(value, reason)
        return out


class ReviewDialog(QDialog):
    def __init__(self, path, parent=None):
        super().__init__(parent)
        self.path = path
        self.report = storage.load(path)
        result = score(self.report, templates.get(self.report.template_id))
        review = self.report.review
        self.setWindowTitle(f"审核：{self.report.basic.department or path.name}")
        self.resize(980, 600)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("在“审核得分”栏填写审核后的得分并写明理由；留空的指标按自评分计。自评分不会被改动。"))
        self.model = ReviewScoresModel(self.report, result, review, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setSectionResizeMode(5, QHeaderView.Stretch)
        for col, width in enumerate((170, 260, 60, 70, 80)):
            self.table.setColumnWidth(col, width)
        layout.addWidget(self.table, 1)
        form = QFormLayout()
        self.status = QComboBox(self)
        for label, value in STATUS_CHOICES:
            self.status.addItem(label, value)
        self.status.setCurrentIndex(max(0, self.status.findData(review.status if review.status in (REVIEWED, RETURNED) else "")))
        self.opinion = QPlainTextEdit(review.opinion, self)
        self.opinion.setFixedHeight(64)
        self.reviewer = QLineEdit(review.reviewer, self)
        self.date = QLineEdit(review.date or datetime.date.today().isoformat(), self)
        form.addRow("状态", self.status)
        form.addRow("审核意见", self.opinion)
        form.addRow("审核人", self.reviewer)
        form.addRow("审核日期", self.date)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel, self)
        buttons.button(QDialogButtonBox.Save).setText("保存到报告文件")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def review(self) -> Review:
        """The review as entered; ValueError says what to correct."""
        return Review(self.status.currentData(), self.opinion.toPlainText().strip(), self.reviewer.text().strip(),
                      self.date.text().strip(), self.model.review_scores())

    def save(self) -> None:
        try:
            save_review(self.path, self.review())
        except (ValueError, ReviewError) as e:
            QMessageBox.warning(self, "审核没有保存", str(e))
            return
        self.accept()
