"""Bar chart of 得分率 per 一级 indicator."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import KeepTogether, Table, TableStyle

from model.money import format_percent

from .builder import Builder


def score_chart(bld: Builder, width: float) -> list:
    """Bar chart of 得分率 per 一级 indicator (skipped when there is no department score)."""
    dept = bld.result.dept if bld.result else None
    if dept is None or not dept.groups:
        return []
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String

    st = bld.st
    names, rates, shown = [], [], []
    for g in dept.groups:
        rate = g.rate
        rates.append(float(rate) if rate is not None else 0.0)
        shown.append(format_percent(rate))  # rounded half-up like the tables
        name = bld.drawable(g.name, "song")
        names.append("\n".join(name[i:i + 6] for i in range(0, len(name), 6)))
    n = len(names)
    chart_w = min(width, max(300.0, 80.0 * n + 80))
    height = 210
    d = Drawing(chart_w, height)
    d.initialFontName, d.initialFontSize = st.song, 9  # else the renderer sets Helvetica (unembedded)
    bc = VerticalBarChart()
    bc.x, bc.y = 36, 42
    bc.width, bc.height = chart_w - 48, height - 66
    bc.data = [rates]
    bc.barWidth = 10
    bc.groupSpacing = 14
    bc.bars[0].fillColor = colors.HexColor("#4a6fa5")
    bc.bars[0].strokeColor = None
    bc.valueAxis.valueMin, bc.valueAxis.valueMax, bc.valueAxis.valueStep = 0, 100, 20
    bc.valueAxis.labels.fontName = st.song
    bc.valueAxis.labels.fontSize = 8
    bc.valueAxis.labelTextFormat = "%d%%"
    bc.valueAxis.visibleGrid = True
    bc.valueAxis.gridStrokeColor = colors.HexColor("#cccccc")
    bc.valueAxis.gridStrokeWidth = 0.4
    bc.categoryAxis.categoryNames = names
    bc.categoryAxis.labels.fontName = st.song
    bc.categoryAxis.labels.fontSize = 9
    bc.categoryAxis.labels.boxAnchor = "n"
    bc.categoryAxis.labels.dy = -3
    bc.barLabelFormat = lambda v: ""  # labels drawn below with 得分/分值
    bc.barLabels.fontName = st.song
    d.add(bc)
    # value labels above the bars
    step = bc.width / n
    for i, (v, text) in enumerate(zip(rates, shown)):
        x = bc.x + step * (i + 0.5)
        y = bc.y + bc.height * min(v, 100) / 100 + 3
        d.add(String(x, y, text, fontName=st.song, fontSize=8, textAnchor="middle"))
    title = bld.paragraph(bld.m("一级指标得分率", "hei"), st.chart_title)
    table = Table([[d]], colWidths=[chart_w], hAlign="CENTER")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), st.song),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [KeepTogether([title, table])]
