"""The Z report's printable content from a stored shift (the PDF itself is in `pdf`)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from enturf_core.z_report_pdf import MethodRow, MovementRow, SaleRow, ZReportDocument
from enturf_server.accounts.models import SiteSettings
from enturf_server.catalog.local_time import house_zone
from enturf_server.shifts.figures import METHODS, server_figures
from enturf_server.shifts.models import Shift, ShiftState


def _rows(rows) -> list[SaleRow]:
    return [
        SaleRow(
            event=str(r.get("event", "")),
            ticket=str(r.get("ticket", "")),
            count=int(r.get("count", 0)),
            amount=Decimal(str(r.get("amount", "0"))),
        )
        for r in rows or []
        if isinstance(r, dict)
    ]


def _person(user) -> str:
    """A person as the report names them: their display name, else their username."""
    return (user.get_full_name() or user.username) if user is not None else ""


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _takings(counter: dict, server: dict) -> dict[str, dict[str, Decimal | None]]:
    """Sales and refunds per method: the counter's drawer figures when it sent them, else
    the server's own."""
    drawer = counter.get("drawer") or {}
    if any(f"{m}_sales" in drawer for m in METHODS):
        return {
            m: {
                "sales": _dec(drawer.get(f"{m}_sales")),
                "refunds": _dec(drawer.get(f"{m}_refunds")),
            }
            for m in METHODS
        }
    return {m: {k: _dec(v) for k, v in t.items()} for m, t in (server.get("takings") or {}).items()}


def z_report_document(shift: Shift) -> ZReportDocument:
    """A closed shift prints as stored; an open one as an X report of the server's figures."""
    tz = house_zone()
    closed = shift.state == ShiftState.CLOSED
    if closed:
        counter = shift.z_report.get("counter", {})
        server = shift.z_report.get("server", {})
        counter_expected = counter.get("expected", {})
        server_expected = server.get("expected", {})
        sales = _rows(counter.get("sales")) if "sales" in counter else _rows(server.get("sales"))
        refunds = (
            _rows(counter.get("refunds")) if "refunds" in counter else _rows(server.get("refunds"))
        )
        notes = list(server.get("notes", []))
        takings = _takings(counter, server)
    else:
        figures = server_figures(shift=shift, until=timezone.now()).as_json()
        counter_expected, server_expected = {}, figures["expected"]
        sales, refunds, notes = _rows(figures["sales"]), _rows(figures["refunds"]), []
        takings = _takings({}, figures)
    methods = [m for m in METHODS if m in counter_expected or m in server_expected]
    return ZReportDocument(
        title="Z report" if closed else "X report (shift still open)",
        seller=SiteSettings.load().seller_name,
        counter=shift.device.name if shift.device else "(deleted counter)",
        cashier=_person(shift.cashier),
        opened_at=shift.opened_at.astimezone(tz),
        closed_at=shift.closed_at.astimezone(tz) if shift.closed_at else None,
        currency=shift.currency,
        opening_float=shift.opening_float,
        methods=[
            MethodRow(
                method=m,
                expected=_dec(counter_expected.get(m)),
                server_expected=_dec(server_expected.get(m)),
                counted=_dec(shift.counted.get(m)),
                sales=takings.get(m, {}).get("sales"),
                refunds=takings.get(m, {}).get("refunds"),
            )
            for m in methods
        ],
        difference=shift.difference,
        server_difference=shift.server_difference,
        sales=sales,
        refunds=refunds,
        movements=[
            MovementRow(
                kind=m.get_kind_display(),
                amount=m.amount,
                reason=m.reason,
                at=m.at.astimezone(tz),
                user=_person(m.user),
            )
            for m in shift.movements.all()
        ],
        approved_by=_person(shift.approved_by),
        notes=notes,
    )
