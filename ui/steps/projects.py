"""项目支出: the project list and, for the chosen project, its 项目支出绩效自评表.

Laid out for 1366×768 (and 1920×1080 at 150 %, about 1280×720): the project list folds away
(remembered), the project's head, funds and goals scroll in the upper part of a splitter, and the
indicator table takes the lower part and the width, with 三级指标 … 分值, 得分 in view."""
from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget, QMessageBox,
                               QPushButton, QScrollArea, QSplitter, QToolButton, QVBoxLayout, QWidget)

from model import templates
from model.edits import clone
from model.money import format_decimal, format_percent
from model.report import Project, ProjectIndicator

from ..models.table import Column, ObjectTableModel, comparator_symbol
from ..prefs import flag, remember_splitter, set_flag
from ..widgets.fields import AmountField, ChoiceField, TextArea, TextField, computed
from ..widgets.table import DataTable
from .base import StepPage

GRADES = [("（同自我评定）", ""), ("优", "优"), ("良", "良"), ("中", "中"), ("差", "差")]
FUND_ROWS = [("funds_current", "其中：当年财政拨款"), ("funds_carryover", "上年结转资金"), ("funds_other", "其他资金")]
FUND_COLS = [("initial_budget", "年初预算数"), ("annual_budget", "全年预算数(A)"), ("executed", "全年执行数(B)")]
LIST_SHOWN = "layout/project_list"  # settings: the project list unfolded
ROOMY = 1600  # logical pixels of screen width from which the list is unfolded until the clerk chooses
# indicator columns as wide as what they usually hold, so that 三级指标 … 分值, 得分 fit the table's
# width at 1366×768; the columns after 得分 are scrolled to.
COLUMN_TEXTS = {"level1": "产出指标", "level2": "数量指标", "name": "脱贫劳动力务工人数",
                "comparator": "≥", "target": "≥1.47万人", "actual": "1.471万人", "unit": "万元",
                "weight": "10.00", "score": "10.00 *", "nature": "定量", "band": "部分达成", "judged_score": "档内评分",
                "override": "人工得分"}


