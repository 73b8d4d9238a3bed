"""Templates out to the bureaus' Excel indicator table and back, YAML written and validated, copies saved."""
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from model import scoring, storage, templates
from model.paths import samples_dir, templates_dir
from model.template_io import excel, yaml_io
from model.templates import TemplateError


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("JXZP_DATA_DIR", str(tmp_path / "data"))
    templates._CACHE.clear()
    yield tmp_path / "data"
    templates._CACHE.clear()


def _bundled(tid):
    return templates.load_template(templates_dir() / f"{tid}.yaml")


def _scores(result):
    dept = result.dept
    return [(i.key, i.score, i.rule_score) for i in dept.indicators], (dept.totals.total, dept.totals.rule_total,
                                                                       dept.totals.grade)


@pytest.mark.parametrize("tid", ["henan-dept-2020", "hunan-dept", "national-dept-2013", "sichuan-dept"])
def test_excel_round_trip_gives_the_same_template_and_scores(tid, tmp_path):
    tpl = _bundled(tid)
    raw = yaml_io.raw_data(tpl)
    path = tmp_path / f"{tid}.xlsx"
    excel.export_table(raw, path)
    result = excel.import_table(path, raw, tid=tid, title=tpl.title)
    assert result.notes == []
    back = yaml_io.validate(result.raw, tid)
    for a, b in zip(tpl.indicators(), back.indicators(), strict=True):
        assert (a.id, a.name, a.weight, a.kind, a.metric, a.level1, a.level2, a.explanation, a.data_source) == \
               (b.id, b.name, b.weight, b.kind, b.metric, b.level1, b.level2, b.explanation, b.data_source)
        assert excel.same_params(a.params, b.params), a.name
        assert (a.not_applicable, a.metric_base) == (b.not_applicable, b.metric_base)
    assert [(l1.name, l1.weight, [(l2.name, l2.weight) for l2 in l1.children]) for l1 in tpl.tree] == \
           [(l1.name, l1.weight, [(l2.name, l2.weight) for l2 in l1.children]) for l1 in back.tree]
    assert back.grade_bands == tpl.grade_bands
    samples = [storage.load(p) for p in sorted(samples_dir().glob("*.jxzp.json"))]
    used = [r for r in samples if r.template_id == tid]
    assert used or tid in ("national-dept-2013", "sichuan-dept")  # no sample on these yet
    for report in used:
        assert _scores(scoring.score(report, back)) == _scores(scoring.score(report, tpl))


def test_exported_table_is_text_not_formulas(tmp_path):
    raw = yaml_io.raw_data(_bundled("henan-dept-2020"))
    raw["indicators"][0]["children"][0]["children"][0]["explanation"] = "=HYPERLINK(\"x\")"
    path = tmp_path / "t.xlsx"
    excel.export_table(raw, path)
    ws = load_workbook(path).active
    assert ws["A3"].value == "一级指标" and ws["H3"].value == "评分标准"
    assert ws["G4"].data_type == "s"
    assert ("A4:A14" in {str(m) for m in ws.merged_cells.ranges})  # 履职效能's 11 indicators, merged down


def _bureau_table(path: Path, merged: bool = True):
    """A county table as bureaus issue it: title, 评价标准 column, names with （N分）, unmerged or merged."""
    wb = Workbook()
    ws = wb.active
    ws.append(["某县2024年度部门整体支出绩效评价指标表"])
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "指标说明", "评价标准"])
    rows = [
        ("投入（20分）", "预算配置（20分）", "在职人员控制率", 10, "实有人数/编制数",
         "在职人员控制率≤100%的，得满分；每超过1个百分点扣0.5分，扣完为止。"),
        (None, None, "“三公经费”变动率", 10, "", "“三公经费”变动率≤0的，得满分；否则不得分。"),
        ("过程（50分）", "预算执行（30分）", "预算执行率", 30, "", "得分=预算执行率×指标分值"),
        (None, "预算管理（20分）", "管理制度健全性", 20, "①制度健全；②执行有效",
         "①②各占1/2权重分，能满足相关要求得该项权重分，否则不得分。"),
        ("效果（30分）", "满意度（30分）", "群众满意度", 20, "",
         "满意度≥90%的，得满分；80%（含）至90%的，得15分；低于80%的，不得分。"),
        (None, None, "工作亮点", 10, "", "由评价组综合评定。"),
    ]
    for row in rows:
        ws.append(list(row))
    if merged:  # merged as bureaus merge them: the value sits in the top cell only
        ws.merge_cells("A3:A4")
        ws.merge_cells("B3:B4")
    ws.append(["合计", None, None, 100])
    ws.append(["评价等次：优秀≥85分；良好≥75分；合格≥60分；差<60分"])
    wb.save(path)


