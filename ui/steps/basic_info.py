"""基本信息: who the department is, its staffing and the report's cover facts."""
from __future__ import annotations

from ..widgets.fields import ChoiceField, NumberField, TextArea, TextField
from .base import StepPage


class BasicInfoPage(StepPage):
    step_id = "basic_info"

    def __init__(self, doc, parent=None):
        super().__init__(doc, parent)
        d = doc
        self.group("单位", [
            ("部门（单位）名称", TextField(d, "basic.department", "如：湘西自治州乡村振兴局")),
            ("评价年度", NumberField(d, "fiscal_year", integer=True, required=True)),
            ("预算编码", TextField(d, "basic.budget_code")),
            ("级次", TextField(d, "basic.level", "省 / 市 / 县 / 乡")),
            ("单位类型", ChoiceField(d, "basic.unit_type", [("（未选）", ""), ("行政", "行政"), ("参公", "参公"), ("事业", "事业")])),
            ("统一社会信用代码", TextField(d, "basic.credit_code", "18 位")),
            ("法定代表人", TextField(d, "basic.legal_representative")),
            ("地址", TextField(d, "basic.address")),
            ("联系人", TextField(d, "basic.contact_person")),
            ("联系电话", TextField(d, "basic.contact_phone")),
            ("金额单位", ChoiceField(d, "display_unit", [("万元", "wan"), ("元", "yuan")])),
        ])
        self.group("人员编制", [
            ("编制数（合计）", NumberField(d, "basic.authorized_total", integer=True)),
            ("其中：行政编制", NumberField(d, "basic.authorized_admin", integer=True)),
            ("事业编制", NumberField(d, "basic.authorized_institution", integer=True)),
            ("工勤编制", NumberField(d, "basic.authorized_logistics", integer=True)),
            ("实有在职人数", NumberField(d, "basic.actual_staff", integer=True)),
            ("离退休人员", NumberField(d, "basic.retirees", integer=True)),
        ])
        self.group("职能与工作（每行一项）", [
            ("职能职责", TextArea(d, "basic.functions", lines=True, height=120)),
            ("内设机构", TextArea(d, "basic.internal_units", lines=True, height=60)),
            ("二级单位", TextArea(d, "basic.subordinate_units", lines=True, height=60)),
            ("年度主要工作内容", TextArea(d, "basic.annual_work", height=90)),
            ("年度总体运行情况及取得的成绩", TextArea(d, "basic.overall_operation", height=90)),
            ("部门整体绩效目标（预期）", TextArea(d, "basic.performance_goal", height=90)),
            ("绩效目标实际完成情况", TextArea(d, "basic.goal_actual", height=90)),
        ])
        self.group("报告封面", [
            ("评价方式", TextField(d, "basic.evaluation_mode")),
            ("评价机构", TextField(d, "basic.evaluator")),
            ("报告时间", TextField(d, "basic.report_date", "如：2022年6月")),
            ("文号", TextField(d, "basic.document_number", "如：和乡振发〔2023〕42号")),
            ("主送单位", TextField(d, "basic.addressee", "如：县财政局")),
            ("依据的通知", TextField(d, "basic.notice")),
        ])
        self.layout_.addStretch(1)
