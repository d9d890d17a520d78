"""Checking a scanned ticket code on the server: signature, then the line it names.

A code is valid when its signature verifies with a known key (a retired key only for
codes issued before its retirement), its line exists and matches every claim (event,
seat or area), it is the code currently on record for that line (a reissued line's older
codes no longer count), the booking is paid (or partially refunded) and the line itself
is valid. An invalid ticket is an answer (`valid: false` with a reason), not an error.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from enturf_core.ticket_codes import (
    InvalidTicketCode,
    PublicKeyInfo,
    TicketClaims,
    claimed_line_id,
    verify,
)
from enturf_server.sales.models import BookingLine, BookingState, LineState
from enturf_server.ticketing.selectors import keyring, place_of

# reasons beyond enturf_core's signature reasons (malformed, unknown_key, bad_signature,
# key_retired, unsupported_version)
UNKNOWN_LINE = "unknown_line"
CLAIMS_MISMATCH = "claims_mismatch"
SUPERSEDED = "superseded"
NOT_PAID = "not_paid"
REFUNDED = "refunded"
CANCELLED = "cancelled"

LINE_RELATED = ("booking__event", "ticket", "seat__row__section", "area")
_BOOKING_REASONS = {
    BookingState.PENDING: NOT_PAID,
    BookingState.EXPIRED: NOT_PAID,
    BookingState.REFUNDED: REFUNDED,
    BookingState.CANCELLED: CANCELLED,
}
_LINE_REASONS = {LineState.REFUNDED: REFUNDED, LineState.CANCELLED: CANCELLED}
_MESSAGES = {
    UNKNOWN_LINE: "The ticket's booking line does not exist.",
    CLAIMS_MISMATCH: "The code does not match the ticket on record (event, seat or area).",
    SUPERSEDED: "This code was replaced by a newer one for the same ticket.",
    NOT_PAID: "The booking is not paid.",
    REFUNDED: "The ticket was refunded.",
    CANCELLED: "The ticket was cancelled.",
}


@dataclass(frozen=True)
class Verification:
    valid: bool
    reason: str | None = None
    message: str = ""
    line: BookingLine | None = None
    signed_by: str | None = None
    claims: TicketClaims | None = None  # the code's, once its signature verified

    def line_data(self) -> dict[str, Any] | None:
        return line_summary(self.line) if self.line is not None else None


def line_summary(line: BookingLine) -> dict[str, Any]:
    booking = line.booking
    event = booking.event
    seat = area = None
    if line.seat_id is not None:
        seat = {
            "id": line.seat_id,
            "section": line.seat.row.section.name,
            "row": line.seat.row.label,
            "label": line.seat.label,
        }
    else:
        area = {"id": line.area_id, "name": line.area.name}
    return {
        "id": str(line.pk),
        "booking": booking.code,
        "booking_id": str(booking.pk),
        "booking_state": booking.state,
        "event": {"id": event.pk, "name": event.name, "starts_at": event.starts_at.isoformat()},
        "seat": seat,
        "area": area,
        "place": " / ".join(f"{k} {v}" for k, v in place_of(line)),
        "ticket": {"id": line.ticket_id, "name": line.ticket.name},
        "state": line.state,
    }


def _refused(
    reason: str, line: BookingLine | None = None, signed_by=None, claims=None
) -> Verification:
    return Verification(False, reason, _MESSAGES[reason], line, signed_by, claims)


def _matches(claims: TicketClaims, line: BookingLine) -> bool:
    def same(claim, value) -> bool:
        return (claim is None and value is None) or (
            claim is not None and value is not None and str(claim) == str(value)
        )

    return (
        same(claims.event_id, line.booking.event_id)
        and same(claims.seat_id, line.seat_id)
        and same(claims.area_id, line.area_id)
    )


def verify_ticket(
    *,
    code: str,
    ring: tuple[Mapping[str, PublicKeyInfo], Mapping[str, str]] | None = None,
    lines: Mapping[uuid.UUID, BookingLine] | None = None,
) -> Verification:
    """For many codes at once (a push of door scans): `ring` is `selectors.keyring()` read
    once, `lines` the lines they name read in one query (with `LINE_RELATED`, or at least
    the booking and ticket). A code that is, byte for byte, the one on record for the
    line it names had its signature verified (or made) when it was recorded: that
    arithmetic is not done again (its key and retirement are checked as always)."""
    ring, owners = ring if ring is not None else keyring()
    on_record = False
    if lines is not None and (named := claimed_line_id(code)) is not None:
        line = lines.get(named)
        on_record = line is not None and bool(line.ticket_code) and line.ticket_code == code
    try:
        claims = verify(code, ring, signature_verified=on_record)
    except InvalidTicketCode as exc:
        return Verification(False, exc.reason.value, exc.message)
    signed_by = owners.get(claims.key_id)
    try:
        line_id = uuid.UUID(str(claims.line_id))
    except ValueError:
        return _refused(UNKNOWN_LINE, signed_by=signed_by, claims=claims)
    if lines is not None:
        line = lines.get(line_id)
    else:
        line = BookingLine.objects.select_related(*LINE_RELATED).filter(pk=line_id).first()
    if line is None:
        return _refused(UNKNOWN_LINE, signed_by=signed_by, claims=claims)
    if not _matches(claims, line):
        return _refused(CLAIMS_MISMATCH, line, signed_by, claims)
    if line.ticket_code != code:
        return _refused(SUPERSEDED, line, signed_by, claims)
    if reason := _LINE_REASONS.get(line.state):
        return _refused(reason, line, signed_by, claims)
    if reason := _BOOKING_REASONS.get(line.booking.state):
        return _refused(reason, line, signed_by, claims)
    return Verification(True, None, "Valid ticket.", line, signed_by, claims)
