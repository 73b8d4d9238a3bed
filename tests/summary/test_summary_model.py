"""汇总 model over the 30-report county (tests/summary/conftest.py): rows, grades, findings, review, zip."""
from __future__ import annotations

import shutil
import zipfile
from decimal import Decimal

import pytest

from model import storage
from model.checksum import checksum
from model.report import Review, ReviewScore
from model.summary import ReviewError, grade_counts, open_summary, save_review
from model.summary.sources import gather
from model.summary.units import UnitListError, read_units
from tests.summary.conftest import DEPTS, TOWNS, UNIT_LIST


@pytest.fixture(scope="module")
def summary(county):
    return open_summary([county], units=UNIT_LIST, county_budget=Decimal("100000000"))


def row(summary, unit, part):
    return next(r for e, r in summary.rows if e.unit == unit and r.part == part)


def test_every_report_opened_one_row_per_project_or_department(summary):
    assert len(summary.entries) == 30 and not summary.failed and not summary.problems
    assert len(summary.rows) == 12 * 4 + len(DEPTS) + 2
    r = row(summary, "南关镇", 0)
    assert (r.project, r.budget, r.executed, r.rate) == ("南关镇2022年脱贫劳动力稳岗补助", Decimal("8835600"),
                                                         Decimal("1525200"), Decimal("17.26"))
    assert (r.self_score, r.rule_score, r.review_score, r.grade, r.state) == (
        Decimal("83.73"), Decimal("87.16"), None, "良", "待审核")
    assert (r.errors, r.warnings, r.overrides) == (0, 2, 2)
    d = row(summary, "县财政局", None)
    assert (d.project, d.self_score, d.grade, d.rate) == ("部门整体", Decimal("86.00"), "良", Decimal("97.43"))
    assert row(summary, "马坊乡", 0).state == "未评完" and row(summary, "马坊乡", 0).self_score is None
    entry = next(e for e in summary.entries if e.unit == "南关镇")
    assert entry.checksum == checksum(storage.load(entry.source.path))


def test_grade_counts(summary):
    projects = grade_counts(r for _, r in summary.rows if not r.is_dept)
    depts = grade_counts(r for _, r in summary.rows if r.is_dept)
    # per town: 83.73 良, 99.00 优, 100 (高庄乡 95) 优, 95.00 优; 马坊乡's first 未评完
    assert dict(projects) == {"优": 36, "良": 11, "中": 0, "差": 0, "未评完": 1}
    # 17 departments in turn 86.00 良 / 99.50 优 / 94.50 优 (the last, 重复局, 99.50), and 重复局's copy
    assert dict(depts) == {"优": 12, "良": 6, "中": 0, "差": 0}


def test_reviewer_scores_stay_apart_from_the_self_score(summary, county):
    r = row(summary, "城关镇", 0)
    assert (r.self_score, r.review_score, r.grade, r.state) == (Decimal("83.73"), Decimal("82.73"), "良", "已审核")
    assert row(summary, "城关镇", 2).review_score == Decimal("100.00")  # reviewed report, score left as it was
    assert row(summary, "西关镇", 1).state == "退回"
    saved = storage.load(county / "01_城关镇.jxzp.json")
    assert saved.projects[0].indicators[0].override.score == Decimal("1")  # the self-score is untouched
    assert saved.review.scores["project.0.row.0"] == ReviewScore(Decimal("0"), "人数未达标，佐证不足")


def test_findings(summary):
    by_code = {}
    for f in summary.findings:
        by_code.setdefault(f.code, []).append(f)
    assert len(by_code["same_report"]) == 1 and "重复局" in by_code["same_report"][0].message
    (same,) = by_code["same_project"]
    assert "城关镇2021-2022年度雨露计划项目" in same.message and "东关镇" in same.message
    (missing,) = by_code["unit_missing"]
    assert missing.message.endswith("未报局。")
    (outlier,) = by_code["high_score_low_rate"]
    assert "高庄乡" in outlier.message and "50.00%" in outlier.message
    (full,) = by_code["full_marks_with_deviations"]
    assert "李村乡" in full.message
    (budget,) = by_code["budget_total"]
    assert budget.severity == "警告" and "全县数为 10,000.00万元" in budget.message
    overrides = {f.files[0] for f in by_code["overrides"]}
    assert len(overrides) == len(by_code["overrides"]) == 12 + len(DEPTS) + 1  # 重复局's copy said once
    assert "unit_unlisted" not in by_code


def test_save_review_keeps_the_file_and_its_checksum(tmp_path, county):
    path = tmp_path / "r.jxzp.json"
    shutil.copy(county / "04_南关镇.jxzp.json", path)
    before = storage.load(path)
    review = Review("已审核", "同意", "张审", "2023-05-01", {"project.1.row.2": ReviewScore(Decimal("2"), "满意度调查样本不足")})
    save_review(path, review)
    after = storage.load(path)
    assert after.review == review
    after.review = before.review
    assert storage.dumps(after) == storage.dumps(before)
    assert checksum(storage.load(path)) == checksum(before)
    from model.scoring import score

    own = score(before).projects[1].rows[2].score
    s = open_summary([path])
    assert s.rows[1][1].self_score == Decimal("99.00")
    assert s.rows[1][1].review_score == Decimal("99.00") - own + 2 and own != 2


