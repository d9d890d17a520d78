"""The X / Z report on the counter's 80 mm receipt roll, as long as its content.

Same content as the A4 report (`enturf_core.z_report_pdf.ZReportDocument`), laid out with
the receipt's block layout (`printing.receipt_pdf`): measured first, then drawn, so the
roll is cut right after the last line.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from reportlab.lib.units import mm

from enturf_core.z_report_pdf import SaleRow, ZReportDocument
from enturf_pos.services.printing.pdf_parts import MUTED
from enturf_pos.services.printing.receipt_pdf import BOLD, RollLayout


def _amount(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _when(value: datetime | None) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M")


def _rows(layout: RollLayout, title: str, rows: list[SaleRow]) -> None:
    layout.text(title, size=9, font=BOLD)
    for row in rows:
        layout.pair(f"{row.event} · {row.ticket}", f"{row.count} x {_amount(row.amount)}")
    if not rows:
        layout.text("none", size=8, color=MUTED)
    layout.rule(dashed=True)


def _layout(doc: ZReportDocument) -> RollLayout:
    layout = RollLayout()
    layout.space(4 * mm)
    layout.text(doc.title.upper(), size=12, font=BOLD, align="center")
    if doc.seller:
        layout.text(doc.seller, size=8, align="center")
    layout.text(doc.counter, size=8, align="center", color=MUTED)
    layout.rule()
    layout.pair("Cashier", doc.cashier)
    layout.pair("Opened", _when(doc.opened_at))
    layout.pair("Closed", _when(doc.closed_at))
    layout.pair(f"Opening float ({doc.currency})", _amount(doc.opening_float))
    layout.rule(dashed=True)
    for method in doc.methods:
        name = method.method.title()
        if method.sales is not None:
            layout.pair(f"{name} sales", _amount(method.sales))
        if method.refunds is not None:
            layout.pair(f"{name} refunds", _amount(method.refunds))
        layout.pair(f"{name} expected", _amount(method.expected), font=BOLD)
        if method.counted is not None:
            layout.pair(f"{name} counted", _amount(method.counted))
            if method.expected is not None:
                layout.pair(f"{name} difference", _amount(method.counted - method.expected))
    layout.rule()
    layout.pair(f"DIFFERENCE ({doc.currency})", _amount(doc.difference), size=11, font=BOLD)
    if doc.approved_by:
        layout.pair("Approved by", doc.approved_by)
    for note in doc.notes:
        layout.text(note, size=7, color=MUTED)
    layout.rule(dashed=True)
    _rows(layout, "Sales by event and ticket", doc.sales)
    _rows(layout, "Refunds by event and ticket", doc.refunds)
    layout.text("Drawer movements", size=9, font=BOLD)
    for movement in doc.movements:
        layout.pair(f"{movement.at:%H:%M} {movement.kind}", _amount(movement.amount))
        if movement.reason:
            layout.text(f"{movement.reason} ({movement.user})", size=7, color=MUTED)
    layout.space(6 * mm)
    return layout


def render_z_report_roll(doc: ZReportDocument) -> bytes:
    """The report as a one-page PDF, 80 mm wide and as tall as its content."""
    return _layout(doc).render(title=f"{doc.title} {doc.counter}")
