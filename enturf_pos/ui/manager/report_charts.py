"""The Reports tab's charts (QtCharts), built from the server's answers:

* sales over time: tickets sold so far against the days on sale (from the on-sale
  date);
* pace: the same line for an earlier event beside it (dashed), to see whether this one
  sells faster or slower at the same point of its sale;
* channel mix: the share of takings by channel (online, counter) as a pie.

Colours are the seat map's category set (`enturf_core.palette`), colour-blind safe."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCharts import QChart, QLineSeries, QPieSeries, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from enturf_core import palette
from enturf_pos.services.reports.report_tables import money, money_text

OVER_TIME = "over_time"
PACE = "pace"
CHANNELS = "channels"
KINDS = {
    OVER_TIME: "Sales over time",
    PACE: "Pace against an earlier event",
    CHANNELS: "Channel mix",
}
SERIES = palette.CATEGORY_COLOURS


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont()
    font.setPointSize(10)
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setTitleBrush(QColor(palette.TEXT))
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setLabelColor(QColor(palette.TEXT))
    return chart


def points(answer: Any) -> list[tuple[int, int]]:
    """(days on sale, tickets sold by then): (0, 0) at the on-sale moment, then the
    total at the end of each day (day 0 of the series ends one day on sale)."""
    series = answer.get("series") if isinstance(answer, dict) else None
    out = {0: 0}
    for item in series or ():
        if not isinstance(item, dict):
            continue
        day, total = item.get("days_from_on_sale"), item.get("cumulative_tickets")
        if isinstance(day, int) and isinstance(total, int) and day >= 0:
            out[day + 1] = total
    return sorted(out.items())


def _line(name: str, pts: list[tuple[int, int]], colour: str, *, dashed: bool) -> QLineSeries:
    series = QLineSeries()
    series.setName(name)
    for x, y in pts:
        series.append(float(x), float(y))
    pen = QPen(QColor(colour), 2.4)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    series.setPen(pen)
    return series


def _axis(title: str, top: float) -> QValueAxis:
    """0 to a little above `top`, ticks on whole numbers (1, 2, 5 times a power of 10)."""
    step = 1.0
    while top / step > 6:
        step *= 2.5 if str(int(step)).startswith("2") else 2
    axis = QValueAxis()
    axis.setTitleText(title)
    axis.setLabelFormat("%d")
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setRange(0, max(step, math.ceil(top / step) * step))
    axis.setGridLineColor(QColor(palette.GRID))
    axis.setLabelsColor(QColor(palette.TEXT_SECONDARY))
    axis.setTitleBrush(QColor(palette.TEXT_SECONDARY))
    return axis


def over_time_chart(
    data: dict[str, Any] | None, event_name: str, compare_name: str = "", *, pace: bool = False
) -> QChart:
    """Tickets sold so far by days from the on-sale date; with `pace`, the compared
    event's line too (dashed)."""
    title = "Pace against an earlier event" if pace else "Tickets sold since the on-sale date"
    chart = _chart(title)
    if not data:
        chart.setTitle(f"{title}: no figures yet")
        return chart
    lines = [_line(event_name or "This event", points(data), SERIES[0], dashed=False)]
    compare = data.get("compare") if pace else None
    if isinstance(compare, dict):
        lines.append(
            _line(compare_name or "Earlier event", points(compare), SERIES[3], dashed=True)
        )
    elif pace:
        chart.setTitle(f"{title}: choose one to compare with")
    days = max((x for s in lines for x in (p.x() for p in s.points())), default=1.0)
    sold = max((y for s in lines for y in (p.y() for p in s.points())), default=1.0)
    x_axis, y_axis = _axis("Days on sale", days), _axis("Tickets sold", sold)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    for line in lines:
        chart.addSeries(line)
        line.attachAxis(x_axis)
        line.attachAxis(y_axis)
    chart.legend().setVisible(len(lines) > 1 or pace)
    return chart


def channel_chart(data: dict[str, Any] | None) -> QChart:
    """Takings (gross) by channel, as shares of a pie."""
    chart = _chart("Channel mix (gross takings)")
    rows = [r for r in (data or {}).get("rows") or () if isinstance(r, dict)]
    currency = str((data or {}).get("currency") or "")
    total = sum(r.get("gross_cents") or 0 for r in rows)
    if not rows or not total:
        chart.setTitle("Channel mix: no sales for these filters")
        return chart
    pie = QPieSeries()
    for k, row in enumerate(sorted(rows, key=lambda r: -(r.get("gross_cents") or 0))):
        cents = row.get("gross_cents") or 0
        name = str(row.get("label") or row.get("key") or "?")
        share = 100 * cents / total
        label = f"{name} {share:.0f} % ({money_text(money(cents, currency), currency)})"
        piece = pie.append(label, float(cents))
        piece.setColor(QColor(SERIES[k % len(SERIES)]))
        piece.setBorderColor(QColor(palette.WHITE))
        piece.setLabelVisible(False)
    pie.setPieSize(0.78)
    chart.addSeries(pie)
    return chart


RENDER_HINT = QPainter.RenderHint.Antialiasing
