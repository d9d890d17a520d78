"""The X / Z shift report on an ESC/POS receipt printer's roll, in the printer's own
text: the same content and order as the PDF roll (`shift_report_roll`), then a cut.

    writer = shift_report_writer(ctx=ctx, shift_id=shift_id)  # None: no such shift
    run_job(device, writer)
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from escpos.escpos import Escpos

from enturf_core.z_report_pdf import SaleRow, ZReportDocument
from enturf_pos.services.printing.escpos_device import Writer
from enturf_pos.services.printing.escpos_receipt import RollText
from enturf_pos.services.printing.shift_report_pdf import report_document
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.shifts import shift_service


def _amount(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _when(value: datetime | None) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M")


def _rows(roll: RollText, title: str, rows: list[SaleRow]) -> None:
    roll.line(title, bold=True)
    for row in rows:
        roll.pair(f"{row.event} · {row.ticket}", f"{row.count} x {_amount(row.amount)}")
    if not rows:
        roll.line("none")
    roll.rule()


def write_z_report(printer: Escpos, doc: ZReportDocument, *, width_dots: int = 576) -> None:
    roll = RollText(printer, width_dots)
    roll.start()
    roll.line(doc.title.upper(), align="center", bold=True)
    if doc.seller:
        roll.line(doc.seller, align="center")
    roll.line(doc.counter, align="center")
    roll.rule("=")
    roll.pair("Cashier", doc.cashier)
    roll.pair("Opened", _when(doc.opened_at))
    roll.pair("Closed", _when(doc.closed_at))
    roll.pair(f"Opening float ({doc.currency})", _amount(doc.opening_float))
    roll.rule()
    for method in doc.methods:
        name = method.method.title()
        if method.sales is not None:
            roll.pair(f"{name} sales", _amount(method.sales))
        if method.refunds is not None:
            roll.pair(f"{name} refunds", _amount(method.refunds))
        roll.pair(f"{name} expected", _amount(method.expected), bold=True)
        if method.counted is not None:
            roll.pair(f"{name} counted", _amount(method.counted))
            if method.expected is not None:
                roll.pair(f"{name} difference", _amount(method.counted - method.expected))
    roll.rule("=")
    roll.pair(f"DIFFERENCE ({doc.currency})", _amount(doc.difference), bold=True)
    if doc.approved_by:
        roll.pair("Approved by", doc.approved_by)
    for note in doc.notes:
        roll.line(note)
    roll.rule()
    _rows(roll, "Sales by event and ticket", doc.sales)
    _rows(roll, "Refunds by event and ticket", doc.refunds)
    roll.line("Drawer movements", bold=True)
    for movement in doc.movements:
        roll.pair(f"{movement.at:%H:%M} {movement.kind}", _amount(movement.amount))
        if movement.reason:
            roll.line(f"  {movement.reason} ({movement.user})")
    roll.end()


def z_report_writer(doc: ZReportDocument, *, width_dots: int = 576) -> Writer:
    return lambda printer: write_z_report(printer, doc, width_dots=width_dots)


def shift_report_writer(
    *, ctx: PosContext, shift_id: uuid.UUID | None = None, width_dots: int = 576
) -> Writer | None:
    """The open shift's X report (or `shift_id`'s Z report once closed); None without one."""
    report = shift_service.shift_report(ctx=ctx, shift_id=shift_id)
    if report is None:
        return None
    return z_report_writer(report_document(ctx=ctx, report=report), width_dots=width_dots)
