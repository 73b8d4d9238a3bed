"""The forms print what the official forms hold, and nothing they do not (issue: forms as issued)."""
import re
import shutil
import subprocess
from decimal import Decimal

import pytest

from export.forms import grids_for
from model import scoring, templates

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) 未安装")


def scored(report):
    tpl = templates.get(report.template_id)
    return report, tpl, scoring.score(report, tpl)


def texts(grid) -> list[str]:
    return [cell.text for row in grid.rows for cell in row]


def test_project_form_has_every_column_and_label_of_seed_002(sample):
    report, tpl, result = scored(sample("xingxian_2022"))
    grids = [g for g in grids_for(report, tpl, result) if g.key.startswith("project_self_eval")]
    assert len(grids) == 4
    for g, ps in zip(grids, result.projects):
        t = texts(g)
        assert "项目资金\n（万元）\n（10分）" in t and "分值\n（10分）" in t and "得分计算方法" in t
        assert "执行率*该指标分值，最高不得超过分值上限。" in t
        head = next(row for row in g.rows if any(c.text == "一级指标" for c in row))
        assert [c.text.replace("\n", "") for c in head][1:] == [
            "一级指标", "二级指标", "三级指标", "年度指标值（A）", "实际完成值（B）", "分值", "评分标准", "得分", "未完成原因分析"]
        current = next(row for row in g.rows if row[0].text == "其中：当年财政拨款")
        assert current[4].text == "10" and current[6].text == format(ps.execution.score, ".2f")  # not —/—
        total = next(row for row in g.rows if row[0].text == "总　分")
        assert [c.text for c in total if c.text][1:] == [ps.totals.shown]  # the score only, no 分值 sum
        assert not any("人工调整" in x or "按评分规则计算" in x for x in t + g.notes)
        assert not any(c.text.endswith("*") for row in g.rows for c in row if c.style == "score")
        assert g.notes and g.notes[0].startswith("注：1.得分一档最高不能超过该指标分值上限")
    # 示范村: 效益 label says 30分 while its row's 分值 is 15 — no 85 printed as a sum anywhere
    village = grids[1]
    assert "85" not in [c.text for row in village.rows for c in row if c.style == "number"]


def test_self_assessment_ticks_and_authority_review_only_when_recorded(sample):
    report, tpl, result = scored(sample("xingxian_2022"))
    report.projects[0].authority_review = ""
    g = [g for g in grids_for(report, tpl, result) if g.key == "project_self_eval.0"][0]
    rows = {row[0].text: row[1].text for row in g.rows if row[0].text in ("项目用款单位自我评定", "主管部门审核结论")}
    assert "良 ☑" in rows["项目用款单位自我评定"]
    assert "☑" not in rows["主管部门审核结论"], "nobody recorded a review: nothing ticked"


def test_unfinished_project_form_prints_no_score_and_no_tick(sample):
    report = sample("xingxian_2022")
    report.projects[0].indicators[0].actual = ""
    report.projects[0].indicators[0].override = None
    report, tpl, result = scored(report)
    g = [g for g in grids_for(report, tpl, result) if g.key == "project_self_eval.0"][0]
    total = next(row for row in g.rows if row[0].text == "总　分")
    assert total[1].text == "未评完：1 项指标尚未评分"
    (own,) = [row[1].text for row in g.rows if row[0].text == "项目用款单位自我评定"]
    assert "☑" not in own


def test_hunan_form_labels_as_seed_001(sample):
    report, tpl, result = scored(sample("xiangxi_2021"))
    (g,) = [g for g in grids_for(report, tpl, result) if g.key == "dept_self_eval"]
    t = texts(g)
    assert t.count("局机关及二级机构汇总") == 4 and "汇总" not in t
    assert any("财政部门归口业务科室负责人（签章）" in x for x in t)
    leader = next(m.name for m in report.team if m.role == "组长")
    sign = next(x for x in t if x.startswith("评价组组长（签字）"))
    assert leader not in sign, "the signature line is left for the pen"
    spending = next(row for row in g.rows if row[0].text == "局机关及二级机构汇总" and row[1].text == "1,478.93")
    assert spending[2].text == "830.35"  # 基本支出 as the form states it
    second = next(row for row in g.rows if row[0].text == "2、二级机构" and row[1].text == "149.30"
                  and row[2].text == "149.30")
    assert second[6].text == ""  # 当年结转结余 nil: blank as on the form, not 0.00
    score = next(row for row in g.rows if row[0].text == "绩效自评综合得分")
    assert score[1].text == "99.50" and next(r for r in g.rows if r[0].text == "评价等次")[1].text == "优"


def test_overrides_are_explained_in_the_appendix_not_on_the_forms(sample):
    report, tpl, result = scored(sample("shilong_2020"))
    grids = grids_for(report, tpl, result)
    assert grids[-1].key == "adjustments" and grids[-1].title == "评分说明"
    for g in grids[:-1]:
        assert not any(x.startswith("*") or "人工调整为" in x for x in texts(g) + g.notes), g.key
    appendix = texts(grids[-1])
    overridden = [s for s in result.all_scores() if s.overridden]
    assert overridden and all(s.name in appendix or any(x.endswith(s.name) for x in appendix) for s in overridden)
    assert "83.50 分（良）" in appendix  # the total by rule alone


def test_no_appendix_when_nothing_to_explain(sample):
    report = sample("xingxian_2022")
    for p in report.projects:
        p.execution_override = None
        for row in p.indicators:
            row.override = None
    report, tpl, result = scored(report)
    if not any(s.overridden or s.unanswered for s in result.all_scores()):
        assert "adjustments" not in [g.key for g in grids_for(report, tpl, result)]


def test_basic_expenditure_as_stated_is_checked_against_its_parts(sample):
    from model import checks

    report = sample("xiangxi_2021")
    report.finance.units[1].basic_entered = report.finance.units[1].basic_parts + Decimal("50000")
    found = [p for p in checks.check(report) if p.code == "basic_sum"]
    assert {p.severity for p in found} == {"提示", "警告"}  # the 0.01 万元 tail; the 5 万元 slip


@needs_poppler
def test_xingxian_pdf_project_pages(sample, tmp_path):
    from export.pdf import build_pdf

    report, tpl, result = scored(sample("xingxian_2022"))
    path = tmp_path / "x.pdf"
    path.write_bytes(bytes(build_pdf(report, tpl, result)))
    pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    starts = [p for p in pages if re.search(r"^\s*项目支出绩效自评表\s*$", p, re.M) and "（2022年度）" in p]
    assert len(starts) == 4
    for page in starts:
        for word in ("得分计算方法", "评分标准", "项目资金", "（10分）", "其中：当年财政拨款"):
            assert word in page, word
        assert "人工调整" not in page and "按评分规则计算" not in page
    village = next(p for p in pages if "2022年省级数字乡村示范创建项目" in p and "总" in p)
    (total,) = [line for line in village.splitlines() if re.search(r"总\s+分", line)]
    assert re.findall(r"\d+(?:\.\d+)?", total) == ["99.00"]  # no 分值 sum (85) on the 总分 row
    assert any("评分说明" in p for p in pages)
