"""Push handlers for blocked seats: `seat_block` and `seat_release` (payloads
`enturf_core.wire.ops.SeatBlock` / `SeatRelease`), through `sales.seat_blocks` with the
API's rights (administrators) and limits. Registered by `SalesConfig.ready()`.

Applied: ``extra {"seats": [seat ids]}``. Rejected as the API refuses: a seat held, sold or
allocated (or, to release, not blocked) is ``seats_unavailable`` with ``details.seats``
{seat id: status}; seats of another event ``unknown_seats``; more than 5000 seats
``too_many_seats``.
"""

from __future__ import annotations

from enturf_core.staff_rights import Right
from enturf_core.wire import ops as wire
from enturf_server.accounts.rights import ensure_right
from enturf_server.api.errors import NotFound, ServiceError
from enturf_server.api.inputs import MAX_ID
from enturf_server.catalog.models import Event
from enturf_server.sales.seat_blocks import block_seats, release_seats
from enturf_server.sync.push_registry import (
    APPLIED,
    OpResult,
    PushContext,
    PushOp,
    push_handler,
    typed_payload,
)


def _event(event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id).first() if 0 < event_id <= MAX_ID else None
    if event is None:
        raise NotFound(f"Event {event_id} no longer exists on the server.", code="not_found")
    return event


def _seat_ids(seats: tuple[int, ...]) -> list[int]:
    """The seat ids; ids beyond any row's are no seat of the event (refused before SQL)."""
    outside = sorted({s for s in seats if not 0 < s <= MAX_ID})
    if outside:
        raise ServiceError(
            f"Not part of this event's seat map: seats {outside[:10]}.",
            code="unknown_seats",
            details={"unknown_seats": outside[:100], "unknown_areas": []},
        )
    return list(seats)


@push_handler(wire.SEAT_BLOCK)
def seat_block(op: PushOp, ctx: PushContext) -> OpResult:
    ensure_right(ctx.user, Right.EDIT_EVENTS, "block seats")
    block = typed_payload(op, wire.SeatBlock)
    seats = block_seats(
        actor=ctx.user,
        event=_event(block.event),
        seat_ids=_seat_ids(block.seats),
        reason=block.reason,
        note=block.note,
        device=ctx.device,
    )
    return OpResult(APPLIED, extra={"seats": seats})


@push_handler(wire.SEAT_RELEASE)
def seat_release(op: PushOp, ctx: PushContext) -> OpResult:
    ensure_right(ctx.user, Right.EDIT_EVENTS, "release blocked seats")
    release = typed_payload(op, wire.SeatRelease)
    seats = release_seats(
        actor=ctx.user,
        event=_event(release.event),
        seat_ids=_seat_ids(release.seats),
        device=ctx.device,
    )
    return OpResult(APPLIED, extra={"seats": seats})
