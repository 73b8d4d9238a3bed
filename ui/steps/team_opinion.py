"""评价人员与意见: the evaluation team and the two sign-off blocks."""
from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QVBoxLayout

from model.report import TeamMember

from ..models.table import Column, ObjectTableModel
from ..widgets.fields import TextArea, TextField
from ..widgets.table import DataTable
from .base import StepPage

ROLES = [("组长", "组长"), ("副组长", "副组长"), ("成员", "成员")]


class TeamOpinionPage(StepPage):
    step_id = "team_opinion"

    def __init__(self, doc, parent=None):
        super().__init__(doc, parent)
        columns = [Column("name", "姓名"), Column("role", "评价组职务", "choice", ROLES),
                   Column("title", "职务/职称"), Column("unit", "单位")]
        self.model = ObjectTableModel(doc, "team", columns, TeamMember, self)
        self.view = DataTable(self.model, doc)
        self.view.setObjectName("team")
        self.view.setMinimumHeight(260)
        box = QGroupBox("评价人员（签字栏在打印件上手签）")
        lay = QVBoxLayout(box)
        lay.addLayout(self.view.row_buttons("人员"))
        lay.addWidget(self.view)
        self.layout_.addWidget(box)
        for key, title in (("dept_opinion", "部门（单位）意见"), ("finance_opinion", "财政部门归口业务科室意见")):
            self.group(title, [("意见", TextArea(doc, f"{key}.opinion", height=80)),
                               ("负责人", TextField(doc, f"{key}.signer")),
                               ("日期", TextField(doc, f"{key}.date", "签章后手写亦可"))])
        self.layout_.addStretch(1)

    def focus_location(self, location: str) -> bool:
        if location == "team":
            self.view.setFocus()
            return True
        return super().focus_location(location)