@pytest.mark.parametrize("merged", [True, False])
def test_bureau_table_imports_with_rules_recognised(tmp_path, merged):
    path = tmp_path / "县指标表.xlsx"
    _bureau_table(path, merged)
    base = yaml_io.raw_data(_bundled("hunan-dept"))
    result = excel.import_table(path, base, tid="county-2024")
    tpl = yaml_io.validate(result.raw, "county-2024")
    assert tpl.title == "某县2024年度部门整体支出绩效评价指标表"
    assert [(l1.name, l1.weight) for l1 in tpl.tree] == [("投入", 20), ("过程", 50), ("效果", 30)]
    assert [(l2.name, l2.weight) for l2 in tpl.tree[1].children] == [("预算执行", 30), ("预算管理", 20)]
    by_name = {i.name: i for i in tpl.indicators()}
    assert by_name["在职人员控制率"].kind == "deduction" and by_name["在职人员控制率"].metric == "staff_control_rate"
    assert by_name["“三公经费”变动率"].kind == "threshold" and by_name["“三公经费”变动率"].metric == "three_public_change_rate"
    assert by_name["预算执行率"].kind == "rate" and by_name["预算执行率"].metric == "budget_execution_rate"
    assert by_name["管理制度健全性"].params["items"] == ["制度健全", "执行有效"]
    assert by_name["群众满意度"].kind == "bands"
    assert by_name["工作亮点"].kind == "qualitative"
    assert len(result.notes) == 1 and "工作亮点" in result.notes[0] and "请核对" in result.notes[0]
    assert [(g.grade, g.min) for g in tpl.grade_bands] == [("优秀", 85), ("良好", 75), ("合格", 60), ("差", 0)]
    assert tpl.sections == _bundled("hunan-dept").sections  # the rest from the base template


def test_a_file_without_the_table_says_what_it_needs(tmp_path):
    path = tmp_path / "x.xlsx"
    wb = Workbook()
    wb.active.append(["项目", "金额"])
    wb.save(path)
    with pytest.raises(TemplateError, match="没有找到指标体系表"):
        excel.import_table(path, yaml_io.raw_data(_bundled("hunan-dept")))


def test_broken_copy_is_refused_naming_the_indicator():
    raw = yaml_io.raw_data(_bundled("henan-dept-2020"))
    raw["indicators"][0]["children"][0]["children"][0]["weight"] = 3  # 目标依据充分性 2 → 3
    with pytest.raises(TemplateError) as e:
        yaml_io.validate(raw, "我的模板")
    msg = str(e.value)
    assert "工作目标管理情况" in msg and "下级指标分值合计 7，与本级分值 6 不一致" in msg
    assert "请改正后再保存" in msg and "重启" not in msg


def test_saved_copy_is_listed_and_loads(data_dir):
    raw = yaml_io.raw_data(templates.get("henan-dept-2020"))
    raw.update(id="henan-dept-2020-县", title="部门整体绩效评价指标体系（某县 2021）", year=2021)
    path = yaml_io.save_user_template(raw)
    assert path.parent == data_dir / "templates" and path.name == "henan-dept-2020-县.yaml"
    assert templates.get("henan-dept-2020-县").year == 2021
    assert not list(path.parent.glob(".*.tmp"))
    with pytest.raises(TemplateError, match="已被模板“部门整体绩效评价指标体系（某县 2021）”使用"):
        yaml_io.save_user_template(raw)
    assert yaml_io.save_user_template(raw, replacing=str(path)) == path  # saving the same file again
