"""Tables written inside a narrative text (pipe rows): the one parser the exports, the check and the editor share."""
import pytest

from model import checks, narrative, narrative_check, scoring, templates
from model import narrative_tables as nt

ROWS = (("项目", "金额", "占比"), ("财政拨款收入", "1,252.66", "99.60%"), ("合计", "1,257.67", "100.00%"))


@pytest.mark.parametrize("text", [
    "| 项目 | 金额 | 占比 |\n| 财政拨款收入 | 1,252.66 | 99.60% |\n| 合计 | 1,257.67 | 100.00% |",
    "项目 | 金额 | 占比\n财政拨款收入 | 1,252.66 | 99.60%\n合计 | 1,257.67 | 100.00%",  # no outer pipes
    "项目｜金额｜占比\n财政拨款收入｜1,252.66｜99.60%\n合计｜1,257.67｜100.00%",  # full-width, as seed 001 prints
    "| 项目 | 金额 | 占比 |\n|---|---:|:---:|\n| 财政拨款收入 | 1,252.66 | 99.60% |\n| 合计 | 1,257.67 | 100.00% |",
    "|项目|金额|占比|\n| --- | --- | --- |\n|财政拨款收入|1,252.66|99.60%|\n|合计|1,257.67|100.00%|",
    "\u3000| 项目 | 金额 | 占比 |  \n  | 财政拨款收入 | 1,252.66 | 99.60% |\n| 合计 | 1,257.67 | 100.00% |\u3000",
    "| 项目 | 金额 | 占比\n财政拨款收入 ｜ 1,252.66 | 99.60% |\n| 合计 | 1,257.67 | 100.00% |",  # mixed
])
def test_variants_of_the_same_table(text):
    (t,) = nt.find_tables("前文。\n" + text + "\n后文。")
    assert t.rows == ROWS
    assert (t.first, t.last) == (1, len(text.split("\n")))
    assert t.numeric_columns() == [False, True, True]


def test_ragged_rows_are_padded_and_the_widest_row_counts():
    (t,) = nt.find_tables("| a | b |\n| 1 | 2 | 3 |\n| x |")
    assert t.rows == (("a", "b", ""), ("1", "2", "3"), ("x", "", ""))
    assert t.width == 3


def test_rulings_of_dashes_are_skipped():
    text = "——————————\n| 项目 | 金额 |\n|------|------|\n| 甲 | 1 |\n------------\n下文"
    (t,) = nt.find_tables(text)
    assert t.rows == (("项目", "金额"), ("甲", "1"))
    assert (t.first, t.last) == (0, 4)
    assert nt.segments(text)[-1] == "下文"


def test_a_row_of_dashes_for_none_is_data_not_a_ruling():
    (t,) = nt.find_tables("| 项目 | 上年 | 本年 |\n| 州驻村办工作经费 | 9.3 | 26.03 |\n| 预算调整 | — | — |")
    assert t.body[-1] == ("预算调整", "—", "—")
    assert t.numeric_columns() == [False, True, True]  # “—” stands for none in a numeric column


def test_title_and_unit_lines_belong_to_the_table():
    text = "收入构成见下表。\n表1 2021年度收入情况\n单位：万元\n| 项目 | 金额 |\n| 合计 | 1 |\n注：略"
    (t,) = nt.find_tables(text)
    assert (t.title, t.unit, t.first, t.last) == ("表1 2021年度收入情况", "单位：万元", 1, 4)
    assert nt.segments(text) == ["收入构成见下表。", t, "注：略"]
    assert nt.is_title("表一：专项资金") and nt.is_title("表1-2 三公经费") and not nt.is_title("表明本单位…。")
    assert nt.is_unit("金额单位：元") and nt.is_unit("（单位：万元）") and not nt.is_unit("单位：本局各科室按要求报送了材料。")


def test_what_is_not_a_table():
    assert nt.find_tables("选项A|B 之一。") == ()  # one prose line with a pipe
    assert nt.find_tables("一、基本情况\n正文") == ()
    # a blank line ends a table: two one-line runs are no tables, unless written with outer pipes
    assert nt.find_tables("a | b\n\nc | d") == ()
    (t,) = nt.find_tables("| 只有表头 | 一行 |")
    assert t.rows == (("只有表头", "一行"),) and t.body == ()


def test_two_tables_apart_and_the_table_under_a_line():
    text = "| a | b |\n| 1 | 2 |\n\n表2 另一张\n| c | d |\n| 3 | 4 |"
    first, second = nt.find_tables(text)
    assert (first.first, first.last, second.first, second.last) == (0, 1, 3, 5)
    assert nt.table_at(text, 1) is first and nt.table_at(text, 2) is None and nt.table_at(text, 3) is second


