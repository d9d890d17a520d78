"""Paid bookings for the invoicing and ticketing tests, made through the sales service.

`mark_paid` does what billing does in its payment transaction: set the booking paid, then
issue the invoice and sign the lines, all in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone


@dataclass
class FakeRefund:
    """Duck-typed like billing's Refund: `.id`, `.booking`, `.lines`, `.amount`, `.method`."""

    id: str
    booking: object
    amount: Decimal
    method: str = "card"
    refunded: list = field(default_factory=list)

    @property
    def lines(self):
        from enturf_server.sales.models import BookingLine

        return BookingLine.objects.filter(pk__in=[line.pk for line in self.refunded])


def book(setup, actor, *, seats: int = 2, premium: int = 0, floor: int = 0, **buyer):
    """A pending booking of `seats` standard seats, `premium` premium seats and `floor` GA
    places of the `sales_setup` event."""
    from enturf_server.sales.services import LineRequest, create_booking

    lines = [
        LineRequest(ticket=setup.tickets["standard"].pk, seat=s)
        for s in setup.seats_by_category["standard"][:seats]
    ]
    lines += [
        LineRequest(ticket=setup.tickets["premium"].pk, seat=s)
        for s in setup.seats_by_category["premium"][:premium]
    ]
    if floor:
        lines.append(LineRequest(ticket=setup.tickets["floor"].pk, quantity=floor))
    booking, _created = create_booking(actor=actor, event=setup.event, lines=lines, **buyer)
    return booking


def mark_paid(booking, *, sign: bool = True):
    from enturf_server.invoicing.services import issue_invoice
    from enturf_server.sales.models import BookingState
    from enturf_server.ticketing.services import sign_lines

    with transaction.atomic():
        booking.state = BookingState.PAID
        booking.paid_at = timezone.now()
        booking.save(update_fields=["state", "paid_at"])
        invoice = issue_invoice(booking=booking)
        if sign:
            sign_lines(booking=booking)
    return invoice
