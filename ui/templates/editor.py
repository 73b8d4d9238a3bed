"""复制并编辑 a template: names, weights, 评分标准 (read into the rule as the Excel import reads it), 指标说明,
grade bands, 编号 and 名称 — checked on every change as a template file is checked on load, with the
open report's score under the edited template shown before anything is saved.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from model import scoring, templates
from model.report import Report
from model.rules import pts
from model.template_io import criteria, yaml_io
from model.template_io.criteria import number
from model.templates import TemplateError

from . import tree as tree_mod
from .tree import CRITERION, EXPLANATION, NAME, WEIGHT

EDITABLE = (NAME, WEIGHT, CRITERION, EXPLANATION)
OK_STYLE, BAD_STYLE = "color: #2e7d32;", "color: #c62828; font-weight: bold;"


class TemplateEditor(QDialog):
    saved = Signal(str)  # path of the saved file

    def __init__(self, raw: dict, report: Report | None, replacing: str = "", notes=(), parent=None):
        super().__init__(parent)
        self.setWindowTitle("编辑模板")
        self.raw, self.report, self.replacing = raw, report, replacing
        self.valid: templates.Template | None = None
        self.before = self._score_before()
        self.resize(1240, 690)
        layout = QVBoxLayout(self)
        layout.addLayout(self._head())
        if notes:
            note = QLabel("导入时未能识别、请核对的指标：\n" + "\n".join(f"· {n}" for n in notes))
            note.setWordWrap(True)
            note.setStyleSheet("color: #8a5300;")
            layout.addWidget(note)
        split = QSplitter(Qt.Horizontal)
        self.tree = tree_mod.make_tree()
        self.tree.setEditTriggers(QAbstractItemView.NoEditTriggers)  # only the columns in EDITABLE (below)
        self.tree.itemDoubleClicked.connect(self._edit)
        self.tree.itemChanged.connect(self._changed)
        tree_mod.fill(self.tree, raw, editable=True)
        split.addWidget(self.tree)
        split.addWidget(self._bands())
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 1)
        split.setSizes([1020, 200])
        layout.addWidget(split, 1)
        hint = QLabel("双击指标名称、分值、评分标准或指标说明即可修改；评分标准按文字重新识别评分规则（写法同 Excel 指标表）。")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.total = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.effect = QLabel()
        self.effect.setWordWrap(True)
        for w in (self.total, self.message, self.effect):
            layout.addWidget(w)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton("保存到我的模板")
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self.timer = QTimer(self, singleShot=True, interval=150)  # one check per burst of typing
        self.timer.timeout.connect(self.revalidate)
        self.revalidate()

    # ------------------------------------------------------------ building
    def _head(self):
        form = QFormLayout()
        row = QHBoxLayout()
        self.fields = {}
        for key, label, width in (("id", "编号", 200), ("title", "名称", 330), ("province", "省份", 90),
                                  ("year", "年度", 60), ("notice", "依据文件", 300)):
            edit = QLineEdit("" if self.raw.get(key) is None else str(self.raw.get(key)))
            edit.setMinimumWidth(width)
            edit.textChanged.connect(lambda text, k=key: self._field(k, text))
            self.fields[key] = edit
            row.addWidget(QLabel(label))
            row.addWidget(edit, width)
        form.addRow(row)
        return form

    def _bands(self) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(QLabel("评价等次（得分 ≥ 下限）"))
        self.bands = QTableWidget(0, 2)
        self.bands.setHorizontalHeaderLabels(["等次", "下限（分）"])
        self.bands.verticalHeader().hide()
        for b in self.raw.get("grade_bands") or ():
            r = self.bands.rowCount()
            self.bands.insertRow(r)
            self.bands.setItem(r, 0, QTableWidgetItem(str(b.get("grade", ""))))
            self.bands.setItem(r, 1, QTableWidgetItem(pts(Decimal(str(b.get("min", 0))))))
        self.bands.itemChanged.connect(self._bands_changed)
        v.addWidget(self.bands)
        return box

    # ------------------------------------------------------------ edits
    def _edit(self, item, column):
        if column in EDITABLE and (column in (NAME, WEIGHT) or "rule" in tree_mod.node_of(item)):
            self.tree.editItem(item, column)

    def _field(self, key: str, text: str):
        if key == "year":
            self.raw["year"] = int(text) if text.strip().isdigit() else (None if not text.strip() else text)
        else:
            self.raw[key] = text.strip()
        self.timer.start()

    def _changed(self, item, column):
        node = tree_mod.node_of(item)
        text = item.text(column).strip()
        if column == NAME:
            node["name"] = text
        elif column == WEIGHT:
            node["weight"] = _number_or_text(text)
        elif column == EXPLANATION:
            node["explanation"] = text
        elif column == CRITERION:
            note = self._recognise(node, text)
        else:
            return
        self.tree.blockSignals(True)
        if "rule" in node:
            tree_mod.show_rule(item)
        if column == CRITERION:
            item.setToolTip(tree_mod.KIND, note)
            item.setForeground(tree_mod.KIND, tree_mod.RED if note else item.foreground(NAME))
        tree_mod.refresh_sums(self.tree)
        self.tree.blockSignals(False)
        self.timer.start()

    @staticmethod
    def _recognise(node: dict, text: str) -> str:
        """The rule the new 评分标准 states; returns what the clerk should check ("" when read fully)."""
        weight = tree_mod.weight_of(node) or Decimal(0)
        found = criteria.recognise(text, weight, node.get("name", ""), node.get("explanation", ""))
        node["rule_text"] = text
        node["rule"] = {"kind": found.kind, **found.params}
        if found.not_applicable:
            node["not_applicable"] = found.not_applicable
        else:
            node.pop("not_applicable", None)
        return found.note

    def _bands_changed(self, _item):
        bands = []
        for r in range(self.bands.rowCount()):
            grade, low = (self.bands.item(r, c).text().strip() if self.bands.item(r, c) else "" for c in (0, 1))
            if grade or low:
                bands.append({"grade": grade, "min": _number_or_text(low)})
        self.raw["grade_bands"] = bands
        self.timer.start()

    # ------------------------------------------------------------ checking
    def _score_before(self):
        if self.report is None:
            return None
        try:
            return scoring.score(self.report, templates.get(self.report.template_id)).dept
        except TemplateError:
            return None

    def revalidate(self):
        """Sums, then the whole check of a template file; the open report scored with the edited template."""
        self.timer.stop()
        l1 = self.raw.get("indicators") or []
        total = sum((tree_mod.weight_of(n) or Decimal(0) for n in l1), Decimal(0))
        self.total.setText(f"一级指标分值合计：{pts(total)} 分（应为 100 分）")
        self.total.setStyleSheet(OK_STYLE if total == 100 else BAD_STYLE)
        try:
            self.valid = yaml_io.validate(self.raw, str(self.raw.get("id") or "模板"))
        except TemplateError as e:
            self.valid = None
            self.message.setText(str(e))
            self.message.setStyleSheet(BAD_STYLE)
            self.effect.setText("模板有误，改正后才能计算当前报告的得分。")
            self.save_button.setEnabled(False)
            return
        self.message.setText("模板检查通过：分值逐级相加一致，评分规则和评价等次有效。")
        self.message.setStyleSheet(OK_STYLE)
        self.save_button.setEnabled(True)
        self.effect.setText(self._effect())

    def _effect(self) -> str:
        if self.report is None or self.before is None:
            return "没有打开的报告，无法预览得分。"
        if self.valid.kind != "dept":
            return "项目支出模板：当前报告的部门整体得分不受影响。"
        after = scoring.score(self.report, self.valid).dept
        if after is None:
            return "当前报告不是部门整体支出报告，无法预览得分。"
        was, now = self.before.totals, after.totals
        if not now.complete:
            return f"当前报告按此模板：{now.shown}（原模板：{was.shown}）。指标编号与报告所用模板不同的，需要重新填写。"
        change = now.total - was.total if was.complete else None
        delta = f"，{'+' if change >= 0 else ''}{pts(change)} 分" if change is not None else ""
        return f"当前报告按此模板得分：{now.shown} 分（{now.grade}），原模板 {was.shown}{delta}。"

    def score_after(self):
        """The open report's total under the edited template (tests; None while the template is broken)."""
        return scoring.score(self.report, self.valid).dept.totals.total if self.valid and self.report else None

    def save(self):
        self.revalidate()
        if self.valid is None:
            return
        try:
            path = yaml_io.save_user_template(self.raw, replacing=self.replacing)
        except TemplateError as e:
            QMessageBox.warning(self, "无法保存模板", str(e))
            return
        self.saved.emit(str(path))
        self.accept()


def _number_or_text(text: str):
    """A typed 分值: a number when it is one; otherwise the text, which validation refuses by name."""
    try:
        return number(Decimal(text))
    except (InvalidOperation, ValueError):
        return text
