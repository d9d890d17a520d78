"""The counter's X / Z report as a PDF: A4, drawn by the renderer the server uses
(`enturf_core.z_report_pdf`), or on the 80 mm roll (`shift_report_roll`); the counter's
own figures only."""

from __future__ import annotations

import uuid
from enum import StrEnum

from enturf_core.wording import plural
from enturf_core.z_report_pdf import (
    MethodRow,
    MovementRow,
    SaleRow,
    ZReportDocument,
    render_z_report,
)
from enturf_pos.models import Device, SiteSettings
from enturf_pos.services import people, venue_time
from enturf_pos.services.printing import drawer_log
from enturf_pos.services.printing.drawer_log import DrawerReason
from enturf_pos.services.printing.shift_report_roll import render_z_report_roll
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.shifts import shift_service
from enturf_pos.services.shifts.shift_records import METHODS, ReportRow, ShiftReport


def _rows(rows: list[ReportRow]) -> list[SaleRow]:
    return [SaleRow(r.event, r.ticket, r.count, r.amount.amount) for r in rows]


def report_document(*, ctx: PosContext, report: ShiftReport) -> ZReportDocument:
    """A closed shift prints as its Z report (as sent to the server); an open one as an
    X report of the figures so far."""
    with ctx.db.transaction() as session:
        settings = session.get(SiteSettings, 1)
        device = session.get(Device, 1)
        seller = str((settings.data if settings else {}).get("seller_name") or "")
        counter = device.name if device is not None else "This counter"
        shift = report.shift
        names = people.display_names(
            session, [shift.cashier, shift.approved_by, *(m.user for m in report.movements)]
        )
    closed = not shift.is_open
    float_row = MovementRow(
        kind="Float",
        amount=shift.opening_float.amount,
        reason="opening float",
        at=venue_time.local(shift.opened_at),
        user=names[shift.cashier],
    )
    return ZReportDocument(
        title="Z report" if closed else "X report (shift still open)",
        seller=seller,
        counter=counter,
        cashier=names[shift.cashier],
        opened_at=venue_time.local(shift.opened_at),
        closed_at=venue_time.local(shift.closed_at) if shift.closed_at else None,
        currency=report.currency,
        opening_float=shift.opening_float.amount,
        methods=[
            MethodRow(
                method=m,
                expected=report.expected[m].amount,
                server_expected=None,
                counted=report.counted[m].amount if m in report.counted else None,
                sales=getattr(report.figures, f"{m}_sales").amount,
                refunds=getattr(report.figures, f"{m}_refunds").amount,
            )
            for m in METHODS
        ],
        difference=shift.difference.amount if shift.difference is not None else None,
        server_difference=None,
        sales=_rows(report.sales),
        refunds=_rows(report.refunds),
        movements=[float_row]
        + [
            MovementRow(m.label, m.amount.amount, m.reason, venue_time.local(m.at), names[m.user])
            for m in report.movements
        ],
        approved_by=names[shift.approved_by],
        notes=_notes(report) + _drawer_notes(ctx, report),
        server_figures=False,
    )


def _notes(report: ShiftReport) -> list[str]:
    f = report.figures
    notes = [
        f"Cash expected = float {f.opening_float.format()} + cash in {f.cash_in.format()} "
        f"- cash out {f.cash_out.format()} + cash sales {f.cash_sales.format()} "
        f"- cash refunds {f.cash_refunds.format()}.",
        f"Card expected = card sales {f.card_sales.format()} (the terminal's total); "
        f"card refunds {f.card_refunds.format()} went back through the gateway, not the "
        "terminal.",
        f"{plural(report.sales_count, 'sale')}, {plural(report.refunds_count, 'refund')}.",
    ]
    if report.shift.is_open:
        at = venue_time.text(report.until, venue_time.ISO_MINUTES)
        notes.append(f"Figures at {at}; the shift is open.")
    return notes


def _drawer_notes(ctx: PosContext, report: ShiftReport) -> list[str]:
    """The drawer opened without a sale in this shift (the drawer log), for the audit."""
    opened = [
        row
        for row in drawer_log.openings(ctx=ctx, shift_id=report.shift.id)
        if row.reason == DrawerReason.NO_SALE and row.outcome == "printed"
    ]
    if not opened:
        return []
    by = sorted({row.approved_by for row in opened if row.approved_by})
    approved = f" (approved by {', '.join(by)})" if by else ""
    return [f"Drawer opened without a sale: {plural(len(opened), 'time')}{approved}."]


class ReportPaper(StrEnum):
    A4 = "a4"  # the same layout as the server's
    ROLL = "roll"  # the 80 mm receipt roll


def render_shift_report(
    *, ctx: PosContext, shift_id: uuid.UUID | None = None, paper: ReportPaper = ReportPaper.A4
) -> bytes | None:
    """The PDF of the open shift (X) or of `shift_id` (Z once closed); None without one."""
    report = shift_service.shift_report(ctx=ctx, shift_id=shift_id)
    if report is None:
        return None
    document = report_document(ctx=ctx, report=report)
    if paper == ReportPaper.ROLL:
        return render_z_report_roll(document)
    return render_z_report(document)
