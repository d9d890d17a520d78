"""Reading ticket-code keys (the public keys that verify codes, as a list and a keyring) and
the printable form of a booking's tickets."""

from __future__ import annotations

from typing import Any

from enturf_core.money import Money
from enturf_core.ticket_codes import PublicKeyInfo, keyring_of
from enturf_core.ticket_pdf import Place, TicketDocument, line_reference
from enturf_core.wire import feed
from enturf_server.accounts.device_selectors import ticket_key_devices
from enturf_server.accounts.models import SiteSettings
from enturf_server.catalog.local_time import local, venue_zone
from enturf_server.sales.models import Booking, BookingLine, LineState
from enturf_server.ticketing.keys import server_signing_key
from enturf_server.ticketing.models import ServerSigningKey

SERVER_OWNER = "server"


def device_owner(device_id: int) -> str:
    return f"device:{device_id}"


def server_key_data(row: ServerSigningKey) -> dict[str, Any]:
    """A server key in the shape of the `ticket_key` sync entity (as devices' keys, plus
    `owner`)."""
    return feed.TicketKey(
        key_id=row.key_id,
        public_key=row.public_key,
        owner=SERVER_OWNER,
        retired_at=row.retired_at,
    ).to_wire()


def public_keys() -> list[dict[str, Any]]:
    """Every key that verifies ticket codes: the server's (current and earlier ones) and
    every registered device's, retired ones included (they verify codes issued before
    `retired_at`). Items: `{key_id, public_key, owner, retired_at}` (ISO 8601 or None).
    """
    keys: list[dict[str, Any]] = []
    server_rows = list(ServerSigningKey.objects.order_by("created_at", "id"))
    current = server_signing_key()
    for row in server_rows:
        keys.append(_item(row.key_id, row.public_key, SERVER_OWNER, row.retired_at))
    if current.key_id not in {row.key_id for row in server_rows}:
        # configured but not used yet: verifiers may fetch it before the first code
        keys.append(_item(current.key_id, current.public_key_base64(), SERVER_OWNER, None))
    for device in ticket_key_devices():
        keys.append(
            _item(
                device.signing_key_id,
                device.signing_public_key,
                device_owner(device.pk),
                device.retired_at,
            )
        )
    return keys


def _item(key_id: str, public_key: str, owner: str, retired_at) -> dict[str, Any]:
    return {
        "key_id": key_id,
        "public_key": public_key,
        "owner": owner,
        "retired_at": retired_at.isoformat() if retired_at else None,
    }


def keyring() -> tuple[dict[str, PublicKeyInfo], dict[str, str]]:
    """`(keyring for enturf_core.ticket_codes.verify, owner by key id)`."""
    infos: list[PublicKeyInfo] = []
    owners: dict[str, str] = {}
    for server in ServerSigningKey.objects.all():
        infos.append(PublicKeyInfo.from_base64(server.public_key, server.retired_at))
        owners[server.key_id] = SERVER_OWNER
    current = server_signing_key()
    if current.key_id not in owners:
        infos.append(current.public_info())
        owners[current.key_id] = SERVER_OWNER
    for device in ticket_key_devices():
        infos.append(PublicKeyInfo.from_base64(device.signing_public_key, device.retired_at))
        owners[device.signing_key_id] = device_owner(device.pk)
    return keyring_of(*infos), owners


# -- printable tickets -------------------------------------------------------------------------


def ticket_place(line: BookingLine) -> Place:
    if line.seat_id is not None:
        seat = line.seat
        return Place(section=seat.row.section.name, row=seat.row.label, seat=seat.label)
    return Place(area=line.area.name)


def place_of(line: BookingLine) -> list[tuple[str, str]]:
    """The place in the words of the verify answer: section, row and seat, or the area."""
    place = ticket_place(line)
    if place.is_seat:
        return [("Section", place.section), ("Row", place.row), ("Seat", place.seat)]
    return [("Area", place.area), ("Entry", "General admission")]


def holder_of(booking: Booking) -> str:
    """The name a booking's tickets carry: its buyer's, else its owner's."""
    if booking.buyer_name or booking.owner is None:
        return booking.buyer_name
    return booking.owner.get_full_name() or booking.owner.username


def printable_lines(*, booking: Booking) -> list[BookingLine]:
    """The booking's valid lines with a code, in seat-map order (GA places last)."""
    lines = (
        BookingLine.objects.filter(booking=booking, state=LineState.VALID)
        .exclude(ticket_code="")
        .select_related("ticket", "seat__row__section", "area")
    )

    def order(line: BookingLine) -> tuple:
        if line.seat_id is not None:
            row = line.seat.row
            return (0, row.section.position, row.position, line.seat.position, "", str(line.pk))
        return (1, 0, 0, 0, line.area.name, str(line.pk))

    return sorted(lines, key=order)


def ticket_documents(*, booking: Booking) -> list[TicketDocument]:
    """What the print-at-home PDF shows for each valid, signed line of `booking` (the
    same as a counter prints: `enturf_core.ticket_pdf`)."""
    event = booking.event
    venue = event.seat_map.venue
    starts = local(event.starts_at, venue_zone(venue))
    issuer = SiteSettings.load().seller_name
    holder = holder_of(booking)
    return [
        TicketDocument(
            event_name=event.name,
            starts_at=starts,
            venue_name=venue.name,
            place=ticket_place(line),
            ticket_name=line.ticket.name,
            price=Money(line.price, booking.currency),
            booking_code=booking.code,
            code=line.ticket_code,
            issuer=issuer,
            holder=holder,
            reference=line_reference(booking.code, line.pk),
        )
        for line in printable_lines(booking=booking)
    ]


def reprint_data(*, booking: Booking, line_ids: list | None) -> dict[str, Any]:
    """A booking's valid, signed tickets as a counter prints them (`POST
    bookings/{id}/tickets/reprint/`): the booking with the name its tickets carry, the
    event with its venue's time zone, and per line the place, ticket, price and signed
    code."""
    event = booking.event
    venue = event.seat_map.venue
    wanted = {str(i) for i in line_ids} if line_ids is not None else None
    tickets = []
    for line in printable_lines(booking=booking):
        if wanted is not None and str(line.pk) not in wanted:
            continue
        at = ticket_place(line)
        if at.is_seat:
            place = {"section": at.section, "row": at.row, "seat": at.seat}
        else:
            place = {"area": at.area}
        tickets.append(
            {
                "line": str(line.pk),
                "ticket": line.ticket_id,
                "ticket_name": line.ticket.name,
                "place": place,
                "price": str(line.price),
                "ticket_code": line.ticket_code,
            }
        )
    return {
        "booking": {
            "id": str(booking.pk),
            "code": booking.code,
            "currency": booking.currency,
            "holder": holder_of(booking),
        },
        "event": {
            "id": event.pk,
            "name": event.name,
            "starts_at": event.starts_at.astimezone(venue_zone(venue)).isoformat(),
            "venue": venue.name,
            "timezone": venue.timezone,
        },
        "issuer": SiteSettings.load().seller_name,
        "tickets": tickets,
    }
