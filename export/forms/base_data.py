"""基础数据: every finance input and every derived metric."""
from __future__ import annotations

from model.field_labels import PRIOR as PRIOR_LABELS, PRIOR_AMOUNTS
from model.figures import UNIT_FIELDS
from model.metrics import METRICS
from model.report import Report
from model.scoring import ScoreResult
from model.templates import FORMS, Template

from ..grid import Cell, Grid
from .common import (
    FULL_SPACE,
    _h,
    _l,
    _money,
    _percent,
    _section,
    _split,
    _subtitle,
    _t,
    _unit,
    _unit_label,
)

THREE_PUBLIC = (("overseas_travel", "因公出国（境）费"), ("vehicle_purchase", "公务用车购置费"),
                ("vehicle_operation", "公务用车运行维护费"), ("reception", "公务接待费"))


def _count(value) -> str:
    return "" if value is None else str(value)


def base_data(report: Report, tpl: Template, result: ScoreResult) -> Grid:
    unit, ul = _unit(report), _unit_label(report)
    fin = report.finance
    units = fin.units
    shown_units = [(u.name or f"第{i + 1}个单位", u) for i, u in enumerate(units)]
    if len(units) > 1 or not units:
        shown_units.append(("汇总", fin.summary))
    # 12 narrow value columns divide evenly among 1, 2, 3, 4 or 6 figures per row; more units get one each.
    values = 12 if len(shown_units) <= 6 else len(shown_units)
    cols = [24.0] + ([6.5] * 12 if values == 12 else [14.0] * values)
    n = len(cols)
    g = Grid("base_data", FORMS["base_data"], cols, subtitle=_subtitle(report), landscape=sum(cols) > 110)

    def row(label: str, cells: list[Cell]):
        spans = _split(values, len(cells))
        for c, span in zip(cells, spans):
            c.colspan = span
        g.add(_l(label), *cells)

    def head(label: str, names: list[str]):
        spans = _split(values, len(names))
        g.mark_column_head(g.add(_h(label), *(_h(x, s) for x, s in zip(names, spans))))

    # 1. 收支 per unit
    g.add_section(_section(f"一、收支情况（{ul}）", n))
    head("项目", [name for name, _ in shown_units])
    for key, label in UNIT_FIELDS.items():
        if key == "three_public_total":
            continue
        row(label, [_money(getattr(u, key), unit) for _, u in shown_units])
    row("三公经费合计", [_money(u.three_public.total, unit) for _, u in shown_units])
    for key, label in THREE_PUBLIC:
        row(f"　{label}", [_money(getattr(u.three_public, key), unit) for _, u in shown_units])

    # 2. 预算、采购及其他
    g.add_section(_section(f"二、预算、政府采购及其他（{ul}）", n))
    head("项目", ["金额/数值"])
    money_rows = (
        ("年初预算数", fin.initial_budget), ("预算调整数（追加 − 追减）", fin.budget_adjustment),
        ("全年预算数" + ("（填列）" if fin.annual_budget_entered is not None else "（年初 + 调整）"), fin.annual_budget),
        ("公用经费预算数", fin.operating_budget), ("政府采购预算数", fin.procurement_budget),
        ("政府采购：货物", fin.procurement_goods), ("政府采购：工程", fin.procurement_works),
        ("政府采购：服务", fin.procurement_services), ("政府采购合计", fin.procurement_total),
        ("机关运行经费", fin.agency_operating), ("在职人员经费", fin.in_service_personnel),
        ("离退休人员经费", fin.retiree_personnel), ("厉行节约支出", fin.frugality),
        ("重点项目支出", fin.key_project_expenditure), ("财政拨款支出", fin.fiscal_expenditure),
        ("一般公共预算财政拨款支出", fin.general_expenditure),
    )
    for label, value in money_rows:
        row(label, [_money(value, unit)])
    b = report.basic
    for label, value in (("公务用车数量（辆）", fin.vehicles), ("编制数（人）", b.authorized_staff),
                         ("其中：行政编制", b.authorized_admin), ("事业编制", b.authorized_institution),
                         ("工勤编制", b.authorized_logistics), ("实有在职人数（人）", b.actual_staff),
                         ("离退休人员（人）", b.retirees)):
        row(label, [Cell(_count(value), 1, 1, "number")])

    # 3. 三公经费 预算/决算/上年
    g.add_section(_section(f"三、“三公”经费（{ul}）", n))
    head("项目", ["本年预算数", "本年决算数", "上年预算数", "上年决算数"])
    sources = (fin.three_public_budget, fin.summary.three_public, fin.prior.three_public_budget, fin.prior.three_public)
    for key, label in THREE_PUBLIC:
        row(label, [_money(getattr(tp, key), unit) for tp in sources])
    row("合计", [_money(tp.total, unit) for tp in sources])

    # 4. 上年数
    p = fin.prior
    g.add_section(_section(f"四、上年数（{ul}）", n))
    head("项目", ["上年数"])
    for name in PRIOR_AMOUNTS:
        row(PRIOR_LABELS[name].removeprefix("上年"), [_money(getattr(p, name), unit)])
    row("实有在职人数（人）", [Cell(_count(p.actual_staff), 1, 1, "number")])

    # 5. 支出功能分类
    if fin.functional_rows:
        g.add_section(_section(f"五、支出功能分类（{ul}）", n))
        head("科目编码及名称", ["合计", "基本支出", "项目支出"])
        for fr in fin.functional_rows:
            indent = {"类": "", "款": FULL_SPACE, "项": FULL_SPACE * 2}.get(fr.level, "")
            row(f"{indent}{fr.code.strip()} {fr.name.strip()}".rstrip(),
                [_money(fr.total, unit), _money(fr.basic, unit), _money(fr.project, unit)])

    # 6. 计算指标
    g.add_section(_section(f"{'六' if fin.functional_rows else '五'}、计算指标", n))
    value_span = max(1, values // 6)
    rest = _split(values - value_span, 2)
    g.mark_column_head(g.add(_h("指标"), _h("计算公式", rest[0]), _h("计算过程", rest[1]), _h("计算结果", value_span)))
    for mid, metric in METRICS.items():
        mv = result.metrics.get(mid) if result.metrics else None
        if mv is None:
            mv = metric.compute(report)
        g.add(_l(metric.name), _t(metric.formula, rest[0]), _t(mv.detail, rest[1]), _percent(mv.value, value_span))

    g.notes = [f"金额单位：{ul}。计算指标按“基础数据”自动计算，计算结果四舍五入保留两位小数。"]
    return g
