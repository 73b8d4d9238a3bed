"""Long work runs off the GUI thread (ui.worker): the window takes keystrokes during an export of a
500-project report, 取消 leaves no file, edits made meanwhile are not in the files, and reading a
决算 workbook happens in a worker too."""
from __future__ import annotations

import threading
import zipfile

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox

from bench.generate import large_report
from export import Cancelled, export_report
from model import storage, templates
from model.report import Report
from tests.ui.conftest import type_text
from ui import worker
from ui.document import Document
from ui.main_window import MainWindow
from ui.steps.export import ExportPage
from ui.steps.finance import FinancePage


def step(window, cls):
    row = next(i for i, p in enumerate(window.pages) if isinstance(p, cls))
    window.steps.setCurrentRow(row)
    return window.pages[row]


def out_folder(tmp_path):
    folder = tmp_path / "导出"  # tmp_path also holds the test's user data folder
    folder.mkdir()
    return folder


def export_page(qtbot, window, folder) -> ExportPage:
    page = step(window, ExportPage)
    page.warming.join(timeout=60)
    page.folder.setText(str(folder))
    return page


def test_keystrokes_are_applied_while_a_500_project_export_runs_and_cancel_leaves_no_file(qtbot, tmp_path):
    window = MainWindow(Document(large_report(500, 20)))
    qtbot.addWidget(window)
    window.show()
    tmp_path = out_folder(tmp_path)
    page = export_page(qtbot, window, tmp_path)
    job = page.run()
    assert job is not None and not job.finished  # run() returns at once: the files are built in a worker
    qtbot.waitUntil(lambda: page.progress.bar.value() > 0, timeout=60000)  # it is under way

    window.steps.setCurrentRow(0)  # 基本信息, during the export
    field = window.findChild(QLineEdit, "basic.contact_phone")
    type_text(field, "0743-8221234")
    assert window.doc.report.basic.contact_phone == "0743-8221234"  # every keystroke reached the report
    assert field.text() == "0743-8221234"
    assert page.job is job and not job.finished  # … while the export was still running
    seen = page.progress.bar.value()
    qtbot.waitUntil(lambda: page.progress.bar.value() > seen, timeout=60000)  # and it goes on

    qtbot.mouseClick(page.progress.cancel_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.job is None, timeout=60000)
    assert job.finished and page.progress.isHidden()
    assert "已取消" in page.results.item(0).text()
    assert list(tmp_path.iterdir()) == []  # no file, no temporary file
    assert worker.running() == 0


def test_export_is_of_the_report_as_it_was_when_started(qtbot, tmp_path, sample):
    window = MainWindow(Document(sample("xingxian_2022")))
    qtbot.addWidget(window)
    tmp_path = out_folder(tmp_path)
    page = export_page(qtbot, window, tmp_path)
    before = window.doc.report.basic.department
    page.run()
    window.doc.set("basic.department", "导出开始后改的名字")  # an edit while the export runs
    qtbot.waitUntil(lambda: page.job is None, timeout=60000)
    assert [o.ok for o in page.outcomes] == [True, True, True]
    assert page.results.count() == 3 and page.open_file.isEnabled()
    xlsx = next(p for p in tmp_path.iterdir() if p.suffix == ".xlsx")
    assert before in xlsx.name
    with zipfile.ZipFile(xlsx) as z:
        title = z.read("docProps/core.xml").decode()  # the workbook's title names the unit
    assert before in title and "导出开始后改的名字" not in title


def test_cancel_between_forms_writes_nothing(tmp_path, sample):
    report = sample("xingxian_2022")
    tmp_path = out_folder(tmp_path)
    cancel = threading.Event()
    calls = []

    def progress(fraction, text):
        calls.append(text)
        if "PDF" in text:  # the workbook is built; cancel while the PDF is
            cancel.set()

    with pytest.raises(Cancelled):
        export_report(report, templates.get(report.template_id), tmp_path, progress=progress, cancel=cancel)
    assert any("Excel" in t for t in calls)
    assert list(tmp_path.iterdir()) == []


def test_progress_goes_from_0_to_1_over_the_three_files(tmp_path, sample):
    report = sample("shilong_2020")
    seen = []
    outcomes = export_report(report, templates.get(report.template_id), tmp_path,
                             progress=lambda f, t: seen.append(f), cancel=threading.Event())
    assert all(o.ok for o in outcomes)
    assert seen == sorted(seen) and seen[0] == 0 and seen[-1] == 1.0 and len(seen) > 10


def test_import_reads_the_workbook_in_a_worker_and_applies_on_the_gui_thread(qtbot, sample, monkeypatch):
    window = MainWindow(Document(Report(template_id="mof-project-2020", fiscal_year=2022)))
    qtbot.addWidget(window)
    page = step(window, FinancePage)
    threads = []
    from model.importers import final_accounts as fa

    real = fa.preview
    monkeypatch.setattr(fa, "preview", lambda *a: threads.append(threading.current_thread()) or real(*a))
    from PySide6.QtWidgets import QDialog

    monkeypatch.setattr(QDialog, "exec", lambda self: QDialog.Accepted)
    job = page.import_workbook("tests/importers/data/tables.xlsx")
    assert not page.import_progress.isHidden() or job.finished  # a progress line with 取消
    qtbot.waitUntil(lambda: page.import_job is None, timeout=60000)
    assert threads and threads[0] is not threading.main_thread()  # read off the GUI thread
    expected = sample("xingxian_2022").finance
    assert window.doc.report.finance.units[0].general_budget == expected.units[0].general_budget
    window.doc.undo_stack.undo()  # one undo step, as before
    assert window.doc.report.finance.units == []


def test_an_unreadable_workbook_says_why_and_changes_nothing(qtbot, tmp_path, monkeypatch):
    window = MainWindow(Document(Report(template_id="mof-project-2020", fiscal_year=2022)))
    qtbot.addWidget(window)
    page = step(window, FinancePage)
    bad = tmp_path / "决算.xlsx"
    bad.write_bytes(b"not a workbook")
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: said.append(a[2]))
    page.import_workbook(str(bad))
    qtbot.waitUntil(lambda: page.import_job is None, timeout=60000)
    assert said and "Traceback" not in said[0]
    assert window.doc.report.finance.units == [] and not window.doc.modified


def test_snapshot_is_a_copy(sample):
    report = sample("shilong_2020")
    copy = worker.restore(worker.snapshot(report))
    assert copy == report and copy is not report
    report.basic.department = "改了"
    assert copy.basic.department != "改了"
    assert storage.to_data(copy)  # still a report the exports can read


def test_closing_the_page_cancels_its_export(qtbot, tmp_path):
    window = MainWindow(Document(large_report(200, 10)))
    qtbot.addWidget(window)
    folder = out_folder(tmp_path)
    page = export_page(qtbot, window, folder)
    job = page.run()
    page.deleteLater()  # as when another report is opened in the window
    qtbot.waitUntil(lambda: job.cancel_event.is_set(), timeout=10000)
    job.thread.join(timeout=60)
    assert not job.thread.is_alive()
    assert list(folder.iterdir()) == []
