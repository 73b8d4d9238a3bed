"""The window never shows a blank report as finished or scored."""
from model.report import Report
from ui.document import Document
from ui.main_window import MainWindow
from ui.steps.review import ReviewPage


def test_blank_report_steps_are_open_and_the_panel_says_unfinished(qtbot):
    window = MainWindow(Document(Report(template_id="hunan-dept", fiscal_year=2023)))
    qtbot.addWidget(window)
    window.show()
    marks = [window.steps.item(row).text()[0] for row in range(window.steps.count())]
    assert "✓" not in marks and set(marks) <= {"○", "✗"}, marks
    texts = window.score_panel.total.text()
    assert "未评完" in texts and "项指标尚未评分" in texts
    for grade in ("优", "良", "中", "差"):
        assert f"<b>{grade}</b>" not in texts
    row = window.step_ids.index("review")
    window.steps.setCurrentRow(row)
    review = window.page(row)
    assert isinstance(review, ReviewPage)
    assert "未评完" in review.summary.text() and "分　" not in review.summary.text()


def test_sample_steps_and_total(qtbot, sample):
    window = MainWindow(Document(sample("xiangxi_2021")))
    qtbot.addWidget(window)
    window.show()
    row = window.step_ids.index("dept_indicators")
    assert "未评完" not in window.steps.item(row).toolTip()
    row = window.step_ids.index("review")
    window.steps.setCurrentRow(row)
    assert "99.50 分　优" in window.page(row).summary.text()
