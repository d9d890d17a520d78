"""The `allocation_change` push op (`enturf_core.wire.ops.AllocationChange`): a manager
puts seats and GA quota of an event on a counter device's allocation, or takes them off,
through `counters.allocations` with the allocations API's rights (administrators) and
rules. Registered by `CountersConfig.ready()`.

On a device without an allocation for the event, `add_seats` and positive `areas` make it
(`allocate`); otherwise `change_allocation` adds, removes (pending until that device's next
push) and sets quotas (`areas`: area id -> places, 0 ends a quota; absent: unchanged).

Applied: ``extra {"allocation": the allocation entity | null}`` (null once nothing is set
aside). Rejected as the API refuses: a seat held, sold, blocked or on another counter is
``seats_unavailable`` with ``details.seats`` {seat id: status}; GA places beyond what is
left ``conflict`` with ``details.unavailable_areas``; ``unknown_device``,
``unknown_seats``, ``not_allocated``, ``device_retired``, ``event_not_on_sale``; more
than 5000 seats to add or to remove ``too_many_seats``.
"""

from __future__ import annotations

from enturf_core.staff_rights import Right
from enturf_core.wire import ops as wire
from enturf_server.accounts.models import Device
from enturf_server.accounts.rights import ensure_right
from enturf_server.api.errors import NotFound, ServiceError
from enturf_server.api.inputs import MAX_ID
from enturf_server.catalog.models import Event
from enturf_server.counters.allocation_serializers import MAX_PLACES
from enturf_server.counters.allocations import (
    MAX_SEATS_PER_ALLOCATION_REQUEST,
    allocate,
    allocation_data,
    change_allocation,
)
from enturf_server.sales.models import Allocation
from enturf_server.sync.push_registry import (
    APPLIED,
    OpResult,
    PushContext,
    PushOp,
    push_handler,
    typed_payload,
)


def _bounded(value: int) -> bool:
    return 0 < value <= MAX_ID


def _seats(seats: tuple[int, ...], field: str) -> list[int]:
    if len(seats) > MAX_SEATS_PER_ALLOCATION_REQUEST:
        raise ServiceError(
            f"At most {MAX_SEATS_PER_ALLOCATION_REQUEST} seats in {field}; it has {len(seats)}.",
            code="too_many_seats",
            details={"field": field, "limit": MAX_SEATS_PER_ALLOCATION_REQUEST},
        )
    outside = sorted({s for s in seats if not _bounded(s)})
    if outside:
        raise ServiceError(
            f"Not part of this event's seat map: seats {outside[:10]}.",
            code="unknown_seats",
            details={"unknown_seats": outside[:100], "unknown_areas": []},
        )
    return list(seats)


def _areas(areas: dict[str, int] | None) -> dict[int, int] | None:
    if areas is None:
        return None
    quotas: dict[int, int] = {}
    for key, quantity in areas.items():
        if not key.isdigit() or not _bounded(int(key)):
            raise ServiceError(
                f"areas: {key!r} is not an area id.", code="invalid", details={"field": "areas"}
            )
        if not 0 <= quantity <= MAX_PLACES:
            raise ServiceError(
                f"areas: the quota of area {key} must be from 0 to {MAX_PLACES}.",
                code="invalid_quantity",
                details={"field": "areas"},
            )
        quotas[int(key)] = quantity
    return quotas


@push_handler(wire.ALLOCATION_CHANGE)
def allocation_change(op: PushOp, ctx: PushContext) -> OpResult:
    ensure_right(ctx.user, Right.EDIT_EVENTS, "allocate seats to counters")
    change = typed_payload(op, wire.AllocationChange)
    add, remove = _seats(change.add_seats, "add_seats"), _seats(change.remove_seats, "remove_seats")
    areas = _areas(change.areas)
    event = Event.objects.filter(pk=change.event).first() if _bounded(change.event) else None
    if event is None:
        raise NotFound(f"Event {change.event} no longer exists on the server.", code="not_found")
    device = Device.objects.filter(pk=change.device).first() if _bounded(change.device) else None
    if device is None:
        raise ServiceError(f"There is no counter device {change.device}.", code="unknown_device")
    allocation = Allocation.objects.filter(event=event, device=device).first()
    if allocation is None:
        if remove:
            raise ServiceError(
                f"Seats {sorted(remove)[:10]} are not allocated to {device.name}.",
                code="not_allocated",
                details={"not_allocated": sorted(remove)},
            )
        changed, _created = allocate(
            actor=ctx.user,
            event=event,
            device=device,
            seat_ids=add,
            areas=[(a, q) for a, q in (areas or {}).items() if q > 0],
        )
    else:
        changed = change_allocation(
            actor=ctx.user,
            allocation=allocation,
            add_seats=add,
            remove_seats=remove,
            areas=None if areas is None else list(areas.items()),
        )
    return OpResult(
        APPLIED, extra={"allocation": allocation_data(changed) if changed is not None else None}
    )
