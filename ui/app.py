"""Start the window: fonts, the report to show, and the offer to restore after a crash."""
from __future__ import annotations

import sys

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from model import storage, templates
from model.paths import resources_dir, samples_dir
from model.report import Report

from . import autosave, input_method
from .document import Document
from .main_window import MainWindow


def install_chinese_qt(app: QApplication) -> bool:
    """Qt's own texts (message-box buttons, file dialogs) in Chinese."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.TranslationsPath)
    if translator.load(QLocale(QLocale.Chinese, QLocale.China), "qtbase", "_", folder):
        app.installTranslator(translator)
        return True
    return False


def ensure_cjk_font(app: QApplication) -> str:
    """Use a system CJK font when there is one, else the bundled one (no boxes)."""
    families = QFontDatabase.families(QFontDatabase.SimplifiedChinese)
    if families:
        return ""
    bundled = resources_dir() / "fonts" / "wqy-microhei.ttc"
    if bundled.exists():
        font_id = QFontDatabase.addApplicationFont(str(bundled))
        loaded = QFontDatabase.applicationFontFamilies(font_id)
        if loaded:
            app.setFont(QFont(loaded[0], app.font().pointSize()))
            return loaded[0]
    return ""


def blank_report() -> Report:
    from datetime import date

    from .main_window import settings

    tid = settings().value("last_template", "hunan-dept")
    if tid not in templates.available():
        tid = "hunan-dept"
    return Report(template_id=tid, fiscal_year=date.today().year - 1)


def offer_recovery(window: MainWindow) -> bool:
    entries = autosave.pending()
    if not entries:
        return False
    entry = entries[0]
    name = entry.get("original") or entry.get("department") or "未命名报告"
    answer = QMessageBox.question(
        window, "恢复未保存的修改",
        f"上次软件没有正常关闭（可能是断电或死机）。\n发现 {entry.get('saved_at', '')} 自动保存的“{name}”。\n\n要恢复吗？",
        QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
    if answer != QMessageBox.Yes:
        for e in entries:
            autosave.discard_entry(e)
        return False
    try:
        report = storage.load(entry["file"])
    except storage.StorageError as e:
        QMessageBox.warning(window, "无法恢复", str(e))
        return False
    doc = Document(report, entry.get("original") or None)
    doc.undo_stack.resetClean()  # restored edits are not saved in the user's file yet
    window.set_document(doc)
    for e in entries:
        autosave.discard_entry(e)
    return True


def build(path: str | None = None, recover: bool = True, demo: str | None = None) -> MainWindow:
    if path:
        doc = Document(storage.load(path), path)
    elif demo:
        sample = samples_dir() / f"{demo}{storage.SUFFIX}"
        if not sample.exists():
            names = "、".join(p.name.removesuffix(storage.SUFFIX) for p in samples_dir().glob(f"*{storage.SUFFIX}"))
            raise storage.StorageError(f"没有名为“{demo}”的示例，可用：{names}。")
        doc = Document(storage.load(sample))  # untitled copy: saving asks where
    else:
        doc = Document(blank_report())
    window = MainWindow(doc)
    if recover:
        offer_recovery(window)
    return window


def run(path: str | None = None, demo: str | None = None) -> int:
    app = QApplication.instance() or input_method.application(sys.argv)
    app.setApplicationName("绩效自评填报助手")
    install_chinese_qt(app)
    ensure_cjk_font(app)
    try:
        window = build(path, demo=demo)
    except (storage.StorageError, templates.TemplateError) as e:
        QMessageBox.critical(None, "无法打开", str(e))
        window = build(None)
    window.show()
    return app.exec()