def test_escaped_pipes_and_writing_back():
    rows = [["名称", "说明"], ["甲|乙", "两行\n合一"], ["全角｜线", ""]]
    text = nt.to_text(rows, "表1 写回", "单位：元")
    assert text.split("\n")[:3] == ["表1 写回", "单位：元", "| 名称 | 说明 |"]
    (t,) = nt.find_tables(text)
    assert t.rows == (("名称", "说明"), ("甲|乙", "两行 合一"), ("全角｜线", ""))
    assert nt.find_tables(t.text())[0].rows == t.rows  # round trip


@pytest.mark.parametrize("cell, number", [
    ("1,482.43", True), ("-3.5%", True), ("１２３．４５", True), ("26.03万元", True), ("0", True), ("+12.00%", True),
    ("合计", False), ("1,48", False), ("2022年", False), ("≥95%", False), ("", False),
])
def test_numbers(cell, number):
    assert nt.is_number(cell) is number


def test_cells_copied_from_excel():
    text = '项目\t金额\r\n"多行\n单元格"\t1,234.00\r\n"带""引号"""\t5\r\n\r\n'
    assert nt.from_tsv(text) == [["项目", "金额"], ["多行 单元格", "1,234.00"], ['带"引号"', "5"]]
    assert nt.from_tsv("a\tb\tc\n1\t2") == [["a", "b", "c"], ["1", "2", ""]]
    assert nt.looks_like_cells("a\tb\n1\t2\n") and not nt.looks_like_cells("一段\t文字") \
        and not nt.looks_like_cells("a\tb\n没有制表符")


def test_announced_tables_that_are_missing():
    assert nt.missing_tables("各指标得分情况如下表所示：\n目标依据充分性  权重2分") == ("如下表所示",)
    assert nt.missing_tables("具体详见下表。评价组判断…") == ("详见下表",)
    assert nt.missing_tables("具体得分情况见下表：\n表1 得分\n| 指标 | 得分 |\n| 合计 | 86 |") == ()
    assert nt.missing_tables("见下表：\n\n| a | b |\n| 1 | 2 |") == ()  # blank lines do not count
    assert nt.missing_tables("如下表所示：\n第一段。\n第二段。\n第三段。\n| a | b |\n| 1 | 2 |") == ("如下表所示",)
    assert nt.missing_tables("本段没有提到表格。") == ()


# ---------------------------------------------------------------- drafts and the check

SAMPLES = ("xingxian_2022", "yongxing_2020", "xiangxi_2021", "shilong_2020")


def loaded(sample, name):
    report = sample(name)
    tpl = templates.get(report.template_id)
    return report, tpl, scoring.score(report, tpl)


@pytest.mark.parametrize("name", SAMPLES)
def test_drafts_never_announce_a_table_they_do_not_give(sample, name):
    report, tpl, result = loaded(sample, name)
    ids = {s.id for s in tpl.narrative_sections} | {"finance", "performance", "conclusion", "overview"}
    announced = 0
    for sid in ids:
        text = narrative.draft(report, tpl, result, sid) or ""
        assert nt.missing_tables(text) == (), (sid, text)
        announced += text.count("下表")
        for t in nt.find_tables(text):
            assert t.title.startswith("表") and len({len(r) for r in t.rows}) == 1
    assert announced >= 1


def test_finance_draft_tables(sample):
    report, tpl, result = loaded(sample, "xingxian_2022")
    text = narrative.draft(report, tpl, result, "finance")
    income, spending, three = nt.find_tables(text)
    assert income.title == "表1 2022年度收入情况" and income.unit == "单位：元"
    assert income.rows == (("收入项目", "金额", "占比"), ("财政拨款收入", "27,274,348.52", "87.79%"),
                           ("其他收入", "3,791,987.29", "12.21%"), ("合计", "31,066,335.81", "100.00%"))
    assert spending.rows[1:3] == (("基本支出", "2,852,493.55", "9.81%"), ("其中：人员经费", "2,078,125.08", "7.14%"))
    assert spending.rows[-1] == ("合计", "29,085,952.04", "100.00%")
    assert three.title == "表3 2022年度“三公”经费预算与决算情况"
    assert three.header == ("项目", "上年决算数", "本年预算数", "本年决算数", "完成预算", "比上年增减")
    assert ("公务用车运行维护费", "37,849.00", "20,980.00", "20,980.00", "100.00%", "-44.57%") in three.rows
    assert three.rows[-1][0] == "合计"
    # each table comes right after the sentence that announces it
    lines = text.split("\n")
    for t in (income, spending, three):
        assert lines[t.first - 1].endswith("见下表。")


def test_tables_in_the_display_unit(sample):
    report, tpl, result = loaded(sample, "shilong_2020")
    (income, spending) = nt.find_tables(narrative.draft(report, tpl, result, "finance"))
    assert income.unit == "单位：万元" and income.rows[-1] == ("合计", "4,057.30", "100.00%")


