"""The refund slip: printed on the 80 mm roll after a refund at the counter, like the
receipt (`receipt_pdf.RollLayout`). It says which booking, which tickets were refunded,
how much went back and how (cash from the drawer, or to which card), when, at which
counter and by whom. Read from the local refund record (`local_refunds`) and the booking
as the lookup showed it; times in the venue's zone."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm
from sqlalchemy import select

from enturf_core.money import Money
from enturf_pos.models import Device, LocalRefund, LocalUser, SiteSettings
from enturf_pos.services import venue_time
from enturf_pos.services.printing.documents import Seller
from enturf_pos.services.printing.pdf_parts import MUTED
from enturf_pos.services.printing.receipt_pdf import BOLD, RollLayout, sign_off
from enturf_pos.services.sales.booking_records import BookingDetail
from enturf_pos.services.session.pos_context import PosContext


@dataclass(frozen=True, slots=True)
class SlipLine:
    event_name: str
    ticket_name: str
    place: str
    amount: Money


@dataclass(frozen=True, slots=True)
class SlipMoney:
    label: str  # "Cash given back", "Back to the card Visa ending 4242"
    amount: Money


@dataclass(frozen=True, slots=True)
class RefundSlipData:
    seller: Seller
    booking_code: str
    lines: tuple[SlipLine, ...]  # empty: the whole booking without line detail
    amount: Money
    back: tuple[SlipMoney, ...]
    refunded_at: datetime  # in the venue's time zone
    counter_name: str
    cashier_name: str
    reason: str = ""


class RefundNotFound(LookupError):
    """No local refund with that id."""


def refund_slip_for(
    ctx: PosContext, *, refund_id: uuid.UUID, booking: BookingDetail
) -> RefundSlipData:
    """The slip of a refund recorded at this counter (`booking`: the booking it refunded,
    for the places and the card). Raises RefundNotFound."""
    with ctx.db.transaction() as session:
        refund = session.get(LocalRefund, refund_id)
        if refund is None:
            raise RefundNotFound(f"No refund {refund_id} on this counter.")
        data = (session.get(SiteSettings, 1) or SiteSettings(data={})).data or {}
        device = session.get(Device, 1)
        user = session.scalar(select(LocalUser).where(LocalUser.username == refund.user))
        cur = refund.currency
        by_id = {str(line.id): line for line in booking.lines}
        lines = []
        for item in refund.lines or []:
            line = by_id.get(str(item.get("line")))
            amount = Money(str(item.get("amount") or (line.price.amount if line else "0")), cur)
            lines.append(
                SlipLine(
                    event_name=line.event_name if line else "",
                    ticket_name=line.ticket_name if line else "Ticket",
                    place=line.place if line else "",
                    amount=amount,
                )
            )
        card = next((p.label for p in booking.payments if p.method == "card"), "")
        back = tuple(
            SlipMoney(
                "Cash given back"
                if part.get("method") == "cash"
                else f"Back to the card {card}".rstrip(),
                Money(str(part.get("amount") or "0"), cur),
            )
            for part in refund.parts or []
        )
        return RefundSlipData(
            seller=Seller(
                name=str(data.get("seller_name") or ""),
                address=str(data.get("seller_address") or ""),
                vat_id=str(data.get("seller_vat_id") or ""),
            ),
            booking_code=refund.booking_code or booking.code,
            lines=tuple(lines),
            amount=Money(refund.amount, cur),
            back=back,
            refunded_at=venue_time.local(refund.created_at),
            counter_name=device.name if device else "",
            cashier_name=(user.display_name or user.username) if user else refund.user,
            reason=refund.reason,
        )


def _layout(slip: RefundSlipData) -> RollLayout:
    layout = RollLayout()
    layout.space(4 * mm)
    layout.text(slip.seller.name, size=12, font=BOLD, align="center")
    for line in slip.seller.address.splitlines():
        if line.strip():
            layout.text(line.strip(), size=7.5, align="center", color=MUTED)
    layout.space(1.5 * mm)
    layout.rule()
    layout.pair("REFUND", f"Booking {slip.booking_code}", size=9, font=BOLD)
    layout.rule(dashed=True)
    events = {line.event_name for line in slip.lines if line.event_name}
    if len(events) == 1:
        layout.text(events.pop(), size=10, font=BOLD)
    for line in slip.lines:
        layout.pair(line.ticket_name, line.amount.format(), size=8.5, font=BOLD)
        if line.place:
            layout.text(line.place, size=7.5, color=MUTED)
        layout.space(0.8 * mm)
    if not slip.lines:
        layout.text("The whole booking", size=8.5, font=BOLD)
    layout.rule(dashed=True)
    count = len(slip.lines)
    if count:
        layout.pair(f"{count} ticket{'s' if count != 1 else ''} refunded", "", size=8)
    layout.pair("REFUNDED", slip.amount.format(), size=13, font=BOLD)
    layout.space(1 * mm)
    for money in slip.back:
        layout.pair(money.label, money.amount.format(), size=8.5)
    if slip.reason:
        layout.text(f"Reason: {slip.reason}", size=7.5, color=MUTED)
    layout.rule()
    sign_off(
        layout,
        "The refunded tickets are no longer valid. Card refunds reach the card account "
        "within a few days.",
        slip.refunded_at,
        slip.counter_name,
        slip.cashier_name,
    )
    layout.space(6 * mm)
    return layout


def render_refund_slip(slip: RefundSlipData) -> bytes:
    """The slip as a one-page PDF, 80 mm wide and as tall as its content."""
    return _layout(slip).render(title=f"Refund {slip.booking_code}", author=slip.seller.name)
