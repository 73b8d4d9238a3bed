"""打印预览 and 打印: the exact pages of the exported PDF, drawn by pdfium (``pypdfium2``).

What is previewed and printed is the PDF that 导出 writes (``export.pdf.build_pdf``), built in a
worker thread (``ui.worker.Job``) from a copy of the report, so preview, print and the PDF file
can never differ — there is no second layout.  The preview lists the pages (rendered when they
scroll into view); 打印… asks for the printer (QPrintDialog) and prints the pages 从…到….

Printing draws each page at the printer's resolution (at most ``MAX_DPI``), in bands of rows so a
600 dpi A4 page never needs its 130 MB bitmap at once, at its own size: an A4 page on A4 paper is
printed 1:1, never shrunk into the printer's margins; a page larger than the paper is fitted
(aspect kept), a landscape page on portrait paper is turned.
"""
from __future__ import annotations

import math
from collections import OrderedDict

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PySide6.QtCore import QAbstractListModel, QModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QLabel, QListView, QPushButton, QSpinBox,
                               QVBoxLayout)

from .worker import Job, ProgressPanel, restore, snapshot

MAX_DPI = 600  # beyond this a form prints no sharper, and a band costs more memory than it is worth
BAND_BYTES = 16 * 2**20  # one band of a page rendered for the printer
CACHED_PAGES = 24  # preview images kept; the others are rendered again when scrolled back to
ZOOMS = (("适合宽度", 0), ("50%", 50), ("75%", 75), ("100%", 100), ("150%", 150))


class PrintError(Exception):
    """Printing could not start or the PDF could not be read; the message says what to do."""


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise PrintError(f"生成的打印页面无法读取（{e}）。请改用“导出”生成 PDF 后用其他软件打印，并把此消息反馈给软件维护人员。") from None


def _image(bitmap) -> QImage:
    """A pdfium BGRx bitmap as a QImage sharing its memory (keep ``bitmap`` alive while it is used)."""
    return QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format_RGB32)


