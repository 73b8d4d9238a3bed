"""The live score panel: total, grade, subtotals, and the selected indicator's rule."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from model.money import format_decimal, format_percent
from model.scoring import GroupScore, incomplete_text


def _set_texts(item: QTreeWidgetItem, texts: list[str]):
    for col, text in enumerate(texts):
        if item.text(col) != text:
            item.setText(col, text)
            if col == 0:
                item.setToolTip(0, text)  # the panel is narrow: a long name shows whole on hover


def _item(texts: list[str]) -> QTreeWidgetItem:
    item = QTreeWidgetItem()
    _set_texts(item, texts)
    return item


class ScorePanel(QWidget):
    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc, self.key = doc, ""
        lay = QVBoxLayout(self)
        self.total = QLabel()
        self.total.setObjectName("score_total")
        lay.addWidget(self.total)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["指标", "分值", "得分", "得分率"])
        # the figures' columns as wide as their widest text (“100.00*”, “100.00%”), measured in this
        # font (so 150 % scaling too); the name column takes the rest — no sideways scrolling
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        metrics = self.tree.fontMetrics()
        for col, widest in ((1, "100.00"), (2, "100.00*"), (3, "100.00%")):
            header.setSectionResizeMode(col, QHeaderView.Fixed)
            self.tree.setColumnWidth(col, max(metrics.horizontalAdvance(widest), metrics.horizontalAdvance("得分率"))
                                     + metrics.averageCharWidth() + 6)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.tree.setWordWrap(True)  # a long indicator or project name takes two lines rather than “履职…”
        self.tree.itemClicked.connect(lambda item, _c: self._clicked(item))
        lay.addWidget(self.tree, 1)
        self.detail = QLabel("点选一个指标，这里显示它的指标解释、评分规则、数据来源和计分过程。")
        self.detail.setWordWrap(True)
        self.detail.setObjectName("score_detail")
        self.detail.setMinimumHeight(120)
        lay.addWidget(self.detail)
        # what the tree shows: the department's groups, then one item per project (children: 预算执行率
        # and its rows).  Projects are matched by object from one refresh to the next, so a keystroke
        # updates the one project that changed, not 10,000 rows of a 500-project report.
        self._group_names: list[str] | None = None
        self._objects: list = []  # Project object per project item
        self._shown: list = []  # ProjectScore per project item
        doc.scored.connect(self.refresh)
        self.refresh()

    def refresh(self):
        result = self.doc.result
        totals = result.dept.totals if result.dept else None
        if totals and not totals.complete:
            self.total.setText(f"<span style='font-size:14pt'><b>{totals.shown}</b></span><br>补齐后才有总分和等次")
        elif totals:
            rule = "" if totals.total == totals.rule_total else f"<br>按规则：{format_decimal(totals.rule_total)}（{totals.rule_grade}）"
            self.total.setText(f"<span style='font-size:20pt'><b>{totals.shown}</b> 分　<b>{totals.grade}</b></span>{rule}")
        else:
            unanswered = sum(p.totals.unanswered for p in result.projects)
            rest = f"，{incomplete_text(unanswered)}" if unanswered else ""
            self.total.setText(f"<b>{len(result.projects)} 个项目</b>{rest}")
        groups = result.dept.groups if result.dept else ()
        objects = self.doc.report.projects
        if [g.name for g in groups] != self._group_names or len(objects) != len(result.projects):
            self._rebuild(groups, result.projects, objects)
        else:
            for top, g in enumerate(groups):
                _set_texts(self.tree.topLevelItem(top), _group_texts(g))
            self._update_projects(result.projects, objects)
        if self.key:
            self.select(self.key)

    def _rebuild(self, groups, projects, objects):
        self.tree.clear()
        self._group_names = [g.name for g in groups]
        self.tree.addTopLevelItems([_item(_group_texts(g)) for g in groups] +
                                   [_project_item(p) for p in projects])
        self._objects = list(objects) if len(objects) == len(projects) else [None] * len(projects)
        self._shown = list(projects)

    def _update_projects(self, projects, objects):
        first = len(self._group_names)
        if len(objects) != len(self._objects) or any(a is not b for a, b in zip(objects, self._objects)):
            self._reorder(objects, first)  # projects added, removed or moved: move their items along
        for i, p in enumerate(projects):
            old = self._shown[i]
            if p is old:
                continue  # the usual keystroke: every project but the edited one
            if not _same_view(p, old):
                item = self.tree.topLevelItem(first + i)
                _set_texts(item, _project_texts(p))
                children = _children_texts(p)
                while item.childCount() > len(children):
                    item.removeChild(item.child(item.childCount() - 1))
                for c, texts in enumerate(children):
                    if c < item.childCount():
                        _set_texts(item.child(c), texts)
                    else:
                        item.addChild(_item(texts))
            self._shown[i] = p

    def _reorder(self, objects, first: int):
        """Make the project items follow ``objects`` (matched by identity; new ones get empty items
        that the text update fills)."""
        wanted = {id(o) for o in objects}
        for k in reversed(range(len(self._objects))):
            if id(self._objects[k]) not in wanted:
                self.tree.takeTopLevelItem(first + k)
                del self._objects[k], self._shown[k]
        for i, obj in enumerate(objects):
            if i < len(self._objects) and self._objects[i] is obj:
                continue
            j = next((j for j in range(i + 1, len(self._objects)) if self._objects[j] is obj), None)
            if j is None:
                item, shown, expanded = QTreeWidgetItem(), None, False
            else:
                expanded = self.tree.topLevelItem(first + j).isExpanded()
                item = self.tree.takeTopLevelItem(first + j)
                shown = self._shown.pop(j)
                del self._objects[j]
            self.tree.insertTopLevelItem(first + i, item)
            item.setExpanded(expanded)
            self._objects.insert(i, obj)
            self._shown.insert(i, shown)

    def _clicked(self, item: QTreeWidgetItem):
        parent = item.parent()
        if parent is None:
            return
        i = self.tree.indexOfTopLevelItem(parent) - len(self._group_names or ())
        c = parent.indexOfChild(item)
        if 0 <= i and c >= 0:
            self.select(f"project.{i}.execution" if c == 0 else f"project.{i}.row.{c - 1}")

    def select(self, key: str):
        """Show the rule and the score explanation of one indicator."""
        self.key = key
        s = self.doc.result.by_key(key)
        if s is None:
            return
        parts = [f"<b>{s.name}</b>（分值 {format_decimal(s.weight)}，得分 {format_decimal(s.score)}）"]
        ind = self.doc.template.indicator(key.removeprefix("dept.")) if key.startswith("dept.") else None
        if ind:
            for label, text in (("指标解释", ind.explanation), ("评分规则", ind.rule_text), ("数据来源", ind.data_source)):
                if text:
                    parts.append(f"<b>{label}：</b>{text}")
        parts.append(f"<b>计分：</b>{s.explanation}")
        if s.override:
            parts.append(f"<b style='color:#a40'>人工调整理由：</b>{s.override.reason or '（未填写）'}")
        self.detail.setText("<br>".join(parts))


def _group_texts(g: GroupScore) -> list[str]:
    return [g.name, format_decimal(g.weight), _score_text(g), format_percent(g.rate)]


def _project_texts(p) -> list[str]:
    total = format_decimal(p.totals.total) if p.totals.complete else "未评完"
    return [f"项目：{p.name}", "100.00", total, p.totals.grade]


def _children_texts(p) -> list[list[str]]:
    return [[s.name, format_decimal(s.weight), _score_text(s), ""] for s in (p.execution, *p.rows)]


def _project_item(p) -> QTreeWidgetItem:
    item = _item(_project_texts(p))
    item.addChildren([_item(texts) for texts in _children_texts(p)])
    return item


def _same_score(a, b) -> bool:
    return (a.name == b.name and a.weight == b.weight and a.score == b.score
            and (a.override is None) == (b.override is None) and (a.rule_score is None) == (b.rule_score is None))


def _same_view(a, b) -> bool:
    """Would ``a`` and ``b`` print the same rows (a project that only moved: same scores, other keys)?"""
    if b is None or a.name != b.name or a.totals != b.totals or len(a.rows) != len(b.rows):
        return False
    return _same_score(a.execution, b.execution) and all(_same_score(x, y) for x, y in zip(a.rows, b.rows))


def _score_text(s) -> str:
    """A score or subtotal as the panel lists it: “—” while not scored, “*” when set by hand."""
    if isinstance(s, GroupScore):
        return format_decimal(s.score) if s.complete else "—"
    return "—" if s.unanswered else format_decimal(s.score) + ("*" if s.overridden else "")
