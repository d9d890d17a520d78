"""Tickets of any paid booking printed again at the counter, marked COPY.

The server signs (web bookings) or holds (other counters' sales) the tickets' codes, so
they come from it: `POST /api/v1/bookings/{id}/tickets/reprint/` answers the booking's
valid tickets with their signed codes and records the reprint in its audit log
(`tickets.reprint`, with this counter). The window prints them through the print
controller, whose log records the local print (copy). A sale of this counter that has not
reached the server yet is reprinted from the local record instead (`tickets_for_sale`).

For a worker thread: answers a result, never raises for a network or server problem.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from enturf_core.money import Money
from enturf_pos.services.printing.documents import Place, TicketData
from enturf_pos.services.sales.booking_lookup import BOOKINGS
from enturf_pos.services.session.api_client import ApiError, ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext

NEEDS_SERVER = (
    "The tickets of a booking made elsewhere come from the server, which cannot be reached "
    "right now. Try again when the counter is online."
)


@dataclass(frozen=True, slots=True)
class ReprintResult:
    ok: bool
    message: str
    tickets: tuple[TicketData, ...] = ()
    code: str = ""  # the booking's code


def _place(data: dict) -> Place:
    if data.get("area"):
        return Place(area=str(data["area"]))
    return Place(
        section=str(data.get("section") or ""),
        row=str(data.get("row") or ""),
        seat=str(data.get("seat") or ""),
    )


def server_tickets(
    *, ctx: PosContext, booking_id: uuid.UUID, line_ids: Sequence[uuid.UUID] | None = None
) -> ReprintResult:
    """The booking's valid tickets from the server, as COPY tickets to print."""
    client = ctx.user_client()
    if client is None:
        return ReprintResult(False, NEEDS_SERVER)
    body = {"lines": [str(i) for i in line_ids]} if line_ids is not None else {}
    try:
        answer = client.post(f"{BOOKINGS}{booking_id}/tickets/reprint/", body)
    except ServerUnreachable:
        return ReprintResult(False, NEEDS_SERVER)
    except ApiError as exc:
        return ReprintResult(False, f"The server did not give the tickets: {exc.message}")
    finally:
        client.close()
    booking, event = answer["booking"], answer["event"]
    currency = str(booking.get("currency") or "EUR")
    starts = datetime.fromisoformat(str(event["starts_at"]))  # in the venue's zone
    code = str(booking["code"])
    tickets = tuple(
        TicketData(
            event_name=str(event["name"]),
            starts_at=starts,
            venue_name=str(event.get("venue") or ""),
            place=_place(t.get("place") or {}),
            ticket_name=str(t.get("ticket_name") or ""),
            price=Money(str(t["price"]), currency),
            booking_code=code,
            code=str(t["ticket_code"]),
            issuer=str(answer.get("issuer") or ""),
            reference=f"{code}-{n}",
            copy=True,
        )
        for n, t in enumerate(answer.get("tickets") or [], 1)
    )
    count = len(tickets)
    return ReprintResult(
        True, f"{count} ticket{'s' if count != 1 else ''} of {code} from the server.", tickets, code
    )