def test_save_review_refused_while_the_report_is_open_elsewhere(tmp_path, county):
    from model import filelock

    path = tmp_path / "r.jxzp.json"
    shutil.copy(county / "04_南关镇.jxzp.json", path)
    lock = filelock.FileLock(path)
    assert lock.acquire() is None
    try:
        with pytest.raises(ReviewError, match="正由"):
            save_review(path, Review("退回"))
    finally:
        lock.release()
    assert storage.load(path).review == Review()


def test_zip_members_read_in_memory(tmp_path, county):
    z = tmp_path / "乡镇报送.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("01_城关镇.jxzp.json", "02_东关镇.jxzp.json"):
            zf.write(county / name, f"报送/{name}")
        zf.writestr("说明.txt", "两个镇的报告")
    s = open_summary([z])
    assert [e.source.name for e in s.entries] == ["乡镇报送.zip › 报送/01_城关镇.jxzp.json",
                                                  "乡镇报送.zip › 报送/02_东关镇.jxzp.json"]
    assert [e.unit for e in s.entries] == ["城关镇", "东关镇"] and not s.entries[0].source.writable
    assert not list(tmp_path.glob("*.jxzp.json"))  # nothing unpacked


def test_a_zip_made_on_chinese_windows_keeps_its_member_names(tmp_path, county):
    """Windows' own 压缩 stores names in GBK without the UTF-8 flag; the table shows them as the sender named them."""
    name = "01_城关镇.jxzp.json"
    gbk = name.encode("gbk")
    stand_in = "x" * len(gbk)  # an ASCII name of the same length, written without the flag, then swapped
    z = tmp_path / "城关镇.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(county / name, stand_in)
    z.write_bytes(z.read_bytes().replace(stand_in.encode("ascii"), gbk))
    s = open_summary([z])
    assert [e.source.name for e in s.entries] == [f"城关镇.zip › {name}"] and s.entries[0].unit == "城关镇"


def test_bad_inputs_are_explained(tmp_path):
    bad = tmp_path / "坏.zip"
    bad.write_bytes(b"PK\x03\x04 not really")
    (tmp_path / "坏.jxzp.json").write_text("{", encoding="utf-8")
    sources, problems = gather([bad, tmp_path / "没有.jxzp.json"])
    assert not sources and "无法打开" in problems[0] and "找不到" in problems[1]
    s = open_summary([tmp_path / "坏.jxzp.json"])
    assert "已损坏" in s.entries[0].error and not s.rows


def test_unit_list_from_text_and_workbook(tmp_path):
    from openpyxl import Workbook

    txt = tmp_path / "单位.txt"
    txt.write_bytes("单位名称\n城关镇\n\n1\t东关镇\n城关镇\n".encode("gb18030"))
    assert read_units(txt) == ["城关镇", "东关镇"]
    wb = Workbook()
    for values in (("序号", "单位名称"), (1, "城关镇"), (2, "东关镇")):
        wb.active.append(values)
    wb.save(tmp_path / "单位.xlsx")
    assert read_units(tmp_path / "单位.xlsx") == ["城关镇", "东关镇"]
    (tmp_path / "空.txt").write_text("\n", encoding="utf-8")
    with pytest.raises(UnitListError, match="没有单位名称"):
        read_units(tmp_path / "空.txt")


def test_in_process_and_worker_processes_agree(county):
    one = open_summary([county], workers=1)
    many = open_summary([county], workers=2)
    assert [(e.source, e.checksum, e.rows) for e in one.entries] == [(e.source, e.checksum, e.rows) for e in many.entries]


def test_project_form_conclusion_comes_from_the_review(county):
    from export.forms.project_self_eval import project_self_eval
    from model.scoring import score
    from model.templates import get

    report = storage.load(county / "01_城关镇.jxzp.json")  # 已审核: project 0 审核分 82.73
    tpl = get(report.template_id)
    result = score(report, tpl)

    def conclusion(index):
        grid = project_self_eval(report, tpl, result, index)
        return next(row[1].text for row in grid.rows if row[0].text == "主管部门审核结论")

    assert conclusion(0).startswith("优 ☐　　良 ☑")
    report.review.scores["project.0.row.0"] = ReviewScore(Decimal("-20"), "test: far below")
    assert "中 ☑" in conclusion(0)  # 83.73 − 1 − 20 = 62.73
    report.review.status = ""  # not reviewed: the conclusion recorded in the report stands
    report.projects[0].authority_review = ""
    assert "☑" not in conclusion(0)
    report.projects[0].authority_review = "优"
    assert conclusion(0).startswith("优 ☑")
