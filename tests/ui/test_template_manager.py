"""模板管理: open it from 文件 → 模板…, copy the report's template, edit a weight (live total, validation
naming the indicator, the open report's new score), save, find it listed; import and export."""
import pytest
from PySide6.QtWidgets import QLabel

from model import templates
from model.template_io import excel, yaml_io
from ui.templates import tree as tree_mod


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("JXZP_DATA_DIR", str(tmp_path / "data"))
    templates._CACHE.clear()
    yield tmp_path / "data"
    templates._CACHE.clear()


@pytest.fixture
def window(qtbot, sample):
    from ui.document import Document
    from ui.main_window import MainWindow

    win = MainWindow(Document(sample("shilong_2020")))
    qtbot.addWidget(win)
    yield win
    win.doc.undo_stack.setClean()


def _item(tree, name):
    found = tree.findItems(name, tree_mod.Qt.MatchExactly | tree_mod.Qt.MatchRecursive, tree_mod.NAME)
    assert found, name
    return found[0]


def test_copy_edit_weight_see_total_and_score_save_listed(window, qtbot, data_dir):
    action = next(a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "模板…")
    action.trigger()
    manager = window.templates_dialog
    assert manager.selected().id == "henan-dept-2020"  # the report's own template
    assert manager.tree.topLevelItemCount() == 5
    ids = [manager.list.item(r, 1).text() for r in range(manager.list.rowCount())]
    assert {"henan-dept-2020", "hunan-dept", "mof-project-2020"} <= set(ids)

    manager.copy_selected()
    editor = manager.editor
    assert editor.fields["id"].text() == "henan-dept-2020-副本"
    assert editor.save_button.isEnabled() and "86.00" in editor.effect.text()
    # 结转结余变动率 2 → 1: 预算管理 no longer adds up; the message names it, saving is off
    _item(editor.tree, "结转结余变动率").setText(tree_mod.WEIGHT, "1")
    editor.revalidate()
    assert "“预算管理”" in editor.message.text() and "下级指标分值合计 14，与本级分值 15 不一致" in editor.message.text()
    assert _item(editor.tree, "预算管理").text(tree_mod.SUM) == "14"
    assert not editor.save_button.isEnabled()
    # 预算执行率 2 → 3 (met in the report): valid again, the report gains the point moved
    _item(editor.tree, "预算执行率").setText(tree_mod.WEIGHT, "3")
    editor.revalidate()
    assert editor.total.text().startswith("一级指标分值合计：100 分")
    assert editor.save_button.isEnabled()
    assert str(editor.score_after()) == "87.00"
    assert "87.00" in editor.effect.text() and "原模板 86.00，+1 分" in editor.effect.text()

    editor.fields["title"].setText("部门整体绩效评价指标体系（某县调整）")
    editor.save()
    assert (data_dir / "templates" / "henan-dept-2020-副本.yaml").exists()
    listed = {manager.list.item(r, 1).text(): manager.list.item(r, 4).text() for r in range(manager.list.rowCount())}
    assert listed["henan-dept-2020-副本"] == "我的模板"
    assert manager.selected().title == "部门整体绩效评价指标体系（某县调整）"
    assert templates.get("henan-dept-2020-副本").indicator("budget_execution_rate").weight == 3


def test_criterion_text_edited_is_read_into_the_rule(window, qtbot):
    window.template_manager()
    manager = window.templates_dialog
    manager.copy_selected()
    editor = manager.editor
    item = _item(editor.tree, "预算调整率")
    item.setText(tree_mod.CRITERION, "预算调整率≤10%，得满分；否则不得分。")
    node = tree_mod.node_of(item)
    assert node["rule"] == {"kind": "threshold", "op": "<=", "target": 10, "unit": "%"}
    item.setText(tree_mod.CRITERION, "由评价组综合评定")
    assert node["rule"]["kind"] == "qualitative" and "未能识别" in item.toolTip(tree_mod.KIND)


def test_export_excel_then_import_opens_the_same_tree(window, qtbot, tmp_path):
    window.template_manager()
    manager = window.templates_dialog
    path = tmp_path / "下发乡镇.xlsx"
    manager.export_file(manager.selected(), str(path))
    assert path.exists()
    manager.import_file(str(path))
    editor = manager.editor
    assert editor.fields["id"].text() == "henan-dept-2020-导入"
    assert editor.valid is not None and "86.00" in editor.effect.text()
    yaml_path = tmp_path / "模板.yaml"
    manager.export_file(manager.selected(), str(yaml_path))
    assert yaml_io.load_file(yaml_path)["id"] == "henan-dept-2020"


def test_broken_yaml_import_is_refused_with_a_reason(window, qtbot, tmp_path, answers):
    bad = tmp_path / "坏模板.yaml"
    bad.write_text("id: x\nkind: dept\n", encoding="utf-8")
    window.template_manager()
    window.templates_dialog.import_file(str(bad))
    title, text = answers.asked[-1]
    assert title == "无法导入" and "坏模板.yaml" in text


def test_unrecognised_criteria_are_listed_in_the_editor(window, tmp_path):
    raw = yaml_io.raw_data(templates.get("henan-dept-2020"))
    raw["indicators"][0]["children"][0]["children"][0]["rule_text"] = "由评价组综合评定"
    raw["indicators"][0]["children"][0]["children"][0]["rule"] = {"kind": "qualitative", "bands": [
        {"label": "好", "low": 0, "high": 100}]}
    path = tmp_path / "t.xlsx"
    excel.export_table(raw, path)
    window.template_manager()
    window.templates_dialog.import_file(str(path))
    shown = [w.text() for w in window.templates_dialog.editor.findChildren(QLabel) if "导入时未能识别" in w.text()]
    assert len(shown) == 1 and "目标依据充分性" in shown[0] and "请核对" in shown[0]
