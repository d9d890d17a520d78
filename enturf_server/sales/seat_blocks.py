"""Blocked seats: seats of an event kept off sale, with a reason (technical, camera, house
seats, kills: `enturf_core.wire.ops.BLOCK_REASONS`) and a note.

A blocked seat is not free for anyone (`InventoryLock.seat_is_free`): no hold, booking,
counter sale or allocation takes it until a manager releases it. Blocking takes free seats
only (an expired hold counts as free); a seat that is held, sold or allocated to a counter
refuses the whole request (409 ``seats_unavailable``, ``details.seats`` {seat id: status}).
Blocking a blocked seat again changes its reason and note. Releasing takes blocked seats
only, and refuses the whole request otherwise, the same way.

Writes go through :class:`sales.inventory.InventoryLock` (seat rows locked in primary-key
order, the event's inventory version bumped late), emit `seat_status` with the reasons
(``blocked``) and record `seat.block` / `seat.release` in the audit log. The API
(`sales.block_views`) and the push ops `seat_block` / `seat_release`
(`sales.push_handlers`) both call :func:`block_seats` and :func:`release_seats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from enturf_core.wire.ops import BLOCK_REASONS
from enturf_server.api.errors import ServiceError
from enturf_server.audit.services import record
from enturf_server.catalog.models import Event
from enturf_server.sales import rules
from enturf_server.sales.inventory import InventoryLock, SeatTarget
from enturf_server.sales.models import SeatInventory, SeatStatus
from enturf_server.sync import changes

MAX_SEATS_PER_BLOCK_REQUEST = 5000  # as many as an allocation request
NOTE_MAX = SeatInventory._meta.get_field("block_note").max_length


def blocked_seats(*, event: Event) -> list[dict[str, Any]]:
    """The event's blocked seats, in seat order: ``{"seat", "reason", "note"}``."""
    rows = (
        SeatInventory.objects.filter(event=event, status=SeatStatus.BLOCKED)
        .order_by("seat_id")
        .values_list("seat_id", "block_reason", "block_note")
    )
    return [{"seat": seat, "reason": reason, "note": note} for seat, reason, note in rows]


def _seat_list(seat_ids: Sequence[int]) -> list[int]:
    seat_ids = rules.unique_seats(seat_ids)
    if not seat_ids:
        raise ServiceError("Name at least one seat.", code="no_seats", details={"field": "seats"})
    if len(seat_ids) > MAX_SEATS_PER_BLOCK_REQUEST:
        raise ServiceError(
            f"At most {MAX_SEATS_PER_BLOCK_REQUEST} seats at once; this names {len(seat_ids)}.",
            code="too_many_seats",
            details={"limit": MAX_SEATS_PER_BLOCK_REQUEST, "requested": len(seat_ids)},
        )
    return seat_ids


def _locked(event: Event, seat_ids: list[int]) -> InventoryLock:
    lock = InventoryLock(event=event, now=timezone.now())
    lock.acquire(seat_ids=seat_ids)
    rules.ensure_known(lock, seat_ids, ())
    return lock


def block_seats(
    *,
    actor,
    event: Event,
    seat_ids: Sequence[int],
    reason: str,
    note: str = "",
    device=None,
) -> list[int]:
    """Block free (or already blocked) seats of `event` for `reason`; returns the seats."""
    seat_ids = _seat_list(seat_ids)
    if reason not in BLOCK_REASONS:
        raise ServiceError(
            f"Unknown reason {reason!r}; one of {', '.join(BLOCK_REASONS)}.",
            code="invalid_reason",
            details={"field": "reason", "reasons": list(BLOCK_REASONS)},
        )
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ServiceError(
            f"The note is longer than {NOTE_MAX} characters.",
            code="invalid",
            details={"field": "note"},
        )
    with changes.atomic():
        lock = _locked(event, seat_ids)
        taken = [
            s
            for s in seat_ids
            if lock.seats[s].status != SeatStatus.BLOCKED and not lock.seat_is_free(lock.seats[s])
        ]
        rules.refuse_seats(taken, lock, doing="blocked")
        target = SeatTarget(SeatStatus.BLOCKED, block_reason=reason, block_note=note)
        for seat_id in seat_ids:
            lock.set_seat(lock.seats[seat_id], target)
        lock.write()
        record(
            actor=actor,
            action="seat.block",
            obj=event,
            details={"reason": reason, "note": note, "seats": seat_ids},
            device=device,
        )
    return seat_ids


def release_seats(*, actor, event: Event, seat_ids: Sequence[int], device=None) -> list[int]:
    """Put blocked seats of `event` back on sale; returns the seats."""
    seat_ids = _seat_list(seat_ids)
    with changes.atomic():
        lock = _locked(event, seat_ids)
        not_blocked = [s for s in seat_ids if lock.seats[s].status != SeatStatus.BLOCKED]
        rules.refuse_seats(not_blocked, lock, doing="released (they are not blocked)")
        reasons = {str(s): lock.seats[s].block_reason for s in seat_ids}
        for seat_id in seat_ids:
            lock.set_seat(lock.seats[seat_id], SeatTarget(SeatStatus.AVAILABLE))
        lock.write()
        record(
            actor=actor,
            action="seat.release",
            obj=event,
            details={"seats": seat_ids, "reasons": reasons},
            device=device,
        )
    return seat_ids
