"""四川 project text blocks (执行率偏低原因, 评价结论, 存在问题, 改进措施): template data, stored, printed, reviewed."""
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from model import checks, scoring, storage, templates
from model.paths import templates_dir
from model.report import FundsRow, Project, ProjectIndicator, Report

D = Decimal
SICHUAN = templates.get("sichuan-project")
NATIONAL = templates.get("mof-project-2020")


def project(executed="800000", **kw) -> Project:
    """A finished project; 执行率 80 % by default (below 四川's 90 %)."""
    fields = dict(
        name="雨露计划", authority="县乡村振兴局", implementer="县乡村振兴局", authority_review="优",
        funds_current=FundsRow(D("1000000"), D("1000000"), D(executed)),
        goal_expected="资助脱贫家庭学生 2000 人完成职业教育。", goal_actual="资助 2000 人，全部按时发放。",
        indicators=[ProjectIndicator(level1="output", level2="数量指标", name="培训人数", target="≥2000人",
                                     actual="2000人", weight=D(50)),
                    ProjectIndicator(level1="outcome", level2="社会效益指标", name="就业帮扶效果", target="明显",
                                     actual="明显", weight=D(30)),
                    ProjectIndicator(level1="satisfaction", level2="服务对象满意度指标", name="受助学生满意度",
                                     target="≥90%", actual="95%", weight=D(10))])
    fields.update(kw)
    return Project(**fields)


def problems(p: Project, tpl=SICHUAN) -> dict[str, list]:
    r = Report(template_id=tpl.id, fiscal_year=2023, display_unit="yuan", projects=[p])
    out: dict[str, list] = {}
    for x in checks.check(r, tpl):
        out.setdefault(x.code, []).append(x)
    return out


def test_sichuan_form_lists_the_four_fields_with_their_labels():
    assert SICHUAN.project.text_fields == (("execution_reason", "执行率偏低原因"), ("conclusion", "评价结论"),
                                           ("problems", "存在问题"), ("improvements", "改进措施"))
    assert SICHUAN.review.reason_below_percent == 90
    assert dict(SICHUAN.review.text_limits) == {"deviation_reason": 100, "execution_reason": 100, "conclusion": 200,
                                                "problems": 200, "improvements": 200}
    assert NATIONAL.project.text_fields == () and NATIONAL.review.reason_below_percent is None  # national default


def _with(tmp_path: Path, project_changes: dict) -> str:
    doc = yaml.safe_load((templates_dir() / "sichuan-project.yaml").read_text(encoding="utf-8"))
    doc["id"] = "test-sichuan"
    doc["project"].update(project_changes)
    path = tmp_path / "test-sichuan.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("fields, says", [
    ("conclusion", "text_fields 应是文字栏列表"),
    (["summary"], "未知的文字栏“summary”"),
    (["conclusion", "conclusion"], "文字栏不能重复"),
    ([{"key": "problems", "label": ""}], "label 应为文字"),
])
def test_bad_text_fields_are_refused_naming_the_setting(tmp_path, fields, says):
    with pytest.raises(templates.TemplateError) as e:
        templates.load_template(_with(tmp_path, {"text_fields": fields}))
    assert says in str(e.value) and "project.text_fields" in str(e.value)


def test_a_province_may_word_a_field_its_own_way(tmp_path):
    tpl = templates.load_template(_with(tmp_path, {"text_fields": [{"key": "problems", "label": "主要问题"}]}))
    assert tpl.project.text_fields == (("problems", "主要问题"),)


def test_fields_round_trip_and_old_files_load_without_them(tmp_path):
    r = Report(template_id="sichuan-project", fiscal_year=2023, display_unit="yuan",
               projects=[project(execution_reason="年底才下达资金", conclusion="完成目标", problems="进度偏慢",
                                 improvements="提前下达")])
    path = tmp_path / "四川.jxzp.json"
    storage.save(r, path)
    assert storage.load(path) == r
    old = storage.load(Path("resources/samples/xingxian_2022.jxzp.json"))  # written before the fields existed
    assert all(p.execution_reason == p.conclusion == p.problems == p.improvements == "" for p in old.projects)


def test_execution_below_90_needs_a_reason():
    p = problems(project())["execution_reason_missing"]
    assert len(p) == 1 and p[0].location == "projects[0].execution_reason"
    assert "预算执行率 80.00%，低于 90%，未填写执行率偏低原因" in p[0].message
    assert "不超过 100 字" in p[0].action
    assert "execution_reason_missing" not in problems(project(execution_reason="资金年底才下达，次年初支付。"))
    assert "execution_reason_missing" not in problems(project(executed="900000"))  # 90 % is not below 90 %
    assert "execution_reason_missing" not in problems(project(), NATIONAL)  # nationally not required
    assert "execution_reason_missing" in problems(project(execution_reason="无"))  # “无” is not a reason


@pytest.mark.parametrize("field, limit", [("execution_reason", 100), ("conclusion", 200), ("problems", 200),
                                          ("improvements", 200)])
def test_length_limits(field, limit):
    assert "text_too_long" not in problems(project(**{field: "字" * limit}))
    (p,) = problems(project(**{field: "字" * (limit + 1)}))["text_too_long"]
    assert p.location == f"projects[0].{field}" and f"超过 {limit} 字的上限" in p.message


def test_printed_on_the_project_form_only_where_the_template_lists_them():
    from export.forms.project_self_eval import project_self_eval

    texts = dict(execution_reason="资金年底才下达", conclusion="总体完成目标", problems="进度偏慢", improvements="提前下达资金")

    def printed(tpl):
        r = Report(template_id=tpl.id, fiscal_year=2023, display_unit="yuan", projects=[project(**texts)])
        grid = project_self_eval(r, tpl, scoring.score(r, tpl), 0)
        return [[c.text for c in row] for row in grid.rows]

    rows = printed(SICHUAN)
    for label, text in (("执行率偏低原因", "资金年底才下达"), ("评价结论", "总体完成目标"), ("存在问题", "进度偏慢"),
                        ("改进措施", "提前下达资金")):
        assert [label, text] in rows
    assert not any(text in cells for cells in printed(NATIONAL) for text in texts.values())
