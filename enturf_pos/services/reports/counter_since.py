"""What this counter sold since a time (the figures' "as of"), read from its own sales
and refunds: offline, the server's figures are as old as their fetch, and these are
what has happened here since. Sales are counted by `LocalSale.created_at` (when they
were made here), whether or not the server has them yet."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from enturf_core.wire.model import WireError
from enturf_pos.models import Event, LocalRefund, LocalSale, OutboxOp, OutboxState, SiteSettings
from enturf_pos.services import venue_time
from enturf_pos.services.reports.report_tables import Column, Kind, ReportTable
from enturf_pos.services.session.pos_context import PosContext

DEFAULT_CURRENCY = "EUR"


@dataclass(frozen=True, slots=True)
class EventSold:
    event_id: int
    name: str
    tickets: int
    gross: Decimal
    tax: Decimal
    refunds: Decimal


@dataclass(frozen=True, slots=True)
class CounterSince:
    since: datetime | None  # None: everything this counter sold
    currency: str
    sales: int
    tickets: int
    gross: Decimal
    tax: Decimal
    refunds: Decimal
    unsent: int  # sales the server has not taken yet
    events: tuple[EventSold, ...]

    @property
    def net(self) -> Decimal:
        return self.gross - self.tax

    def table(self) -> ReportTable:
        """Per event, as a report table (for the tab and the exports)."""
        since = venue_time.text(self.since, venue_time.DATE_CLOCK) if self.since else "the start"
        return ReportTable(
            f"This counter since {since}",
            (
                Column("event", "Event"),
                Column("tickets", "Tickets", Kind.COUNT),
                Column("gross", "Gross", Kind.MONEY),
                Column("tax", "Tax", Kind.MONEY),
                Column("refunds", "Refunds", Kind.MONEY),
            ),
            tuple((e.name, e.tickets, e.gross, e.tax, e.refunds) for e in self.events),
            ("Total", self.tickets, self.gross, self.tax, self.refunds),
            self.currency,
        )


def site_currency(ctx: PosContext) -> str:
    with ctx.db.transaction() as session:
        row = session.get(SiteSettings, 1)
        data = dict(row.data) if row is not None and row.data else {}
    return str(data.get("currency") or DEFAULT_CURRENCY).upper()


def sold_since(
    ctx: PosContext,
    since: datetime | None,
    *,
    event_id: int | None = None,
    venue_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> CounterSince:
    """This counter's sales and refunds made after `since`, within the tab's filters
    (an event, a venue, days in the venue's zone)."""
    currency = site_currency(ctx)
    with ctx.db.transaction() as session:
        sale_query = select(LocalSale).order_by(LocalSale.created_at)
        refund_query = select(LocalRefund).order_by(LocalRefund.created_at)
        if since is not None:
            sale_query = sale_query.where(LocalSale.created_at > since)
            refund_query = refund_query.where(LocalRefund.created_at > since)
        sales = session.scalars(sale_query).all()
        refunds = session.scalars(refund_query).all()
        events = {e.id: (e.name, e.venue_id) for e in session.scalars(select(Event))}
        op_ids = [s.op_id for s in sales if s.op_id is not None]
        sent = set(
            session.scalars(
                select(OutboxOp.id).where(
                    OutboxOp.id.in_(op_ids), OutboxOp.state != OutboxState.PENDING
                )
            )
        )
        event_of_booking = {
            s.id: s.event_id
            for s in session.scalars(
                select(LocalSale).where(LocalSale.id.in_([r.booking_id for r in refunds]))
            )
        }

    def wanted(event: int | None, at: datetime) -> bool:
        if event_id is not None and event != event_id:
            return False
        if venue_id is not None and events.get(event or 0, ("", None))[1] != venue_id:
            return False
        day = venue_time.local(at).date()
        if date_from is not None and day < date_from:
            return False
        return date_to is None or day <= date_to

    per_event: dict[int, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0), Decimal(0)])
    counted = unsent = 0
    for row in sales:
        if not wanted(row.event_id, row.created_at):
            continue
        try:
            sale = row.sale
        except WireError:
            continue
        counted += 1
        unsent += row.op_id not in sent
        figures = per_event[sale.booking.event]
        figures[0] += len(sale.lines)
        figures[1] += sum((line.price for line in sale.lines), Decimal(0))
        figures[2] += sum((line.tax_amount for line in sale.lines), Decimal(0))
    for refund in refunds:
        event = event_of_booking.get(refund.booking_id)
        if event is None:
            event = next((x.get("event") for x in refund.lines or () if x.get("event")), None)
        if not wanted(event, refund.created_at):
            continue
        per_event[event or 0][3] += refund.amount
    rows = tuple(
        EventSold(k, events.get(k, (f"Event {k}" if k else "Unknown event", None))[0], *v)
        for k, v in sorted(per_event.items(), key=lambda kv: events.get(kv[0], ("",))[0])
    )
    return CounterSince(
        since,
        currency,
        counted,
        sum(e.tickets for e in rows),
        sum((e.gross for e in rows), Decimal(0)),
        sum((e.tax for e in rows), Decimal(0)),
        sum((e.refunds for e in rows), Decimal(0)),
        unsent,
        rows,
    )