def test_score_tables(sample):
    report, tpl, result = loaded(sample, "shilong_2020")
    (t,) = nt.find_tables(narrative.draft(report, tpl, result, "conclusion"))
    assert t.header == ("一级指标", "分值", "得分", "得分率")
    assert t.rows[1] == ("履职效能", "30.00", "26.00", "86.67%") and t.rows[-1] == ("合计", "100.00", "86.00", "86.00%")
    labels = [label for label, _ in narrative.data_tables(report, tpl, result)]
    assert labels == ["收入情况（按来源）", "支出情况（按类别）", "得分情况（一级指标）", "履职效能指标得分", "管理效率指标得分",
                      "运行成本指标得分", "服务满意指标得分", "可持续性指标得分"]
    _label, text = narrative.data_tables(report, tpl, result, number=3)[3]
    (ind,) = nt.find_tables(text)
    assert ind.title == "表3 2020年度履职效能指标得分情况" and ind.header == ("二级指标", "三级指标", "分值", "得分")
    report, tpl, result = loaded(sample, "xingxian_2022")
    (t,) = nt.find_tables(narrative.draft(report, tpl, result, "conclusion"))
    assert t.rows[1] == ("1", "2022年脱贫劳动力稳岗补助", "17.26%", "83.73", "良")


def test_incomplete_scores_are_not_written_as_a_score(sample):
    report, tpl, _ = loaded(sample, "shilong_2020")
    report.answers.clear()
    result = scoring.score(report, tpl)
    assert not result.dept.totals.complete
    text = narrative.draft(report, tpl, result, "conclusion")
    assert "尚未评完" in text and "评价等次为" not in text and "下表" not in text
    report, tpl, _ = loaded(sample, "xingxian_2022")
    report.projects[0].indicators[0].actual = ""
    report.projects[0].indicators[0].band = None
    report.projects[0].indicators[0].override = None
    result = scoring.score(report, tpl)
    assert not result.projects[0].totals.complete
    text = narrative.draft(report, tpl, result, "conclusion")
    assert "“2022年脱贫劳动力稳岗补助”尚未评完（1项指标尚未评分）" in text
    (t,) = nt.find_tables(text)
    assert t.rows[1][3:] == ("未评完", "")
    assert "尚有1项指标未评分" in narrative.draft(report, tpl, result, "analysis")


def test_the_check_does_not_read_table_cells(sample):
    report, tpl, result = loaded(sample, "xingxian_2022")
    wrong = "支出情况见下表。\n| 项目 | 金额 |\n| 支出合计 | 1.00元 |\n| 基本支出 | 999.00万元 |\n| 合计 | 100% |"
    assert narrative_check.parse(wrong, 2022) == ()
    # the prose around a table is still read
    claims = narrative_check.parse("支出合计2,908.60万元。\n" + wrong + "\n基本支出285.25万元。", 2022)
    assert [c.key for c in claims] == ["expenditure_total", "basic_expenditure"]
    report.narrative = {sid: narrative.draft(report, tpl, result, sid) or "" for sid in ("finance", "conclusion")}
    assert narrative_check.mismatches(report, result) == []
    problems = [p for p in checks.check(report, tpl) if p.code in (narrative_check.CODE, narrative_check.TABLE_CODE)]
    assert problems == []


def test_sample_texts_that_announce_missing_tables_are_warned(sample):
    report = sample("shilong_2020")
    tpl = templates.get(report.template_id)
    # the sample carries seed 004's 9 tables right after the sentences that announce them
    assert {sid: len(nt.find_tables(report.narrative[sid])) for sid in ("overview", "conclusion", "analysis")} == {
        "overview": 1, "conclusion": 1, "analysis": 7}
    assert not [p for p in checks.check(report, tpl) if p.code == narrative_check.TABLE_CODE]
    # without them, each announcement is warned
    report.narrative = {sid: nt.without_tables(text) for sid, text in report.narrative.items()}
    got = {p.location: p.message for p in checks.check(report, tpl) if p.code == narrative_check.TABLE_CODE}
    assert got == {
        "narrative.overview": "文字说明（一、部门基本概况）中写“如下表所示”，但其后没有表格。",
        "narrative.conclusion": "文字说明（四、综合评价情况及评价结论）中写“见下表”，但其后没有表格。",
        "narrative.analysis": "文字说明（五、绩效目标实现情况及指标分析）中写“如下表所示”等 7 处，但其后没有表格。",
    }  # the 9 places of seed 004
    problem = next(p for p in checks.check(report, tpl) if p.code == narrative_check.TABLE_CODE)
    assert problem.severity == checks.WARNING and "插入表格" in problem.action
    for name in ("xingxian_2022", "xiangxi_2021", "yongxing_2020"):
        report = sample(name)
        assert not [p for p in checks.check(report, templates.get(report.template_id))
                    if p.code == narrative_check.TABLE_CODE], name
