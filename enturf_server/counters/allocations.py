"""Counter allocations: seats and GA quota of an event set aside for one counter device.

Offline, a counter sells only from its allocation, so two counters never sell the same
seat. The seats are `SeatInventory.allocated_to` (nobody else may hold or book them; the
device itself may, see `InventoryLock.device_id`); the GA quota is `AllocationArea`
(places nobody else gets until the device has sold them).

Growing an allocation takes effect at once. **Shrinking takes effect only after the
device's next push**: the seats and the smaller quota are recorded as pending
(`Allocation.pending_seats`, `AllocationArea.pending_quantity`,
`release_requested_at`) and applied by :func:`apply_pending_releases`, which the push
endpoint calls after it applied the device's ops — so sales the device made offline from
them before it heard of the shrink are accepted. A retired device is released after the
push of a session opened on it before its retirement, or at once when no such session
is left (it can push no more); an admin may force the release (`force=True`) for a
counter that is lost. Retiring a device asks for the release of all its allocations.

Every write goes through :class:`sales.inventory.InventoryLock` (allocation row first,
then seat rows and area rows in primary-key order, event row late), bumps the event's
inventory version, emits `seat_status` and the `allocation` entity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from enturf_core.wire import feed
from enturf_server.accounts.device_selectors import may_still_push
from enturf_server.accounts.device_services import when_device_retires
from enturf_server.accounts.models import Device
from enturf_server.api.errors import Conflict, NotFound, ServiceError
from enturf_server.audit.services import record
from enturf_server.catalog.models import Event, EventState
from enturf_server.sales import rules
from enturf_server.sales.inventory import InventoryLock
from enturf_server.sales.models import Allocation, AllocationArea, SeatInventory
from enturf_server.sync import changes

ENTITY = feed.ALLOCATION
MAX_SEATS_PER_ALLOCATION_REQUEST = 5000


# -- reading -----------------------------------------------------------------------------------


def allocated_seats(*, allocation: Allocation) -> list[int]:
    """Seat ids allocated to the device for the event (pending releases included)."""
    return sorted(
        SeatInventory.objects.filter(
            event_id=allocation.event_id, allocated_to_id=allocation.device_id
        ).values_list("seat_id", flat=True)
    )


def allocation_data(allocation: Allocation) -> dict[str, Any]:
    """The `allocation` entity of the change feed and the API's read shape.

    `seats` and `areas` are what the device may sell from now (pending releases left
    out); `pending_release` is what goes back after its next push; `sold` is the GA
    places the server has recorded as sold from the quota."""
    pending = set(allocation.pending_seats)
    seats = allocated_seats(allocation=allocation)
    quotas = sorted(allocation.areas.all(), key=lambda q: q.area_id)
    return {
        "id": allocation.pk,
        "event": allocation.event_id,
        "device": allocation.device_id,
        "seats": [s for s in seats if s not in pending],
        "areas": {str(q.area_id): _effective(q) for q in quotas},
        "sold": {str(q.area_id): q.sold_by_device for q in quotas},
        "pending_release": {
            "seats": sorted(s for s in seats if s in pending),
            "areas": {
                str(q.area_id): q.pending_quantity for q in quotas if q.pending_quantity is not None
            },
            "requested_at": allocation.release_requested_at.isoformat()
            if allocation.release_requested_at
            else None,
        },
        "version": allocation.version,
    }


def allocations_for(*, event: Event) -> list[Allocation]:
    return list(
        Allocation.objects.filter(event=event).prefetch_related("areas").order_by("device_id")
    )


def allocation_of(*, event: Event, allocation_id: int) -> Allocation:
    allocation = (
        Allocation.objects.filter(event=event, pk=allocation_id).prefetch_related("areas").first()
    )
    if allocation is None:
        raise NotFound(f"Event {event.pk} has no allocation {allocation_id}.")
    return allocation


def _effective(quota: AllocationArea) -> int:
    return quota.quantity if quota.pending_quantity is None else quota.pending_quantity


# -- writing -----------------------------------------------------------------------------------


def allocate(
    *,
    actor,
    event: Event,
    device: Device,
    seat_ids: Sequence[int] = (),
    areas: Sequence[tuple[int, int]] = (),
) -> tuple[Allocation, bool]:
    """Add seats and GA places to the device's allocation for the event (created on first
    use). Seats must be free (not held, sold, blocked or allocated to another device):
    otherwise 409 `seats_unavailable` with `details.seats` {seat id: status} (and
    `details.unavailable_seats`); places beyond what is left: 409 with
    `details.unavailable_areas`. Returns `(allocation, created)`."""
    seat_ids = rules.unique_seats(seat_ids)
    places = rules.area_quantities(areas)
    if not seat_ids and not places:
        raise ServiceError(
            "An allocation needs at least one seat or GA place.", code="empty_allocation"
        )
    _ensure_allocatable(event, device)
    with changes.atomic():  # a refused request leaves no empty allocation behind
        allocation, created = _allocation_row(event=event, device=device, actor=actor)
        changed = _change(
            actor=actor,
            allocation=allocation,
            add_seats=seat_ids,
            add_places=places,
            action="allocation.create" if created else "allocation.add",
        )
    assert changed is not None  # something was added
    return changed, created


def change_allocation(
    *,
    actor,
    allocation: Allocation,
    add_seats: Sequence[int] = (),
    remove_seats: Sequence[int] = (),
    areas: Sequence[tuple[int, int]] | None = None,
    force: bool = False,
) -> Allocation | None:
    """Add seats, remove seats and/or set GA quotas (absolute; 0 ends an area's quota).

    Additions and larger quotas apply at once; removals and smaller quotas are pending
    until the device's next push (at once with `force`, or for a retired device). Seats
    the device sold stay sold. Returns the allocation, or None once it is gone."""
    add_seats, remove_seats = rules.seat_changes(add_seats, remove_seats)
    quotas = rules.area_quantities(areas or (), allow_zero=True)
    if not add_seats and not remove_seats and not quotas and not force:
        raise ServiceError(
            "Nothing to change: give add_seats, remove_seats or areas.", code="invalid"
        )
    if add_seats or any(quotas.values()):
        _ensure_allocatable(allocation.event, allocation.device)
    return _change(
        actor=actor,
        allocation=allocation,
        add_seats=add_seats,
        remove_seats=remove_seats,
        set_places=quotas,
        force=force,
        action="allocation.change",
    )


def release_allocation(*, actor, allocation: Allocation, force: bool = False) -> Allocation | None:
    """Give back every seat and place of the allocation (after the device's next push,
    or at once with `force` or for a retired device). Seats it sold stay sold."""
    return _change(
        actor=actor,
        allocation=allocation,
        release_all=True,
        force=force,
        action="allocation.release",
    )


@when_device_retires
def release_device_allocations(*, actor, device: Device, confirmed: bool) -> None:
    """A retiring device gives back its allocations (at once when `confirmed`)."""
    for allocation in Allocation.objects.filter(device=device).order_by("pk"):
        release_allocation(actor=actor, allocation=allocation, force=confirmed)


def apply_pending_releases(*, device: Device, pushed_since: datetime) -> list[int]:
    """Apply the device's pending shrinks recorded before `pushed_since` (the start of the
    push that has just been applied). Returns the ids of the allocations changed."""
    due = list(
        Allocation.objects.filter(
            device=device,
            release_requested_at__isnull=False,
            release_requested_at__lte=pushed_since,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = []
    for allocation_id in due:
        with changes.atomic():
            allocation = _locked(allocation_id)
            if (
                allocation is None
                or allocation.release_requested_at is None
                or allocation.release_requested_at > pushed_since
            ):
                continue
            lock = InventoryLock(event=allocation.event, now=timezone.now())
            quotas = {q.area_id: q for q in allocation.areas.all()}
            pending_areas = [a for a, q in quotas.items() if q.pending_quantity is not None]
            lock.acquire(seat_ids=allocation.pending_seats, area_ids=pending_areas)
            _share_quotas(lock, allocation, quotas)
            _apply_release(lock, allocation, quotas)
            lock.write()
            _finish(allocation, actor=None, action="allocation.released_after_push", details={})
        done.append(allocation_id)
    return done


# -- internals ---------------------------------------------------------------------------------


def _ensure_allocatable(event: Event, device: Device) -> None:
    if device.retired_at is not None:
        raise Conflict(
            f"Counter {device.name} is retired; allocate to an active counter.",
            code="device_retired",
        )
    if event.state in (EventState.CANCELLED, EventState.CLOSED):
        raise Conflict(
            f"{event.name} is {event.get_state_display().lower()}; nothing can be allocated.",
            code="event_not_on_sale",
        )


def _allocation_row(*, event: Event, device: Device, actor) -> tuple[Allocation, bool]:
    existing = Allocation.objects.filter(event=event, device=device).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Allocation.objects.create(event=event, device=device, created_by=actor), True
    except IntegrityError:  # created concurrently
        return Allocation.objects.get(event=event, device=device), False


def _locked(allocation_id: int) -> Allocation | None:
    return (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("event", "device")
        .filter(pk=allocation_id)
        .first()
    )


def _change(
    *,
    actor,
    allocation: Allocation,
    action: str,
    add_seats: Iterable[int] = (),
    remove_seats: Iterable[int] = (),
    add_places: dict[int, int] | None = None,
    set_places: dict[int, int] | None = None,
    release_all: bool = False,
    force: bool = False,
) -> Allocation | None:
    add_seats, remove_seats = list(add_seats), list(remove_seats)
    add_places, set_places = add_places or {}, set_places or {}
    with changes.atomic():
        now = timezone.now()
        locked = _locked(allocation.pk)
        if locked is None:
            raise Conflict("This allocation was released meanwhile.", code="allocation_gone")
        allocation = locked
        device = allocation.device
        immediate = force or not may_still_push(device)
        quotas = {q.area_id: q for q in allocation.areas.all()}
        own_seats = set(allocated_seats(allocation=allocation))
        if release_all:
            remove_seats = sorted(own_seats)
            set_places = {area_id: 0 for area_id in quotas}
        changing_areas = sorted(set(add_places) | set(set_places))
        lock_seats = {*add_seats, *remove_seats, *(allocation.pending_seats if immediate else ())}
        lock_areas = set(changing_areas) | set(quotas if immediate else ())

        lock = InventoryLock(event=allocation.event, now=now)
        lock.acquire(seat_ids=sorted(lock_seats), area_ids=sorted(lock_areas))
        rules.ensure_known(lock, [*add_seats, *remove_seats], changing_areas)
        _share_quotas(lock, allocation, quotas)

        not_allocated = sorted(s for s in remove_seats if s not in own_seats)
        if not_allocated:
            raise ServiceError(
                f"Seats {not_allocated} are not allocated to {device.name}.",
                code="not_allocated",
                details={"not_allocated": not_allocated},
            )
        adding = [s for s in add_seats if s not in own_seats]
        targets: dict[int, int] = {}
        short = []
        for area_id in changing_areas:
            quota = quotas.get(area_id)
            if area_id in set_places:
                targets[area_id] = set_places[area_id]
            else:
                targets[area_id] = (_effective(quota) if quota else 0) + add_places[area_id]
            growth = targets[area_id] - (quota.quantity if quota else 0)
            remaining = lock.public_remaining(area_id)
            if growth > remaining:
                short.append({"area": area_id, "requested": growth, "remaining": remaining})
        taken = sorted(s for s in adding if not lock.seat_is_free(lock.seats[s]))
        rules.refuse_seats(
            taken, lock, doing="allocated", unavailable_seats=taken, unavailable_areas=short
        )
        rules.refuse_unavailable([], short)

        # additions apply at once; re-adding a seat or place cancels its pending release
        for seat_id in adding:
            lock.set_allocation(lock.seats[seat_id], device.pk)
        pending = set(allocation.pending_seats) - set(add_seats)
        shrunk = bool(remove_seats)
        for area_id, target in targets.items():
            quota = quotas.get(area_id)
            if quota is None:
                quota = AllocationArea.objects.create(
                    allocation=allocation, area_id=area_id, quantity=target
                )
                quotas[area_id] = quota
                lock.quotas.setdefault(area_id, []).append(quota)
            elif target >= quota.quantity:
                quota.quantity, quota.pending_quantity = target, None
                quota.save(update_fields=["quantity", "pending_quantity"])
            else:  # a shrink: pending until the device's next push
                shrunk = shrunk or target != quota.pending_quantity
                quota.pending_quantity = target
                quota.save(update_fields=["pending_quantity"])
            lock.touch_area(area_id)

        allocation.pending_seats = sorted(pending | set(remove_seats))
        if shrunk:
            allocation.release_requested_at = now
        if not allocation.pending_seats and all(
            q.pending_quantity is None for q in quotas.values()
        ):
            allocation.release_requested_at = None
        if immediate:
            _apply_release(lock, allocation, quotas)
        lock.write()
        return _finish(
            allocation,
            actor=actor,
            action=action,
            details={
                "device": device.pk,
                "event": allocation.event_id,
                "added_seats": adding,
                "removed_seats": sorted(remove_seats),
                "areas": {str(a): _effective(q) for a, q in sorted(quotas.items())},
                "immediate": immediate,
            },
        )


def _share_quotas(
    lock: InventoryLock, allocation: Allocation, quotas: dict[int, AllocationArea]
) -> None:
    """The lock counts places left from its quota rows: let it see the ones we change."""
    for area_id, rows in lock.quotas.items():
        lock.quotas[area_id] = [
            quotas[area_id] if row.allocation_id == allocation.pk else row for row in rows
        ]


def _apply_release(
    lock: InventoryLock, allocation: Allocation, quotas: dict[int, AllocationArea]
) -> None:
    """Give back the pending seats (still allocated to the device) and shrink the quotas
    (never below what the device sold). The seat and area rows must be locked."""
    for seat_id in allocation.pending_seats:
        row = lock.seats.get(seat_id)
        if row is not None and row.allocated_to_id == allocation.device_id:
            lock.set_allocation(row, None)
    for area_id, quota in quotas.items():
        if quota.pending_quantity is None:
            continue
        quota.quantity = max(quota.pending_quantity, quota.sold_by_device)
        quota.pending_quantity = None
        quota.save(update_fields=["quantity", "pending_quantity"])
        lock.touch_area(area_id)
    allocation.pending_seats = []
    allocation.release_requested_at = None


def _finish(allocation: Allocation, *, actor, action: str, details: dict) -> Allocation | None:
    """Save, then emit the allocation (or its deletion once nothing is set aside)."""
    remaining_seats = SeatInventory.objects.filter(
        event_id=allocation.event_id, allocated_to_id=allocation.device_id
    ).exists()
    quotas = list(AllocationArea.objects.filter(allocation=allocation))
    if not remaining_seats and not any(q.reserved or q.pending_quantity for q in quotas):
        record(actor=actor, action=action, obj=allocation, details={**details, "deleted": True})
        changes.emit(ENTITY, allocation.pk, op=feed.DELETE, version=allocation.version + 1)
        allocation.delete()
        return None
    allocation.version += 1
    allocation.save()
    record(actor=actor, action=action, obj=allocation, details=details)
    changes.emit(
        ENTITY, allocation.pk, version=allocation.version, data=allocation_data(allocation)
    )
    return allocation
