"""Signing ticket codes with the server's key (`sign_lines` runs when a booking becomes
paid: `TicketingConfig.ready()` registers it with `billing.services.documents`)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from enturf_core.ticket_codes import SigningKey, TicketPayload, sign
from enturf_core.wire import feed
from enturf_server.api.errors import Conflict
from enturf_server.audit.services import record
from enturf_server.sales.models import Booking, BookingLine, BookingState, LineState
from enturf_server.sales.selectors import effective_state
from enturf_server.sync import changes
from enturf_server.ticketing.keys import server_signing_key
from enturf_server.ticketing.models import ServerSigningKey
from enturf_server.ticketing.selectors import reprint_data, server_key_data

SIGNABLE_STATES = (BookingState.PAID, BookingState.PARTIALLY_REFUNDED)


class SigningRefused(Conflict):
    code = "signing_refused"


def _emit_key(row: ServerSigningKey) -> None:
    changes.emit(
        feed.TICKET_KEY,
        row.key_id,
        version=2 if row.retired_at else 1,
        data=server_key_data(row),
    )


def ensure_server_key() -> SigningKey:
    """The configured signing key, recorded (and synced as a `ticket_key`) on first use.

    A previously recorded server key that is no longer configured is retired now: it
    keeps verifying the codes it signed before.
    """
    key = server_signing_key()
    if ServerSigningKey.objects.filter(key_id=key.key_id, retired_at__isnull=True).exists():
        return key
    with changes.atomic():
        row, created = ServerSigningKey.objects.get_or_create(
            key_id=key.key_id, defaults={"public_key": key.public_key_base64()}
        )
        if row.retired_at is not None:
            raise SigningRefused(
                f"The configured ticket-signing key {key.key_id} was retired on "
                f"{row.retired_at:%Y-%m-%d %H:%M}; configure a new key (ENTURF_SIGNING_KEY "
                "or a fresh signing_key file).",
                code="signing_key_retired",
            )
        if created:
            _emit_key(row)
        now = timezone.now()
        for old in (
            ServerSigningKey.objects.select_for_update()
            .filter(retired_at__isnull=True)
            .exclude(pk=row.pk)
        ):
            old.retired_at = now
            old.save(update_fields=["retired_at"])
            _emit_key(old)
    return key


def sign_lines(*, booking: Booking) -> None:
    """Give every valid line of `booking` without a code a code signed by the server.

    Call in the transaction that marks the booking paid (after setting `booking.state`).
    Lines that already have a code (e.g. signed offline by a counter) keep it.
    """
    if booking.state not in SIGNABLE_STATES:
        raise SigningRefused(
            f"Booking {booking.code} is {booking.state}; tickets are signed once it is paid.",
            details={"state": booking.state},
        )
    with transaction.atomic():
        key = ensure_server_key()
        lines = list(
            BookingLine.objects.select_for_update()
            .filter(booking_id=booking.pk, state=LineState.VALID, ticket_code="")
            .order_by("pk")
        )
        if not lines:
            return
        now = timezone.now()
        for line in lines:
            line.ticket_code = sign(
                TicketPayload(
                    line_id=line.pk,
                    event_id=booking.event_id,
                    seat_id=line.seat_id,
                    area_id=line.area_id,
                    issued_at=now,
                ),
                key,
            )
        BookingLine.objects.bulk_update(lines, ["ticket_code"])


def check_printable(booking: Booking) -> None:
    """Tickets are printed for paid bookings only (409 `booking_not_paid`)."""
    state = effective_state(booking)
    if state not in SIGNABLE_STATES:
        raise Conflict(
            f"Booking {booking.code} is {BookingState(state).label.lower()}; tickets can "
            "be printed once it is paid.",
            code="booking_not_paid",
            details={"state": state},
        )


def reprint_tickets(*, booking: Booking, line_ids: list | None, actor, device) -> dict:
    """The signed tickets of a paid booking for a counter to print again as COPY (web
    bookings and other counters' sales too), recorded in the audit log
    (`tickets.reprint`). `line_ids` chooses valid lines; None: every valid line."""
    check_printable(booking)
    with transaction.atomic():
        sign_lines(booking=booking)  # a paid line without a code gets one now
        data = reprint_data(booking=booking, line_ids=line_ids)
        if not data["tickets"]:
            raise Conflict(
                f"Booking {booking.code} has no valid tickets to print.",
                code="no_valid_tickets",
            )
        record(
            actor=actor,
            action="tickets.reprint",
            obj=booking,
            device=device,
            details={
                "code": booking.code,
                "lines": [t["line"] for t in data["tickets"]],
                "count": len(data["tickets"]),
            },
        )
    return data
