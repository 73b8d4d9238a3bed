"""The 项目支出 step shows the 四川 text blocks only where the template's project form lists them."""
from decimal import Decimal

from model.report import FundsRow, Project, Report
from tests.ui.test_wizard import step
from ui.document import Document
from ui.main_window import MainWindow
from ui.steps.projects import ProjectsPage
from ui.widgets.fields import TextArea

KEYS = ("execution_reason", "conclusion", "problems", "improvements")


def page_of(qtbot, template_id: str) -> tuple[MainWindow, ProjectsPage]:
    project = Project(name="雨露计划", funds_current=FundsRow(Decimal(100), Decimal(100), Decimal(80)))
    window = MainWindow(Document(Report(template_id=template_id, fiscal_year=2023, projects=[project])))
    qtbot.addWidget(window)
    window.show()
    page = step(window, ProjectsPage)
    page.list.setCurrentRow(0)
    return window, page


def _areas(page) -> dict[str, TextArea]:
    return {a.path.rsplit(".", 1)[1]: a for a in page.findChildren(TextArea) if a.path.rsplit(".", 1)[1] in KEYS}


def test_sichuan_shows_the_four_blocks_with_their_limits_and_typing_stores_them(qtbot):
    window, page = page_of(qtbot, "sichuan-project")
    areas = _areas(page)
    assert set(areas) == set(KEYS)
    assert areas["execution_reason"].placeholderText() == "不超过 100 字"
    assert areas["conclusion"].placeholderText() == "不超过 200 字"
    areas["problems"].setPlainText("资金下达较晚")
    assert window.doc.report.projects[0].problems == "资金下达较晚"


def test_the_national_form_has_none_of_them(qtbot):
    _, page = page_of(qtbot, "mof-project-2020")
    assert _areas(page) == {}
