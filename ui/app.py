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
from .template_warnings import show_skipped_templates


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
    """List every recovery file left by a window that is no longer running; do what the clerk picks.

    Nothing is deleted or moved that the clerk did not check; an unreadable file is listed with the
    reason and never stops the start.  Restored reports open in ``window`` (if it holds nothing of
    its own) and in new windows, kept in ``window.recovered_windows``.  True if any was restored.
    """
    from . import recovery_dialog

    try:
        entries = autosave.pending()
    except OSError as e:
        QMessageBox.warning(window, "无法查看自动保存的修改",
                            f"无法读取自动保存文件夹“{autosave.recovery_dir()}”：{e.strerror or e}。"
                            "请检查该文件夹的权限；本次启动不恢复，文件都保留着。")
        return False
    for _ in range(100):  # each round: one button of the list; 恢复 or 暂不处理 ends it
        if not entries:
            return False
        action, chosen = recovery_dialog.ask(window, entries, str(autosave.recovery_dir()))
        if action == recovery_dialog.RESTORE and chosen:
            return _restore(window, chosen)
        if action == recovery_dialog.DELETE and chosen:
            if _delete(window, chosen):
                entries = [e for e in entries if e not in chosen]
        elif action == recovery_dialog.MOVE and chosen:
            entries = [e for e in entries if e not in _move_aside(window, chosen)]
        else:
            return False  # 暂不处理: everything stays for the next start
    return False


def _delete(window: MainWindow, chosen: list) -> bool:
    names = "\n".join(f"· {e.label}" for e in chosen)
    answer = QMessageBox.question(
        window, "删除自动保存的修改",
        f"将永久删除以下 {len(chosen)} 份自动保存的修改，删除后无法找回：\n{names}\n\n其余的保留。确定删除吗？",
        QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
    if answer != QMessageBox.Yes:
        return False
    for entry in chosen:
        autosave.discard_entry(entry)
    return True


def _move_aside(window: MainWindow, chosen: list) -> list:
    from model import recovery

    moved, failed = [], []
    for entry in chosen:
        try:
            recovery.move_aside(entry)
            moved.append(entry)
        except OSError as e:
            failed.append(f"· {entry.label}：{e.strerror or e}")
    if failed:
        QMessageBox.warning(window, "无法移动文件",
                            "以下文件没能移到“{}”：\n{}\n请关闭可能占用它们的程序后重新启动本软件，"
                            "或手动移动这些文件。".format(autosave.recovery_dir() / recovery.DAMAGED, "\n".join(failed)))
    return moved


def _takes_restore(window: MainWindow, entry) -> bool:
    """The start-up window shows a restored report if it holds nothing else (blank, demo or the same file)."""
    doc = window.doc
    if doc is None or doc.modified:
        return False
    return doc.path is None or (bool(entry.original) and str(doc.path) == entry.original)


def _restore(window: MainWindow, chosen: list) -> bool:
    if not hasattr(window, "recovered_windows"):
        window.recovered_windows = []
    restored, failed = 0, []
    for entry in chosen:
        try:
            # with the fingerprint the crashed window knew, a save made elsewhere since is noticed
            doc = Document(entry.report, entry.original or None, fingerprint=entry.fingerprint)
            doc.undo_stack.resetClean()  # restored edits are not saved in the user's file yet
            if restored == 0 and _takes_restore(window, entry):
                target = window
                window.set_document(doc)
            else:
                target = MainWindow(doc)
        except Exception as e:  # noqa: BLE001 - a bad recovery file must not stop the start
            failed.append(f"· {entry.label}：{e if isinstance(e, (storage.StorageError, templates.TemplateError)) else type(e).__name__}")
            continue
        if target.doc is not doc:  # 取消 at “报告已被打开”: not shown, so the file must stay
            failed.append(f"· {entry.label}：您选择了不打开该报告")
            if target is not window:
                target.deleteLater()
            continue
        if target is not window:
            offset = 40 * (len(window.recovered_windows) + 1)
            target.move(window.x() + offset, window.y() + offset)
            window.recovered_windows.append(target)
        target.autosave.adopt(entry)  # the old file goes once this window's own autosave is written
        target.autosave.save_now()
        restored += 1
    if failed:
        QMessageBox.warning(window, "无法恢复",
                            "以下自动保存的修改没能恢复，文件仍保留在“{}”：\n{}\n"
                            "下次启动时会再次列出，可选择移走。".format(autosave.recovery_dir(), "\n".join(failed)))
    return restored > 0


def build(path: str | None = None, recover: bool = True, demo: str | None = None) -> MainWindow:
    if path:
        doc = Document.open(path)  # with the file's fingerprint and content: a later save notices other writers
    elif demo:
        sample = samples_dir() / f"{demo}{storage.SUFFIX}"
        if not sample.exists():
            names = "、".join(p.name.removesuffix(storage.SUFFIX) for p in samples_dir().glob(f"*{storage.SUFFIX}"))
            raise storage.StorageError(f"没有名为“{demo}”的示例，可用：{names}。")
        doc = Document(storage.load(sample))  # untitled copy: saving asks where
    else:
        doc = Document(blank_report())
    window = MainWindow(doc)
    show_skipped_templates(window)  # the clerk's own bad template files, skipped: which and why
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
    for other in getattr(window, "recovered_windows", []):  # a second crashed window's report, and so on
        other.show()
    return app.exec()



