"""Bar chart of 得分率 per 一级 indicator, drawn with QPainter (no QtCharts)."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


class RateChart(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.bars: list[tuple[str, float]] = []  # (label, rate in %) — float only for drawing
        self.setMinimumHeight(240)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)

    def set_bars(self, bars):
        self.bars = [(label, float(rate or 0)) for label, rate in bars]
        self.setAccessibleDescription("；".join(f"{label} {rate:.2f}%" for label, rate in self.bars))
        self.update()

    def paintEvent(self, _event):
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        w, h = self.width(), self.height()
        left, bottom, top = 44, 48, 16
        plot_h = h - bottom - top
        p.setPen(QPen(QColor("#888")))
        for pct in (0, 50, 100):
            y = top + plot_h * (1 - pct / 100)
            p.drawLine(left, int(y), w - 8, int(y))
            p.drawText(QRectF(0, y - 8, left - 6, 16), Qt.AlignRight | Qt.AlignVCenter, f"{pct}%")
        if not self.bars:
            p.drawText(self.rect(), Qt.AlignCenter, "暂无评分")
            return
        slot = (w - left - 8) / len(self.bars)
        bar_w = min(slot * 0.6, 80)
        for i, (label, rate) in enumerate(self.bars):
            x = left + slot * i + (slot - bar_w) / 2
            bar_h = plot_h * max(min(rate, 100), 0) / 100
            colour = QColor("#2e7d32") if rate >= 90 else QColor("#f9a825") if rate >= 60 else QColor("#c62828")
            p.fillRect(QRectF(x, top + plot_h - bar_h, bar_w, bar_h), colour)
            p.setPen(QPen(QColor("#222")))
            p.drawText(QRectF(x - 20, top + plot_h - bar_h - 18, bar_w + 40, 16), Qt.AlignCenter, f"{rate:.2f}%")
            p.drawText(QRectF(left + slot * i, top + plot_h + 4, slot, bottom - 6),
                       Qt.AlignHCenter | Qt.AlignTop | Qt.TextWordWrap, label)
