"""Where a pasted block goes (model.paste.plan): header lines, units, label columns, rows to add — never silent."""
import pytest

from model.paste import grid, plan

LABELS = ["上年结转（年初结转和结余）", "一般公共预算财政拨款", "政府性基金预算财政拨款", "其他收入", "基本支出：人员经费"]


def test_excel_quotes_a_cell_with_a_line_break():
    assert grid('"社会保障和\n就业支出"\t100\r\n208\t200\r\n') == [["社会保障和\n就业支出", "100"], ["208", "200"]]


@pytest.mark.parametrize("block, cells, note", [
    ("1\n2\n3\n", [(4, 1, "1"), (5, 1, "2"), (6, 1, "3")], "新增 2 行"),
    ("金额（万元）\n1\n2\n", [(4, 1, "1万"), (5, 1, "2万")], "跳过表头"),
    ("金额（元）\n1\n", [(4, 1, "1元")], "按此换算"),
    ("1500.5万\n", [(4, 1, "1500.5万")], "粘贴 1 行 1 列"),
])
def test_blocks_into_a_list_table(block, cells, note):
    p = plan(block, ["text", "amount"], 4, 1, 5)
    assert p.cells == cells and note in p.summary


def test_a_table_that_cannot_grow_says_what_was_left_out():
    p = plan("1\n2\n3\n", ["amount"], 4, 0, 5, can_add_rows=False)
    assert p.cells == [(4, 0, "1")] and "其余 2 行未粘贴" in p.summary


def test_columns_beyond_the_table_are_named():
    p = plan("1\t2\t3\n", ["amount", "amount"], 0, 1, 1)
    assert p.cells == [(0, 1, "1")] and "右侧 2 列超出表格" in p.summary


def test_text_columns_have_no_header_to_skip():
    p = plan("项目名称\t实施单位\n雨露计划\t县乡村振兴局\n", ["text", "text"], 0, 0, 0)
    assert len(p.cells) == 4 and "跳过表头" not in p.summary


@pytest.mark.parametrize("block", [
    "一般公共预算财政拨款\t1,252.66\n其他收入\t3.20\n",
    "项目\t金额（万元）\n一、一般公共预算财政拨款\t1,252.66\n其他收入\t3.20\n",
    "一般公共预算财政拨款收入\t1,252.66\n  其他收入 \t3.20\n",
])
def test_a_label_column_finds_its_rows(block):
    p = plan(block, ["amount", "amount"], 0, 1, len(LABELS), can_add_rows=False, row_labels=LABELS)
    assert [(r, c) for r, c, _ in p.cells] == [(1, 1), (3, 1)]
    assert "按第一列的项目名称对应到行" in p.summary


def test_an_unknown_label_is_reported():
    p = plan("一般公共预算财政拨款\t1\n差旅费\t2\n其他收入\t3\n", ["amount"], 0, 0, len(LABELS), False, LABELS)
    assert [r for r, _, _ in p.cells] == [1, 3] and "1 行的项目名称对应不上" in p.summary
