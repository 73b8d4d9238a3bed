"""The indicator tree of a template's data as a QTreeWidget: 指标 | 分值 | 下级合计 | 评分规则 | 评分标准 | 指标说明.

Each item knows the dict it shows (``node_of(item)``; Qt would hand back a copy of a dict stored in the
item, so the item holds its index in ``tree.nodes``): the editor changes the data in place.  下级合计 is red where the children do not add up to the 分值.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

from model import metrics
from model.rules import KINDS, pts
from model.template_io.excel import criterion_text

COLUMNS = ("指标", "分值", "下级合计", "评分规则", "评分标准", "指标说明")
NAME, WEIGHT, SUM, KIND, CRITERION, EXPLANATION = range(6)
NODE = Qt.UserRole + 1
RED = QBrush(QColor("#c62828"))


def weight_of(node: dict) -> Decimal | None:
    try:
        value = Decimal(str(node.get("weight")))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def children_sum(node: dict) -> Decimal:
    return sum((weight_of(c) or Decimal(0) for c in node.get("children") or ()), Decimal(0))


def kind_text(node: dict) -> str:
    rule = node.get("rule") or {}
    kind = KINDS.get(rule.get("kind", ""))
    metric = metrics.METRICS.get(node.get("metric") or "")
    label = kind.label if kind else f"未知规则 {rule.get('kind')}"
    return f"{label}（按{metric.name}）" if metric else label


def make_tree(parent=None) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setColumnCount(len(COLUMNS))
    tree.setHeaderLabels(COLUMNS)
    tree.setAlternatingRowColors(True)
    tree.setWordWrap(True)
    header = tree.header()
    header.setStretchLastSection(False)
    for col, width in ((NAME, 230), (WEIGHT, 52), (SUM, 70), (KIND, 170), (EXPLANATION, 200)):
        header.resizeSection(col, width)
    header.setSectionResizeMode(CRITERION, QHeaderView.Stretch)
    return tree


def fill(tree: QTreeWidget, raw: dict, editable: bool = False) -> None:
    """Show the indicators of ``raw`` (expanded); editable items let the clerk edit names, weights and texts."""
    tree.blockSignals(True)
    tree.clear()
    tree.nodes = []
    for l1 in raw.get("indicators") or ():
        item1 = _item(tree, l1, editable)
        for l2 in l1.get("children") or ():
            item2 = _item(item1, l2, editable)
            for node in l2.get("children") or ():
                _item(item2, node, editable)
    tree.expandAll()
    refresh_sums(tree)
    tree.blockSignals(False)


def _item(parent, node: dict, editable: bool) -> QTreeWidgetItem:
    item = QTreeWidgetItem(parent)
    tree = item.treeWidget()
    item.setData(NAME, NODE, len(tree.nodes))
    tree.nodes.append(node)
    item.setText(NAME, str(node.get("name", "")))
    weight = weight_of(node)
    item.setText(WEIGHT, pts(weight) if weight is not None else str(node.get("weight", "")))
    item.setTextAlignment(WEIGHT, Qt.AlignRight | Qt.AlignVCenter)
    item.setTextAlignment(SUM, Qt.AlignRight | Qt.AlignVCenter)
    if "rule" in node:
        show_rule(item)
        item.setText(EXPLANATION, str(node.get("explanation", "")))
        item.setToolTip(EXPLANATION, str(node.get("explanation", "")))
    if editable:
        item.setFlags(item.flags() | Qt.ItemIsEditable)
    return item


def node_of(item: QTreeWidgetItem) -> dict:
    """The template data the item shows (changes to it are changes to the template)."""
    return item.treeWidget().nodes[item.data(NAME, NODE)]


def show_rule(item: QTreeWidgetItem) -> None:
    node = node_of(item)
    item.setText(KIND, kind_text(node))
    text = criterion_text(node) if (node.get("rule") or {}).get("kind") in KINDS else node.get("rule_text", "")
    item.setText(CRITERION, text)
    item.setToolTip(CRITERION, text)


def refresh_sums(tree: QTreeWidget) -> None:
    """下级合计 of every 一级 and 二级 row, red where it differs from the row's 分值."""
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for item in (top, *(top.child(j) for j in range(top.childCount()))):
            data = node_of(item)
            total, weight = children_sum(data), weight_of(data)
            item.setText(SUM, pts(total))
            item.setForeground(SUM, RED if weight != total else QBrush())
            item.setToolTip(SUM, "" if weight == total else f"下级指标分值合计 {pts(total)}，与本级分值不一致")
