"""A report as an A4 PDF (reportlab platypus), in the look of the Z report
(`enturf_core.z_report_pdf`): title, seller, what was chosen and when the figures are
from, then each table with its shaded header and right-aligned figures, and the
cumulative sales as a line chart when there are any."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from enturf_core import palette
from enturf_core.pdf_drawing import INK, MUTED, RULE
from enturf_core.z_report_pdf import MARGIN, TEXT_WIDTH, shaded_table
from enturf_pos.services.reports.report_tables import ReportTable

LABEL_WIDTH = 40 * mm  # a table's first column at least; the figures share the rest


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the chart: (days on sale, tickets sold by then)."""

    name: str
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class ReportDocument:
    title: str
    seller: str
    notes: Sequence[str]  # filters, "Figures as of …"
    tables: Sequence[ReportTable]
    lines: Sequence[Line] = field(default_factory=tuple)
    chart_title: str = "Tickets sold since the on-sale date"


def _table(table: ReportTable):
    header = [c.title for c in table.columns]  # the currency is said once, above
    rows = [header]
    for row in [*table.rows, *([table.totals] if table.totals is not None else [])]:
        rows.append([table.text(value, k) for k, value in enumerate(row)])
    if len(rows) == 1:
        rows.append(["none", *[""] * (len(header) - 1)])
    # each figure column as wide as its widest text; the names get the rest of the line
    need = [
        max(stringWidth(row[k], "Helvetica-Bold", 9) for row in rows) + 14
        for k in range(len(header))
    ]
    figures = sum(need[1:])
    widths = [max(LABEL_WIDTH, TEXT_WIDTH - figures), *need[1:]]
    return shaded_table(rows, widths)


def _chart(lines: Sequence[Line], title: str) -> Drawing:
    width, height = TEXT_WIDTH, 70 * mm
    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y = 36, 34
    plot.width, plot.height = width - 50, height - 58
    plot.data = [list(line.points) or [(0, 0)] for line in lines]
    series = palette.CATEGORY_COLOURS
    for k in range(len(lines)):
        plot.lines[k].strokeColor = colors.HexColor(series[k % len(series)])
        plot.lines[k].strokeWidth = 1.6
    plot.xValueAxis.labels.fontSize = plot.yValueAxis.labels.fontSize = 7
    plot.xValueAxis.strokeColor = plot.yValueAxis.strokeColor = RULE
    plot.yValueAxis.gridStrokeColor = RULE
    plot.yValueAxis.visibleGrid = True
    plot.yValueAxis.valueMin = plot.xValueAxis.valueMin = 0
    plot.xValueAxis.valueMax = max(1, *(x for line in lines for x, _y in line.points))
    plot.yValueAxis.valueMax = max(1, *(y for line in lines for _x, y in line.points))
    drawing.add(plot)
    drawing.add(String(0, height - 10, title, fontName="Helvetica-Bold", fontSize=9, fillColor=INK))
    drawing.add(
        String(
            plot.x + plot.width / 2,
            4,
            "days on sale",
            fontSize=7,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )
    legend = Legend()
    legend.x, legend.y = plot.x + 6, plot.y + plot.height - 4
    legend.fontSize = 7
    legend.alignment = "right"
    legend.colorNamePairs = [
        (colors.HexColor(series[k % len(series)]), line.name) for k, line in enumerate(lines)
    ]
    drawing.add(legend)
    return drawing


def render_report(doc: ReportDocument) -> bytes:
    styles = getSampleStyleSheet()
    out = io.BytesIO()
    pdf = SimpleDocTemplate(
        out, pagesize=A4, title=doc.title, leftMargin=MARGIN, rightMargin=MARGIN
    )
    p = lambda text, style="Normal": Paragraph(escape(text), styles[style])  # noqa: E731
    story = [p(doc.title, "Title")]
    if doc.seller:
        story.append(p(doc.seller))
    story += [p(note) for note in doc.notes]
    currencies = sorted({t.currency for t in doc.tables if t.currency})
    if currencies:
        story.append(p(f"Amounts in {', '.join(currencies)}, tax included in gross."))
    for table in doc.tables:
        story.append(KeepTogether([p(table.title, "Heading2"), _table(table)]))
    if doc.lines:
        story += [Spacer(1, 4 * mm), _chart(doc.lines, doc.chart_title)]
    pdf.build(story)
    return out.getvalue()


def write_pdf(doc: ReportDocument, path: Path) -> Path:
    path.write_bytes(render_report(doc))
    return path