def render_page(pdf: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    """Page ``index`` at ``dpi`` (72 = one pixel per point), as pdfium draws it for the screen."""
    page = pdf[index]
    bitmap = page.render(scale=dpi / 72, prefer_bgrx=True, fill_color=(255, 255, 255, 255))
    return _image(bitmap).copy()


def page_size(pdf: pdfium.PdfDocument, index: int) -> tuple[float, float]:
    """Width and height in points."""
    return pdf[index].get_size()


def placement(page_pt: tuple[float, float], paper_px: QSize, dpi: float) -> tuple[bool, float, QRectF]:
    """Where a page goes on the paper: (turned 90°, pixels per point, target rectangle in device pixels).

    The page keeps its own size (``dpi``/72 pixels per point) when it fits, so A4 prints 1:1 on A4;
    it is only shrunk (aspect kept) when it is larger than the paper; a landscape page on portrait
    paper (or the reverse) is turned rather than shrunk."""
    w, h = page_pt
    turned = (w > h) != (paper_px.width() > paper_px.height())
    if turned:
        w, h = h, w
    scale = dpi / 72
    fit = min(paper_px.width() / (w * scale), paper_px.height() / (h * scale))
    if fit < 0.995:  # larger than the paper (a hair's difference is rounding: A4 is 595.28 × 841.89 pt)
        scale *= fit
    tw, th = w * scale, h * scale
    return turned, scale, QRectF((paper_px.width() - tw) / 2, (paper_px.height() - th) / 2, tw, th)


def print_pdf(pdf: pdfium.PdfDocument, printer: QPrinter, first: int, last: int, progress=None) -> int:
    """Print pages ``first``…``last`` (0-based, inclusive) on ``printer``; returns how many were printed.
    ``progress(done, total)`` is called after each page (the dialog keeps the window responsive)."""
    printer.setFullPage(True)  # coordinates from the paper's corner: the page is placed, not the margins
    dpi = min(printer.resolution(), MAX_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("无法开始打印：打印机不可用或输出文件不能写入。请检查打印机是否开机、联机，或换一台打印机。")
    try:
        paper = printer.paperRect(QPrinter.DevicePixel)
        device = printer.resolution()
        paper_px = QSize(round(paper.width() * dpi / device), round(paper.height() * dpi / device))
        painter.scale(device / dpi, device / dpi)  # draw in pixels of the rendering resolution
        total = last - first + 1
        for n, index in enumerate(range(first, last + 1)):
            if n:
                printer.newPage()
            _draw_page(painter, pdf[index], paper_px, dpi)
            if progress is not None:
                progress(n + 1, total)
    finally:
        painter.end()
    return last - first + 1


def _draw_page(painter: QPainter, page, paper_px: QSize, dpi: float) -> None:
    """Render ``page`` band by band straight into the painter (pdfium's own pixel grid, no resampling
    when the page fits the paper)."""
    turned, scale, target = placement(page.get_size(), paper_px, dpi)
    w, h = page.get_size()
    full_w = math.ceil((h if turned else w) * scale)
    full_h = math.ceil((w if turned else h) * scale)
    band = max(1, BAND_BYTES // (4 * full_w))
    rotation = 1 if turned else 0  # pdfium's rotation code: 1 = 90° clockwise
    x0, y0 = round(target.x()), round(target.y())
    for top in range(0, full_h, band):
        rows = min(band, full_h - top)
        bitmap = pdfium.PdfBitmap.new_native(full_w, rows, pdfium_c.FPDFBitmap_BGRx)
        bitmap.fill_rect(0, 0, full_w, rows, (255, 255, 255, 255))
        pdfium_c.FPDF_RenderPageBitmap(bitmap, page, 0, -top, full_w, full_h, rotation,
                                       pdfium_c.FPDF_ANNOT | pdfium_c.FPDF_PRINTING)
        painter.drawImage(x0, y0 + top, _image(bitmap))


class PagesModel(QAbstractListModel):
    """One row per PDF page; its picture is rendered when a view first asks for it (the pages on screen)."""

    def __init__(self, pdf: pdfium.PdfDocument, ratio: float = 1.0, parent=None):
        super().__init__(parent)
        self.pdf = pdf
        self.dpi = 72.0  # logical pixels per inch shown
        self.ratio = ratio  # device pixels per logical pixel (150 % scaling: 1.5), so pages stay sharp
        self._cache: OrderedDict[int, QPixmap] = OrderedDict()

    def set_dpi(self, dpi: float):
        self.beginResetModel()
        self.dpi = dpi
        self._cache.clear()
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.pdf)

    def size(self, row: int) -> QSize:
        w, h = page_size(self.pdf, row)
        return QSize(math.ceil(w * self.dpi / 72), math.ceil(h * self.dpi / 72))

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = index.row()
        if role == Qt.DecorationRole:
            return self.pixmap(row)
        if role == Qt.DisplayRole:
            return f"第 {row + 1} 页 / 共 {len(self.pdf)} 页"
        if role == Qt.SizeHintRole:
            size = self.size(row)
            return QSize(size.width(), size.height() + 24)
        return None

    def pixmap(self, row: int) -> QPixmap:
        if row in self._cache:
            self._cache.move_to_end(row)
            return self._cache[row]
        pixmap = QPixmap.fromImage(render_page(self.pdf, row, self.dpi * self.ratio))
        pixmap.setDevicePixelRatio(self.ratio)
        self._cache[row] = pixmap
        while len(self._cache) > CACHED_PAGES:
            self._cache.popitem(last=False)
        return pixmap


def build_job(doc) -> Job:
    """Build the report's PDF (bytes) in a worker, exactly as 导出 does."""
    frozen = snapshot(doc.report)
    tpl, result = doc.template, doc.result

    def work(progress, cancel):
        from export import Cancelled, builder

        def step(i: int, n: int):
            if cancel.is_set():
                raise Cancelled()
            progress(i / n if n else None, f"正在生成打印页面（{i} / {n}）")

        return builder("pdf")(restore(frozen), tpl, result, progress=step)

    return Job(work, "print-pdf")


class PrintPreview(QDialog):
    """The pages as they will print; 从…到… and 打印… (printer choice) below them."""

    def __init__(self, doc, parent=None, print_now: bool = False):
        super().__init__(parent)
        self.setWindowTitle("打印预览")
        self.print_now = print_now
        self.pdf: pdfium.PdfDocument | None = None
        self.model: PagesModel | None = None
        lay = QVBoxLayout(self)
        self.progress = ProgressPanel()
        lay.addWidget(self.progress)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("print_note")
        lay.addWidget(self.note)
        self.view = QListView()
        self.view.setObjectName("print_pages")
        self.view.setViewMode(QListView.IconMode)  # the page number under each page, pages one below another
        self.view.setFlow(QListView.TopToBottom)
        self.view.setWrapping(False)
        self.view.setMovement(QListView.Static)
        self.view.setResizeMode(QListView.Adjust)
        self.view.setSpacing(8)
        self.view.setStyleSheet("QListView{background:#8a8f96}")
        self.view.setVerticalScrollMode(QListView.ScrollPerPixel)
        lay.addWidget(self.view, 1)
        bar = QHBoxLayout()
        self.count = QLabel()
        self.count.setObjectName("print_count")
        self.first, self.last = QSpinBox(), QSpinBox()
        self.zoom = QComboBox()
        for label, value in ZOOMS:
            self.zoom.addItem(label, value)
        self.zoom.currentIndexChanged.connect(self._zoom)
        self.print_button = QPushButton("打印…")
        self.print_button.setObjectName("print_button")
        self.print_button.clicked.connect(self.choose_printer)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        for widget in (self.count, QLabel("打印范围：从第"), self.first, QLabel("页 到第"), self.last, QLabel("页"),
                       QLabel("  缩放"), self.zoom):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(close)
        lay.addLayout(bar)
        self.print_button.setEnabled(False)
        self.job = build_job(doc)
        self.job.done.connect(self._built)
        self.job.failed.connect(lambda e: self._failed(f"生成打印页面时出错：{e!r}。请改用“导出”生成 PDF，并把此消息反馈给软件维护人员。"))
        self.job.cancelled.connect(lambda: self._failed("已取消，没有打印。"))
        self.progress.attach(self.job, "正在生成打印页面…")
        self.finished.connect(lambda _r: self.job.cancel())
        self.job.start()

    def _failed(self, text: str):
        self.note.setText(f"<b style='color:#b42318'>{text}</b>")

    def _built(self, data: bytes):
        try:
            self.pdf = open_pdf(bytes(data))
        except PrintError as e:
            self._failed(str(e))
            return
        warning = getattr(data, "warning", "")
        if warning:
            self.note.setText(f"注意：{warning}")
        self.model = PagesModel(self.pdf, self.devicePixelRatioF(), self)
        self.view.setModel(self.model)
        n = len(self.pdf)
        self.count.setText(f"共 {n} 页")
        for box, value in ((self.first, 1), (self.last, n)):
            box.setRange(1, n)
            box.setValue(value)
        self.first.valueChanged.connect(lambda v: self.last.setValue(max(v, self.last.value())))
        self.last.valueChanged.connect(lambda v: self.first.setValue(min(v, self.first.value())))
        self._zoom()
        self.print_button.setEnabled(True)
        if self.print_now:
            self.choose_printer()

    def _zoom(self, *_):
        if self.model is None:
            return
        percent = self.zoom.currentData()
        if not percent:  # 适合宽度: the widest page fills the view
            widest = max(page_size(self.pdf, i)[0] for i in range(min(len(self.pdf), 50)))
            room = self.view.viewport().width() - 2 * self.view.spacing() - 24
            dpi = max(36.0, 72 * room / widest)
        else:
            dpi = self.logicalDpiX() * percent / 100
        self.model.set_dpi(dpi)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self.zoom.currentData() == 0:
            self._zoom()

    def page_range(self) -> tuple[int, int]:
        """The chosen pages, 0-based and inclusive."""
        return self.first.value() - 1, self.last.value() - 1

    def choose_printer(self, printer: QPrinter | None = None) -> int:
        """Ask for the printer (QPrintDialog, unless one is given) and print the chosen pages."""
        if self.pdf is None:
            return 0
        if printer is None:
            printer = QPrinter(QPrinter.HighResolution)
            printer.setDocName(self.windowTitle())
            dialog = QPrintDialog(printer, self)
            dialog.setOption(QPrintDialog.PrintPageRange, False)  # the range is chosen here, beside the pages
            if dialog.exec() != QDialog.Accepted:
                return 0
        first, last = self.page_range()
        self.note.setText(f"正在打印第 {first + 1}–{last + 1} 页…")
        try:
            printed = print_pdf(self.pdf, printer, first, last)
        except PrintError as e:
            self._failed(str(e))
            return 0
        self.note.setText(f"已送往打印机：第 {first + 1}–{last + 1} 页，共 {printed} 页。")
        return printed


def preview(doc, parent=None, print_now: bool = False) -> PrintPreview:
    """Open the preview (modeless: the clerk can look at the report beside it)."""
    dialog = PrintPreview(doc, parent, print_now)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    screen = (parent.screen() if parent is not None else dialog.screen()).availableGeometry()
    dialog.resize(min(900, screen.width() - 40), screen.height() - 60)
    dialog.show()
    return dialog