class ProjectEditor(QWidget):
    """The fields of one project; rebound when another project is chosen."""
    selected = Signal(str)  # score key of the chosen indicator row

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc, self.index = doc, -1
        self.form = templates.project_form(doc.template)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.rows_model = ObjectTableModel(doc, "", self._columns(), self._new_row, self)
        self.rows_view = DataTable(self.rows_model, doc)
        self.rows_view.setObjectName("project_indicators")
        self.rows_view.setMinimumHeight(150)
        self._size_columns()
        self.rows_view.viewport().installEventFilter(self)  # 三级指标 takes the room the table has to spare
        self.rows_view.clicked.connect(lambda i: self.selected.emit(f"project.{self.index}.row.{i.row()}"))
        # upper part: the project's head, funds and goals (rebuilt per project), scrolled when short of room;
        # lower part: the indicator table, built once and kept — the splitter keeps its place between projects
        self.upper = QScrollArea()
        self.upper.setWidgetResizable(True)
        self.upper.setFrameShape(QFrame.NoFrame)
        self.upper.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        rows = QGroupBox("绩效指标（可从 Excel/WPS 复制粘贴整块单元格）")
        rlay = QVBoxLayout(rows)
        rlay.setContentsMargins(6, 4, 6, 6)
        buttons = self.rows_view.row_buttons("指标", add_column=2)
        self.total_label = QLabel()
        buttons.addWidget(self.total_label)
        rlay.addLayout(buttons)
        rlay.addWidget(self.rows_view, 1)
        self.split = QSplitter(Qt.Vertical)
        self.split.setObjectName("project_split")
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(self.upper)
        self.split.addWidget(rows)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)
        self.split.setSizes([2000, 3000])  # by proportion: the head's first rows and funds, and 6 indicator rows
        remember_splitter(self.split, "layout/project_split")  # a small screen: the clerk drags it once
        self.box.addWidget(self.split)
        doc.changed.connect(lambda _p: self.refresh())

    def _columns(self) -> list[Column]:
        level1 = [(l1.name, l1.id) for l1 in self.form.level1]
        level2 = [(n, n) for l1 in self.form.level1 for n in l1.level2]
        bands = [(b["label"], i) for i, b in enumerate(self.form.qualitative["bands"])]
        return [
            Column("level1", "一级指标", "choice", level1),
            Column("level2", "二级指标", "choice", level2),
            Column("name", "三级指标"),
            Column("comparator", "比较符", "choice", [("", ""), ("≥", "≥"), ("≤", "≤"), ("=", "=")],
                   tip="≥ 正向指标；≤ 反向指标；空 = 按年度指标值中写的符号或模板默认。"
                       "可直接键入 >=、<=、不低于、不超过 等", read=comparator_symbol),
            Column("target", "年度指标值(A)"),
            Column("actual", "实际完成值(B)"),
            Column("unit", "计量单位", tip="空 = 按年度指标值、实际完成值中写的单位；两者单位须一致（复核会检查）"),
            Column("weight", "分值", "number"),
            Column("score", "得分", "computed", computed=self._score_text),  # beside 分值, as on the official form
            Column("nature", "性质", "choice", [("自动", "auto"), ("定量", "quantitative"), ("定性", "qualitative")]),
            Column("band", "定性档次", "choice", [("", None)] + bands),
            Column("judged_score", "档内评分", "number", tip="定性指标在所选档次内的评分；空 = 该档最高分"),
            Column("override", "人工得分", "override", tip="填写后以人工得分为准，须填写调整理由"),
            Column("override", "调整理由", "reason"),
            Column("deviation_reason", "未完成原因分析"),
        ]

    def _size_columns(self):
        metrics = self.rows_view.fontMetrics()
        pad = metrics.averageCharWidth() + 8  # the cell's margins; longer texts are elided (the editor shows them whole)
        for col, column in enumerate(self.rows_model.columns):
            sample = COLUMN_TEXTS.get(column.attr)
            if sample is not None:
                width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(column.label)) + pad
                self.rows_view.setColumnWidth(col, width)
                if column.attr == "name":
                    self.name_width = width

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Resize and watched is self.rows_view.viewport():
            # after the view has settled its scroll bars, which the new width may show or hide
            QTimer.singleShot(0, self, self._fit_name_column)
        return False

    def _fit_name_column(self):
        """Widen 三级指标 so that the columns up to 得分 fill the table's width (never narrower than sized)."""
        columns = self.rows_model.columns
        name = next(i for i, c in enumerate(columns) if c.attr == "name")
        score = next(i for i, c in enumerate(columns) if c.attr == "score")
        others = sum(self.rows_view.columnWidth(c) for c in range(score + 1) if c != name)
        self.rows_view.setColumnWidth(name, max(self.name_width, self.rows_view.viewport().width() - others))

    def _score_text(self, doc, row: int) -> str:
        projects = doc.result.projects
        if self.index >= len(projects) or row >= len(projects[self.index].rows):
            return ""
        s = projects[self.index].rows[row]
        return format_decimal(s.score) + (" *" if s.overridden else "")

    def _new_row(self):
        return ProjectIndicator(level1=self.form.level1[0].id, level2=self.form.level1[0].level2[0])

    def bind(self, index: int):
        """Show project ``index`` (-1: none)."""
        self.index = index
        self.rows_model.set_list_path(f"projects[{index}].indicators" if index >= 0 else "")
        self.split.setVisible(index >= 0)
        if index < 0:
            self.upper.setWidget(QWidget())  # no field stays bound to a project that is gone (an import undone)
            return
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 4, 0)
        lay.addWidget(self._head(f"projects[{index}]"))
        lay.addWidget(self._funds(f"projects[{index}]"))
        lay.addWidget(self._goals(f"projects[{index}]"))
        if self.form.text_fields:  # only where the province's form has them (四川)
            lay.addWidget(self._texts(f"projects[{index}]"))
        self.upper.setWidget(body)  # the previous project's widgets go with the old body
        self.refresh()

    def _head(self, p: str) -> QGroupBox:
        d = self.doc
        head = QGroupBox("项目")
        grid = QGridLayout(head)
        grid.setVerticalSpacing(4)
        fields = [("项目名称", TextField(d, f"{p}.name")), ("主管部门", TextField(d, f"{p}.authority")),
                  ("实施单位", TextField(d, f"{p}.implementer")),
                  ("资金来源", ChoiceField(d, f"{p}.fund_source", [("本级安排", "本级安排"), ("上级转移支付", "上级转移支付")])),
                  ("主管部门审核结论", ChoiceField(d, f"{p}.authority_review", GRADES))]
        for i, (label, widget) in enumerate(fields):
            grid.addWidget(QLabel(label), i // 2, (i % 2) * 2)
            grid.addWidget(widget, i // 2, (i % 2) * 2 + 1)
        return head

    def _funds(self, p: str) -> QGroupBox:
        """The funds block: three amount columns and the computed 执行率 and 得分, each box as wide as the
        longest figure it can show (the 得分 box once showed “.73” for 1.73)."""
        d = self.doc
        funds = QGroupBox(f"项目资金（{'万元' if d.unit == 'wan' else '元'}；分值 {format_decimal(self.form.execution_weight)}）")
        fgrid = QGridLayout(funds)
        fgrid.setVerticalSpacing(3)
        for c, (_, label) in enumerate(FUND_COLS, 1):
            fgrid.addWidget(QLabel(f"<b>{label}</b>"), 0, c)
        fgrid.addWidget(QLabel("<b>执行率(B/A)</b>"), 0, 4)
        fgrid.addWidget(QLabel("<b>得分</b>"), 0, 5)
        fgrid.addWidget(QLabel("年度资金总额（自动）"), 1, 0)
        self.total_cells = [computed() for _ in FUND_COLS]
        for c, cell in enumerate(self.total_cells, 1):
            fgrid.addWidget(cell, 1, c)
        self.rate_cell, self.exec_score = computed(), computed()
        for cell, widest in ((self.rate_cell, "100.00%"), (self.exec_score, "10.00")):
            cell.setMinimumWidth(cell.fontMetrics().horizontalAdvance(widest) + 4 * cell.fontMetrics().averageCharWidth())
        fgrid.addWidget(self.rate_cell, 1, 4)
        fgrid.addWidget(self.exec_score, 1, 5)
        for r, (attr, label) in enumerate(FUND_ROWS, 2):
            fgrid.addWidget(QLabel(label), r, 0)
            for c, (col, _) in enumerate(FUND_COLS, 1):
                fgrid.addWidget(AmountField(d, f"{p}.{attr}.{col}"), r, c)
        for c in range(1, 4):
            fgrid.setColumnStretch(c, 1)
        return funds

    def _goals(self, p: str) -> QGroupBox:
        goals = QGroupBox("年度总体目标")
        glay = QGridLayout(goals)
        glay.setVerticalSpacing(2)
        glay.addWidget(QLabel("预期目标"), 0, 0)
        glay.addWidget(QLabel("实际完成情况"), 0, 1)
        glay.addWidget(TextArea(self.doc, f"{p}.goal_expected", height=60), 1, 0)
        glay.addWidget(TextArea(self.doc, f"{p}.goal_actual", height=60), 1, 1)
        return goals

    def _texts(self, p: str) -> QGroupBox:
        """The template's text blocks (执行率偏低原因, 评价结论, …), each with its 复核 word limit as the hint."""
        texts = QGroupBox("评价结论及说明")
        glay = QGridLayout(texts)
        glay.setVerticalSpacing(2)
        review = templates.project_template(self.doc.template).review  # the project form's 复核 rules
        for i, (key, label) in enumerate(self.form.text_fields):
            limit = review.limit(key)
            glay.addWidget(QLabel(label), i // 2 * 2, i % 2)
            glay.addWidget(TextArea(self.doc, f"{p}.{key}", height=60,
                                    placeholder=f"不超过 {limit} 字" if limit else ""), i // 2 * 2 + 1, i % 2)
        return texts

    def refresh(self):
        if self.index < 0 or self.index >= len(self.doc.report.projects) or self.upper.widget() is None:
            return
        project = self.doc.report.projects[self.index]
        total = project.funds_total
        from model.money import format_amount

        for cell, (col, _) in zip(self.total_cells, FUND_COLS):
            cell.setText(format_amount(getattr(total, col), self.doc.unit))
        ps = self.doc.result.projects[self.index]
        self.rate_cell.setText(format_percent(ps.execution.value))
        self.exec_score.setText("" if ps.execution.unanswered else format_decimal(ps.execution.score))
        t = ps.totals
        rule = "" if not t.complete or t.total == t.rule_total else f"（按规则 {format_decimal(t.rule_total)}）"
        self.total_label.setText(f"<b>总分 {t.shown}　{t.grade}</b>{rule}")


class ProjectsPage(StepPage):
    step_id = "projects"

    def __init__(self, doc, parent=None):
        super().__init__(doc, parent)
        self.left = QWidget()
        llay = QVBoxLayout(self.left)
        llay.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setObjectName("projects")
        self.list.setWordWrap(True)  # long project names wrap instead of being cut off
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._chosen)
        llay.addWidget(self.list, 1)
        grid = QGridLayout()
        grid.setSpacing(2)
        for i, (text, slot) in enumerate((("添加项目", self.add), ("复制项目", self.duplicate), ("删除项目", self.delete),
                                          ("上移", lambda: self.move(-1)), ("下移", lambda: self.move(1)))):
            button = QPushButton(text)
            button.clicked.connect(slot)
            grid.addWidget(button, i // 2, i % 2)
        llay.addLayout(grid)
        self.left.setFixedWidth(self.fontMetrics().horizontalAdvance("一二三四五六七八九十一二") + 24)
        # 项目列表 folds away to give the table the width; the choice is remembered
        self.fold = QToolButton()
        self.fold.setObjectName("project_list_toggle")
        self.fold.setCheckable(True)
        self.fold.toggled.connect(self.show_list)
        self.current = QLabel()
        self.current.setObjectName("current_project")
        top = QHBoxLayout()
        top.addWidget(self.fold)
        top.addWidget(self.current, 1)
        for name, text, slot in (("import_targets", "从绩效目标表导入…", self.import_targets),
                                 ("export_targets", "导出绩效目标表…", self.export_targets)):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            top.addWidget(button)
        self.editor = ProjectEditor(doc)
        self.selected = self.editor.selected  # the chosen indicator row, for the score panel
        self.empty = QLabel("本报告还没有项目。点左侧“添加项目”，为每个项目填写项目支出绩效自评表。")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color:#555;font-size:12pt;padding:24px")
        holder = QVBoxLayout()
        holder.setContentsMargins(0, 0, 0, 0)
        holder.addLayout(top)
        holder.addWidget(self.empty)
        holder.addWidget(self.editor, 1)
        row = QHBoxLayout()
        row.addWidget(self.left)
        row.addLayout(holder, 1)
        self.layout_.addLayout(row, 1)
        self.fold.setChecked(flag(LIST_SHOWN, self.screen().availableGeometry().width() >= ROOMY))
        self.show_list(self.fold.isChecked())
        doc.structure_changed.connect(lambda path: path in ("", "projects") and self.reload())
        doc.changed.connect(self._names)
        self.reload()

    def projects(self):
        return self.doc.report.projects

    def show_list(self, shown: bool):
        """Unfold or fold the project list (remembered for the next time)."""
        self.left.setVisible(shown)
        self.fold.setText("◀ 收起项目列表" if shown else "▶ 项目列表")
        self.fold.setToolTip("收起左侧项目列表，让指标表格更宽" if shown else "展开左侧项目列表，添加、复制、删除或移动项目")
        if self.fold.isChecked() != shown:
            self.fold.setChecked(shown)
        set_flag(LIST_SHOWN, shown)

    def reload(self, select: int | None = None):
        current = self.list.currentRow() if select is None else select
        self.list.blockSignals(True)
        self.list.clear()
        for i, p in enumerate(self.projects()):
            self.list.addItem(f"{i + 1}. {p.name or '（未命名项目）'}")
        self.list.blockSignals(False)
        current = min(max(current, 0), len(self.projects()) - 1)
        self.list.setCurrentRow(current)
        self.editor.bind(current)
        self.empty.setVisible(not self.projects())
        if not self.projects():
            self.left.setVisible(True)  # its 添加项目 is the way to start, folded or not
        self._show_current()

    def _show_current(self):
        """Which project the editor shows — what the folded list no longer tells."""
        row = self.editor.index
        name = (self.projects()[row].name or "（未命名项目）") if 0 <= row < len(self.projects()) else ""
        self.current.setText(f"第 {row + 1} / {len(self.projects())} 个项目：<b>{name}</b>" if name else "")

    def _names(self, path: str):
        m = re.match(r"projects\[(\d+)\]\.name$", path)
        if m and int(m.group(1)) < self.list.count():
            i = int(m.group(1))
            self.list.item(i).setText(f"{i + 1}. {self.projects()[i].name or '（未命名项目）'}")
            self._show_current()

    def _chosen(self, row: int):
        if row != self.editor.index:
            self.editor.bind(row)
            self._show_current()

    def add(self):
        n = len(self.projects())
        self.doc.insert("projects", n, Project(name=f"新项目{n + 1}", authority=self.doc.report.basic.department,
                                               implementer=self.doc.report.basic.department), "添加项目")
        self.reload(n)

    def duplicate(self):
        row = self.list.currentRow()
        if row < 0:
            return
        copy = clone(self.projects()[row])
        copy.name += "（副本）"
        self.doc.insert("projects", row + 1, copy, "复制项目")
        self.reload(row + 1)

    def delete(self):
        row = self.list.currentRow()
        if row < 0:
            return
        name = self.projects()[row].name
        if QMessageBox.question(self, "删除项目", f"确定删除项目“{name}”吗？（可用 Ctrl+Z 撤销）") == QMessageBox.Yes:
            self.doc.remove("projects", row, "删除项目")
            self.reload(row)

    def move(self, delta: int):
        row = self.list.currentRow()
        if 0 <= row + delta < len(self.projects()):
            self.doc.move("projects", row, row + delta, "移动项目")
            self.reload(row + delta)

    def import_targets(self):
        """项目、资金、指标和分值 from the approved 绩效目标表 (ui.steps.targets_dialog), one undo step."""
        from .targets_dialog import ask_import

        if ask_import(self):
            self.reload()

    def export_targets(self):
        from .targets_dialog import ask_export

        ask_export(self)

    def focus_location(self, location: str) -> bool:
        m = re.match(r"projects\[(\d+)\](?:\.indicators\[(\d+)\])?", location)
        if not m:
            return False
        self.reload(int(m.group(1)))
        if m.group(2) is not None:
            index = self.editor.rows_model.index(int(m.group(2)), 2)
            self.editor.rows_view.setCurrentIndex(index)
            self.editor.rows_view.setFocus()
        else:
            field = self.findChild(QWidget, location)
            (field or self.list).setFocus()
        return True
