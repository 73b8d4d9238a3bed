"""Issue 16, item 6: 打印预览 shows the exported PDF's own pages (rendered by pdfium, compared with
poppler's pdftoppm), and 打印 puts those pages on the printer — here a QPrinter writing a PDF, as
there is no printer in CI — 1:1 on A4."""
import shutil
import subprocess

import pytest
from PIL import Image, ImageChops, ImageStat
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QKeySequence, QPageSize
from PySide6.QtPrintSupport import QPrinter

from model import storage, templates
from model.scoring import score
from ui import print_preview
from ui.app import build
from ui.steps.export import ExportPage

pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) 未安装")


def exported_pdf(name: str) -> bytes:
    """The PDF the 导出 step writes for a sample."""
    from export import builder

    report = storage.load(f"resources/samples/{name}.jxzp.json")
    tpl = templates.get(report.template_id)
    return bytes(builder("pdf")(report, tpl, score(report, tpl)))


@pytest.fixture
def shown(qtbot):
    window = build("resources/samples/shilong_2020.jxzp.json", recover=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    dialog = window.print_preview()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model is not None, timeout=60_000)
    return window, dialog


def pil(image: QImage) -> Image.Image:
    image = image.convertToFormat(QImage.Format_RGB32)
    return Image.frombytes("RGB", (image.width(), image.height()), bytes(image.constBits()), "raw", "BGRX",
                           image.bytesPerLine())


def test_preview_shows_every_page_of_the_exported_pdf(shown):
    _window, dialog = shown
    n = len(print_preview.open_pdf(exported_pdf("shilong_2020")))
    assert n > 10 and dialog.model.rowCount() == n
    assert dialog.count.text() == f"共 {n} 页" and dialog.page_range() == (0, n - 1)
    assert dialog.view.model() is dialog.model and dialog.print_button.isEnabled()
    dialog.last.setValue(3)
    dialog.first.setValue(5)  # 从 after 到: 到 follows
    assert dialog.page_range() == (4, 4)


@pdftoppm
def test_preview_pages_look_as_poppler_draws_them(shown, tmp_path):
    _window, dialog = shown
    dialog.model.ratio = 1.0
    dialog.model.set_dpi(72)
    path = tmp_path / "报告.pdf"
    path.write_bytes(exported_pdf("shilong_2020"))
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-f", "1", "-l", "4", str(path), str(tmp_path / "p")], check=True)
    for i, png in enumerate(sorted(tmp_path.glob("p-*.png"))):
        ours = pil(dialog.model.pixmap(i).toImage()).convert("L")
        theirs = Image.open(png).convert("L")
        assert ours.size == theirs.size  # 596×842 portrait, 842×596 landscape
        ink = 255 - ImageStat.Stat(theirs).mean[0]
        # the two libraries smooth text differently; in 8×8 blocks the pages must agree
        blocks = [im.resize((im.width // 8, im.height // 8), Image.BOX) for im in (ours, theirs)]
        diff = ImageStat.Stat(ImageChops.difference(*blocks)).mean[0]
        assert diff < 0.3 * ink and diff < 6, (i, diff, ink)
    # a blank page would not pass: the check tells pages apart
    blank = Image.new("L", theirs.size, 255).resize((theirs.width // 8, theirs.height // 8))
    assert ImageStat.Stat(ImageChops.difference(blank, blocks[1])).mean[0] > 0.5 * ink


def test_printing_to_a_pdf_printer_gives_the_same_pages_on_a4(shown, tmp_path):
    _window, dialog = shown
    n = dialog.model.rowCount()
    out = tmp_path / "打印.pdf"
    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setPageSize(QPageSize(QPageSize.A4))
    printer.setResolution(96)  # no printer in CI: a small output file
    assert dialog.choose_printer(printer) == n
    printed = print_preview.open_pdf(out.read_bytes())
    assert len(printed) == n
    assert all(abs(w - 595) < 2 and abs(h - 842) < 2 for w, h in (p.get_size() for p in printed))
    assert "共 %d 页" % n in dialog.note.text()
    # a page range prints just those pages
    dialog.first.setValue(2)
    dialog.last.setValue(4)
    out2 = tmp_path / "第2-4页.pdf"
    printer2 = QPrinter(QPrinter.HighResolution)
    printer2.setOutputFormat(QPrinter.PdfFormat)
    printer2.setOutputFileName(str(out2))
    printer2.setResolution(96)
    assert dialog.choose_printer(printer2) == 3 and len(print_preview.open_pdf(out2.read_bytes())) == 3


def test_a4_prints_one_to_one_and_landscape_is_turned_not_shrunk():
    a4 = (595.28, 841.89)
    paper = QSize(round(210 / 25.4 * 300), round(297 / 25.4 * 300))  # A4 at 300 dpi
    turned, scale, rect = print_preview.placement(a4, paper, 300)
    assert not turned and scale == 300 / 72  # never shrunk into the printer's margins
    assert abs(rect.width() - paper.width()) <= 1 and abs(rect.height() - paper.height()) <= 1
    turned, scale, _rect = print_preview.placement((a4[1], a4[0]), paper, 300)
    assert turned and scale == 300 / 72
    turned, scale, rect = print_preview.placement((a4[0] * 2, a4[1] * 2), paper, 300)  # A2 on A4: fitted
    assert not turned and scale < 300 / 72 and rect.width() <= paper.width() + 1


def test_print_is_in_the_file_menu_and_the_export_step(qtbot, shown):
    window, _dialog = shown
    actions = {a.text(): a for a in window.menuBar().actions()[0].menu().actions()}
    assert actions["打印…"].shortcut() == QKeySequence(QKeySequence.Print) and "打印预览…" in actions
    page = next(p for p in window.pages if isinstance(p, ExportPage))
    second = page.print_preview()
    qtbot.addWidget(second)
    assert second.windowTitle() == "打印预览"
    qtbot.waitUntil(lambda: second.model is not None, timeout=60_000)
