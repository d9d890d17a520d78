"""The A4 Z (or X) report PDF with reportlab platypus. Plain data in, PDF bytes out.

Shared by the server (`enturf_server.shifts.z_report`: the counter's figures next to the
server's check) and the counter (`enturf_pos.services.printing.shift_report_pdf`: its own figures
only, `server_figures=False`). Pure reportlab: no Django, no Qt.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from enturf_core.pdf_drawing import PANEL, RULE

MARGIN = 18 * mm
# The frame inside the margins keeps 6 pt of padding on each side (platypus default).
TEXT_WIDTH = A4[0] - 2 * MARGIN - 12


@dataclass(frozen=True)
class MethodRow:
    method: str
    expected: Decimal | None  # the counter's figure
    server_expected: Decimal | None
    counted: Decimal | None
    sales: Decimal | None = None  # taken for the shift's sales by this method
    refunds: Decimal | None = None  # given back by this method in the shift


@dataclass(frozen=True)
class SaleRow:
    event: str
    ticket: str
    count: int
    amount: Decimal


@dataclass(frozen=True)
class MovementRow:
    kind: str
    amount: Decimal
    reason: str
    at: datetime
    user: str


@dataclass(frozen=True)
class ZReportDocument:
    title: str
    seller: str
    counter: str
    cashier: str
    opened_at: datetime
    closed_at: datetime | None
    currency: str
    opening_float: Decimal
    methods: list[MethodRow]
    difference: Decimal | None
    server_difference: Decimal | None
    sales: list[SaleRow]
    refunds: list[SaleRow]
    movements: list[MovementRow]
    approved_by: str = ""
    notes: list[str] = field(default_factory=list)
    server_figures: bool = True  # False: the counter's own report (no server columns)


def _amount(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _minus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


def _when(value: datetime | None) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M")


def shaded_table(
    rows: list[list[str]], widths: list[float], numeric: set[int] | None = None
) -> Table:
    """A table with its header row shaded; the `numeric` columns (default: all but the
    first) are right-aligned, their header with them. Wider than the page's text
    width, the columns shrink in proportion: nothing runs into the margin."""
    scale = min(1.0, TEXT_WIDTH / sum(widths))
    table = Table(rows, colWidths=[w * scale for w in widths], hAlign="LEFT", repeatRows=1)
    right = set(range(1, len(widths))) if numeric is None else numeric
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("BACKGROUND", (0, 0), (-1, 0), PANEL),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                *[("ALIGN", (c, 0), (c, -1), "RIGHT") for c in sorted(right)],
            ]
        )
    )
    return table


def _sale_table(rows: list[SaleRow], currency: str) -> Table:
    body = [["Event", "Ticket", "Count", f"Amount ({currency})"]]
    body += [[r.event, r.ticket, str(r.count), _amount(r.amount)] for r in rows]
    if len(body) == 1:
        body.append(["none", "", "", ""])
    return shaded_table(body, [70 * mm, 50 * mm, 20 * mm, 30 * mm], numeric={2, 3})


def render_z_report(doc: ZReportDocument) -> bytes:
    styles = getSampleStyleSheet()
    out = io.BytesIO()
    pdf = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=f"{doc.title} {doc.counter}",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
    )
    p = lambda text, style="Normal": Paragraph(escape(text), styles[style])  # noqa: E731
    story = [
        p(f"{doc.title} - {doc.counter}", "Title"),
        p(doc.seller),
        p(f"Cashier: {doc.cashier}"),
        p(f"Opened: {_when(doc.opened_at)}   Closed: {_when(doc.closed_at)}"),
        p(f"Opening float: {_amount(doc.opening_float)} {doc.currency}"),
        Spacer(1, 5 * mm),
        p("Expected and counted", "Heading2"),
    ]
    if doc.server_figures:
        rows = [["Method", "Expected (counter)", "Expected (server)", "Counted"]]
        rows += [
            [m.method, _amount(m.expected), _amount(m.server_expected), _amount(m.counted)]
            for m in doc.methods
        ]
    else:
        rows = [["Method", "Expected", "Counted", "Difference"]]
        rows += [
            [
                m.method,
                _amount(m.expected),
                _amount(m.counted),
                _amount(_minus(m.counted, m.expected)),
            ]
            for m in doc.methods
        ]
    story.append(shaded_table(rows, [30 * mm, 45 * mm, 45 * mm, 45 * mm]))
    takings = [m for m in doc.methods if m.sales is not None or m.refunds is not None]
    if takings:
        story.append(Spacer(1, 3 * mm))
        rows = [["Method", "Sales", "Refunds", "Net"]]
        rows += [
            [m.method, _amount(m.sales), _amount(m.refunds), _amount(_minus(m.sales, m.refunds))]
            for m in takings
        ]
        story.append(shaded_table(rows, [30 * mm, 45 * mm, 45 * mm, 45 * mm]))
    story.append(Spacer(1, 3 * mm))
    story.append(p(f"Difference: {_amount(doc.difference)} {doc.currency}"))
    if doc.server_figures:
        story.append(p(f"Difference by the server's figures: {_amount(doc.server_difference)}"))
    if doc.approved_by:
        story.append(p(f"Difference approved by: {doc.approved_by}"))
    for note in doc.notes:
        story.append(p(f"Note: {note}"))
    story += [p("Sales by event and ticket", "Heading2"), _sale_table(doc.sales, doc.currency)]
    story += [p("Refunds by event and ticket", "Heading2"), _sale_table(doc.refunds, doc.currency)]
    story.append(p("Drawer movements", "Heading2"))
    body = [["Time", "Kind", f"Amount ({doc.currency})", "Reason", "By"]]
    body += [[_when(m.at), m.kind, _amount(m.amount), m.reason, m.user] for m in doc.movements]
    story.append(shaded_table(body, [30 * mm, 24 * mm, 28 * mm, 52 * mm, 36 * mm], numeric={2}))
    pdf.build(story)
    return out.getvalue()
