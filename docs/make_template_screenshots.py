"""Screenshots of 模板管理 in a real X window (run under Xvfb), for docs/screenshots/.

    xvfb-run -s "-screen 0 1366x768x24" python docs/make_template_screenshots.py

Three PNGs: the manager with the shilong report's template tree; the editor of a copy with
结转结余变动率 lowered to 1 (预算管理 no longer adds up: red 下级合计 and the message naming it); then
预算执行率 raised to 3 (valid again, live total, the report's new score).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_screenshots import OUT, settle  # noqa: E402  (sets the X platform and a private data folder)

from PySide6.QtWidgets import QAbstractItemView, QApplication  # noqa: E402

from ui.app import build, ensure_cjk_font  # noqa: E402
from ui.templates import tree as tree_mod  # noqa: E402


def shot(app, name: str):
    """What the screen shows (the whole X root window), as the clerk would see it."""
    out = OUT / f"1366x768_template_{name}.png"
    app.primaryScreen().grabWindow(0).save(str(out))
    print(out)


def main():
    app = QApplication(sys.argv)
    ensure_cjk_font(app)
    window = build("resources/samples/shilong_2020.jxzp.json", recover=False)
    screen = app.primaryScreen().availableGeometry()
    window.setGeometry(screen)
    window.show()
    settle(app, 1.2)
    window.template_manager()
    manager = window.templates_dialog
    manager.setGeometry(screen.adjusted(20, 20, -20, -20))
    settle(app)
    shot(app, "1_manager")
    manager.copy_selected()
    editor = manager.editor
    editor.setGeometry(screen.adjusted(10, 10, -10, -10))
    for shown, (name, weight) in (("2_weights_unbalanced", ("结转结余变动率", "1")), ("3_edit_weight", ("预算执行率", "3"))):
        item = editor.tree.findItems(name, tree_mod.Qt.MatchExactly | tree_mod.Qt.MatchRecursive, tree_mod.NAME)[0]
        item.setText(tree_mod.WEIGHT, weight)
        editor.tree.setCurrentItem(item, tree_mod.WEIGHT)
        editor.tree.scrollToItem(item.parent(), QAbstractItemView.PositionAtTop)
        editor.revalidate()
        settle(app)
        shot(app, shown)
    editor.reject()
    window.doc.undo_stack.setClean()
    window.close()


if __name__ == "__main__":
    main()
