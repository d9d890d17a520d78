"""The locking protocol every write to seat and GA inventory goes through.

One :class:`InventoryLock` per transaction (inside ``sync.changes.atomic()``):

1. The caller locks its own hold or booking row first, if it changes one
   (``select_for_update`` on that single row).
2. :meth:`InventoryLock.acquire` reads, without locks, the event's holds and pending
   bookings that are past their expiry, then locks in one statement each, ordered by
   primary key: the seat rows asked for plus the seat rows of those expired holds and
   bookings, then the GA area rows. Expired hold and booking rows are then locked with
   ``SKIP LOCKED`` (never waiting: a row someone else has locked is theirs to handle), and
   released. Status is re-checked on the locked rows, treating ``held_until <= now`` as
   free, so an expired hold never blocks anyone even when nobody has cleaned it up.
3. The caller decides what to change (:meth:`set_seat`, :meth:`change_area`).
4. :meth:`InventoryLock.write` bumps ``Event.inventory_version`` with one
   ``UPDATE ... RETURNING`` (late, so the event row is locked only until commit), writes
   the changed rows with that version and emits one ``seat_status`` change-log entry.

Lock order, for every writer: own hold/booking row -> seat rows (pk order) -> area rows
(pk order) -> other holds/bookings (SKIP LOCKED, never waits) -> event row -> change-log
lock. Nobody waits on a lock while holding one that comes later in this order, so writers
cannot deadlock. Services elsewhere (payments, refunds) that free seats follow it too.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Count, F, Sum

from enturf_core.wire import feed
from enturf_server.api.model_rows import RowReader
from enturf_server.catalog.models import Event, Seat
from enturf_server.sales.feed import emit_bookings
from enturf_server.sales.models import (
    AllocationArea,
    AreaInventory,
    Booking,
    BookingLine,
    BookingState,
    Hold,
    HoldArea,
    LineState,
    SeatInventory,
    SeatStatus,
)
from enturf_server.sync.changes import emit

# Expired holds / bookings handled per transaction; the rest go to the next writer.
EXPIRY_BATCH = 500

ALLOCATED = "allocated"  # shown in availability for a seat allocated to a counter device


@dataclass(frozen=True)
class SeatTarget:
    status: str
    hold_id: uuid.UUID | None = None
    held_until: datetime | None = None
    booking_id: uuid.UUID | None = None
    block_reason: str = ""  # a blocked seat's (`sales.seat_blocks`)
    block_note: str = ""


@dataclass
class InventoryLock:
    event: Event
    now: datetime
    # the counter device selling: its allocated seats and GA quota are free for it
    device_id: int | None = None
    seats: dict[int, SeatInventory] = field(default_factory=dict)  # by seat id, locked
    areas: dict[int, AreaInventory] = field(default_factory=dict)  # by area id, locked
    released_holds: set[uuid.UUID] = field(default_factory=set)
    expired_bookings: set[uuid.UUID] = field(default_factory=set)
    hold_areas: dict[uuid.UUID, dict[int, int]] = field(default_factory=dict)
    booking_areas: dict[uuid.UUID, dict[int, int]] = field(default_factory=dict)
    _seat_targets: dict[int, SeatTarget] = field(default_factory=dict)  # by seat id
    _held: dict[int, int] = field(default_factory=dict)  # active GA hold places by area
    _held_delta: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    _sold_delta: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    _touched_areas: set[int] = field(default_factory=set)
    _allocation_targets: dict[int, int | None] = field(default_factory=dict)  # seat -> device
    quotas: dict[int, list[AllocationArea]] = field(default_factory=dict)  # by area id
    _quota_used: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    # -- acquiring -----------------------------------------------------------------------

    def acquire(
        self,
        *,
        seat_ids: Collection[int] = (),
        area_ids: Collection[int] = (),
        hold: Hold | None = None,
        booking: Booking | None = None,
    ) -> None:
        """Lock the requested seats and areas plus everything of `hold` / `booking` (the
        caller's own, already row-locked) and of the event's expired holds and bookings."""
        # the caller's own hold / booking is the caller's to handle, never expired here
        expired_holds, expired_bookings = _expired_candidates(
            self.event.pk, self.now, hold.pk if hold else None, booking.pk if booking else None
        )
        hold_ids = [*expired_holds, *([hold.pk] if hold else [])]
        booking_ids = [*expired_bookings, *([booking.pk] if booking else [])]
        if seat_ids or hold_ids or booking_ids:
            rows = _lock_seat_rows(self.event.pk, list(seat_ids), hold_ids, booking_ids)
            self.seats = {row.seat_id: row for row in rows}

        # GA places of holds and bookings that may be released here
        hold_areas: dict[uuid.UUID, dict[int, int]] = defaultdict(dict)
        booking_areas: dict[uuid.UUID, dict[int, int]] = defaultdict(dict)
        if hold_ids:
            for hold_id, area_id, quantity in HoldArea.objects.filter(
                hold_id__in=hold_ids
            ).values_list("hold_id", "area_id", "quantity"):
                hold_areas[hold_id][area_id] = quantity
        if booking_ids:
            for row in (
                BookingLine.objects.filter(
                    booking_id__in=booking_ids, area__isnull=False, state=LineState.VALID
                )
                .values("booking_id", "area_id")
                .annotate(n=Count("id"))
            ):
                booking_areas[row["booking_id"]][row["area_id"]] = row["n"]
        all_area_ids = set(area_ids)
        for per_area in (*hold_areas.values(), *booking_areas.values()):
            all_area_ids.update(per_area)
        if all_area_ids:
            rows = (
                AreaInventory.objects.select_for_update()
                .filter(event=self.event, area_id__in=sorted(all_area_ids))
                .order_by("pk")
            )
            self.areas = {row.area_id: row for row in rows}
            self.quotas = _allocation_quotas(self.event.pk, self.areas)

        self.hold_areas, self.booking_areas = dict(hold_areas), dict(booking_areas)
        self._release_expired_holds(expired_holds, hold_areas)
        self._expire_bookings(expired_bookings, booking_areas)
        if self.areas:
            self._held = self._active_hold_places(self.areas)

    def _release_expired_holds(
        self, candidates: list[uuid.UUID], hold_areas: dict[uuid.UUID, dict[int, int]]
    ) -> None:
        if not candidates:
            return
        released = set(
            Hold.objects.select_for_update(skip_locked=True)
            .filter(id__in=candidates, released_at__isnull=True, expires_at__lte=self.now)
            .order_by("pk")
            .values_list("id", flat=True)
        )
        if not released:
            return
        Hold.objects.filter(id__in=released).update(released_at=self.now)
        self.released_holds = released
        for row in self.seats.values():
            if row.status == SeatStatus.HELD and row.hold_id in released:
                self.set_seat(row, SeatTarget(SeatStatus.AVAILABLE))
        for hold_id in released:
            # their places were already not counted (expired); the areas changed for readers
            self._touched_areas.update(hold_areas.get(hold_id, {}))

    def _expire_bookings(
        self, candidates: list[uuid.UUID], booking_areas: dict[uuid.UUID, dict[int, int]]
    ) -> None:
        if not candidates:
            return
        expired = set(
            Booking.objects.select_for_update(skip_locked=True)
            .filter(id__in=candidates, state=BookingState.PENDING, expires_at__lte=self.now)
            .order_by("pk")
            .values_list("id", flat=True)
        )
        if not expired:
            return
        release_booking_rows(self, expired, BookingState.EXPIRED, booking_areas)
        self.expired_bookings = expired
        emit_bookings(Booking.objects.filter(id__in=expired))

    def _active_hold_places(self, areas: Iterable[int]) -> dict[int, int]:
        rows = (
            HoldArea.objects.filter(
                area_id__in=list(areas),
                hold__event=self.event,
                hold__released_at__isnull=True,
                hold__expires_at__gt=self.now,
            )
            .values("area_id")
            .annotate(total=Sum("quantity"))
        )
        return {row["area_id"]: row["total"] for row in rows}

    # -- reading the locked state ----------------------------------------------------------

    def seat_is_free(self, row: SeatInventory, *, for_hold: uuid.UUID | None = None) -> bool:
        """Whether a locked seat may be taken (by `for_hold`, which may keep its own)."""
        target = self._seat_targets.get(row.seat_id)
        if target is not None:
            status, hold_id, held_until = target.status, target.hold_id, target.held_until
        else:
            status, hold_id, held_until = row.status, row.hold_id, row.held_until
        if row.allocated_to_id is not None and row.allocated_to_id != self.device_id:
            return False  # set aside for another counter device
        if status == SeatStatus.AVAILABLE:
            return True
        if status == SeatStatus.HELD:
            if for_hold is not None and hold_id == for_hold:
                return True
            return held_until is not None and held_until <= self.now
        return False

    def area_remaining(self, area_id: int) -> int:
        """Places left in a locked area for this caller, after this transaction's changes
        so far: the device's own unsold GA quota counts, other devices' does not."""
        return max(0, self._area_free(area_id) - self._reserved(area_id, exclude_own=True))

    def public_remaining(self, area_id: int) -> int:
        """Places left for anyone (every device's unsold quota set aside)."""
        return max(0, self._area_free(area_id) - self._reserved(area_id, exclude_own=False))

    def _area_free(self, area_id: int) -> int:
        row = self.areas[area_id]
        sold = row.sold + self._sold_delta.get(area_id, 0)
        held = self._held.get(area_id, 0) + self._held_delta.get(area_id, 0)
        return row.capacity - sold - held

    def _reserved(self, area_id: int, *, exclude_own: bool) -> int:
        total = 0
        for quota in self.quotas.get(area_id, ()):
            own = self.device_id is not None and quota.allocation.device_id == self.device_id
            if own and exclude_own:
                continue
            used = self._quota_used.get(area_id, 0) if own else 0
            total += max(0, quota.quantity - quota.sold_by_device - used)
        return total

    def own_quota(self, area_id: int) -> AllocationArea | None:
        """The selling device's quota row in a locked area, if it has one."""
        for quota in self.quotas.get(area_id, ()):
            if self.device_id is not None and quota.allocation.device_id == self.device_id:
                return quota
        return None

    # -- changing --------------------------------------------------------------------------

    def set_seat(self, row: SeatInventory, target: SeatTarget) -> None:
        self._seat_targets[row.seat_id] = target

    def change_area(self, area_id: int, *, sold: int = 0, held: int = 0) -> None:
        """Record GA changes: `sold` places sold (+) or freed (-), `held` hold places.
        Places a device sells come out of its own quota first."""
        if sold > 0 and (quota := self.own_quota(area_id)) is not None:
            left = quota.quantity - quota.sold_by_device - self._quota_used[area_id]
            self._quota_used[area_id] += max(0, min(sold, left))
        self._sold_delta[area_id] += sold
        self._held_delta[area_id] += held
        self._touched_areas.add(area_id)

    def set_allocation(self, row: SeatInventory, device_id: int | None) -> None:
        """Allocate a locked seat to a counter device (None: back to everyone)."""
        self._allocation_targets[row.seat_id] = device_id

    def touch_area(self, area_id: int) -> None:
        """An area whose places left changed for readers (e.g. a quota set aside)."""
        self._touched_areas.add(area_id)

    def write(self) -> int | None:
        """Bump the event's inventory version, write the changed rows with it and emit
        the `seat_status` change. Returns the new version (None when nothing changed)."""
        changed = {
            seat_id: target
            for seat_id, target in self._seat_targets.items()
            if _differs(self.seats[seat_id], target)
        }
        areas = sorted(self._touched_areas & set(self.areas))
        allocated = {
            seat_id: device_id
            for seat_id, device_id in self._allocation_targets.items()
            if self.seats[seat_id].allocated_to_id != device_id
        }
        if not changed and not areas and not allocated:
            return None
        by_target: dict[SeatTarget, list[int]] = defaultdict(list)
        for seat_id, target in changed.items():
            by_target[target].append(self.seats[seat_id].pk)
        groups = list(by_target.items())
        if groups and connection.vendor == "postgresql":  # the bump and the first group
            version = _bump_with_seats(self.event.pk, groups[0][1], groups[0][0])
            groups = groups[1:]
        else:
            version = bump_inventory_version(self.event.pk)
        self.event.inventory_version = version
        for target, pks in groups:
            _update_seat_rows(pks, target, version)
        for seat_id, target in changed.items():
            row = self.seats[seat_id]
            row.status, row.hold_id = target.status, target.hold_id
            row.held_until, row.booking_id, row.version = (
                target.held_until,
                target.booking_id,
                version,
            )
            row.block_reason, row.block_note = target.block_reason, target.block_note
        if allocated:
            _update_allocated_to(self.seats, allocated, version)

        remaining: dict[str, int] = {}
        for area_id in areas:
            remaining[str(area_id)] = self.public_remaining(area_id)
            row = self.areas[area_id]
            row.sold += self._sold_delta.get(area_id, 0)
            row.version = version
            AreaInventory.objects.filter(pk=row.pk).update(sold=row.sold, version=version)
        for area_id, used in self._quota_used.items():
            if used and (quota := self.own_quota(area_id)) is not None:
                quota.sold_by_device += used
                AllocationArea.objects.filter(pk=quota.pk).update(
                    sold_by_device=F("sold_by_device") + used
                )
        self._quota_used.clear()

        data: dict = {
            "seats": {
                str(seat_id): _shown_status(self.seats[seat_id])
                for seat_id in [*changed, *(s for s in allocated if s not in changed)]
            },
            "areas": remaining,
        }
        blocked = {
            str(seat_id): self.seats[seat_id].block_reason
            for seat_id in changed
            if self.seats[seat_id].status == SeatStatus.BLOCKED
        }
        if blocked:
            data["blocked"] = blocked
        emit(feed.SEAT_STATUS, self.event.pk, version=version, data=data)
        return version


def _differs(row: SeatInventory, target: SeatTarget) -> bool:
    return (
        row.status,
        row.hold_id,
        row.held_until,
        row.booking_id,
        row.block_reason,
        row.block_note,
    ) != (
        target.status,
        target.hold_id,
        target.held_until,
        target.booking_id,
        target.block_reason,
        target.block_note,
    )


def _shown_status(row: SeatInventory) -> str:
    """A seat's status as readers see it (an available seat set aside: "allocated")."""
    if row.status == SeatStatus.AVAILABLE and row.allocated_to_id is not None:
        return ALLOCATED
    return row.status


def _allocation_quotas(event_id: int, areas: dict[int, AreaInventory]):
    """The event's device quotas in the locked areas (written only under those locks)."""
    quotas: dict[int, list[AllocationArea]] = defaultdict(list)
    for quota in AllocationArea.objects.filter(
        allocation__event_id=event_id, area_id__in=list(areas)
    ).select_related("allocation"):
        quotas[quota.area_id].append(quota)
    return dict(quotas)


def _update_allocated_to(
    seats: dict[int, SeatInventory], allocated: dict[int, int | None], version: int
) -> None:
    by_device: dict[int | None, list[int]] = defaultdict(list)
    for seat_id, device_id in allocated.items():
        by_device[device_id].append(seats[seat_id].pk)
        seats[seat_id].allocated_to_id = device_id
        seats[seat_id].version = version
    for device_id, pks in by_device.items():
        SeatInventory.objects.filter(pk__in=pks).update(allocated_to_id=device_id, version=version)


def bump_inventory_version(event_id: int) -> int:
    """`inventory_version + 1` in one statement; the event row stays locked until commit,
    which serialises version numbers in commit order (`?since=` never misses a change)."""
    table = Event._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET inventory_version = inventory_version + 1 "
            "WHERE id = %s RETURNING inventory_version",
            [event_id],
        )
        return cursor.fetchone()[0]


def release_booking_rows(
    lock: InventoryLock,
    booking_ids: set[uuid.UUID],
    state: BookingState,
    booking_areas: dict[uuid.UUID, dict[int, int]],
) -> None:
    """Move row-locked bookings to `state` (cancelled / expired) and free their seats and
    GA places; their inventory rows must be locked in `lock` already."""
    Booking.objects.filter(id__in=booking_ids).update(state=state, version=F("version") + 1)
    BookingLine.objects.filter(booking_id__in=booking_ids, state=LineState.VALID).update(
        state=LineState.CANCELLED
    )
    for row in lock.seats.values():
        if row.status == SeatStatus.SOLD and row.booking_id in booking_ids:
            lock.set_seat(row, SeatTarget(SeatStatus.AVAILABLE))
    for booking_id in booking_ids:
        for area_id, places in booking_areas.get(booking_id, {}).items():
            lock.change_area(area_id, sold=-places)


# -- the hot-path statements, in SQL: one round trip each and no ORM compilation -----------


def _db_uuid(value: uuid.UUID | None):
    return Hold._meta.pk.get_db_prep_value(value, connection)


def _py_uuid(value) -> uuid.UUID:
    return Hold._meta.pk.to_python(value)


def _placeholders(values: Collection) -> str:
    return ", ".join(["%s"] * len(values))


def expiry_due(event_id: int, now: datetime) -> bool:
    """Whether the event has an unreleased hold or a pending booking past its expiry."""
    holds, bookings = _expired_candidates(event_id, now, None, None, limit=1)
    return bool(holds or bookings)


def _expired_candidates(
    event_id: int,
    now: datetime,
    own_hold: uuid.UUID | None,
    own_booking: uuid.UUID | None,
    limit: int = 2 * EXPIRY_BATCH,
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """Unreleased holds and pending bookings of the event past their expiry (no locks)."""
    at = connection.ops.adapt_datetimefield_value(now)
    hold_sql = (
        f"SELECT 'h', id FROM {Hold._meta.db_table} "
        "WHERE event_id = %s AND released_at IS NULL AND expires_at <= %s"
    )
    booking_sql = (
        f"SELECT 'b', id FROM {Booking._meta.db_table} "
        "WHERE event_id = %s AND state = %s AND expires_at <= %s"
    )
    params: list = [event_id, at]
    if own_hold is not None:
        hold_sql += " AND id <> %s"
        params.append(_db_uuid(own_hold))
    params += [event_id, BookingState.PENDING.value, at]
    if own_booking is not None:
        booking_sql += " AND id <> %s"
        params.append(_db_uuid(own_booking))
    with connection.cursor() as cursor:
        cursor.execute(f"{hold_sql} UNION ALL {booking_sql} LIMIT {int(limit)}", params)
        rows = cursor.fetchall()
    holds = [_py_uuid(pk) for kind, pk in rows if kind == "h"]
    bookings = [_py_uuid(pk) for kind, pk in rows if kind == "b"]
    return holds, bookings


def _lock_seat_rows(
    event_id: int, seat_ids: list[int], hold_ids: list[uuid.UUID], booking_ids: list[uuid.UUID]
) -> list[SeatInventory]:
    """`SELECT ... FOR UPDATE OF` the event's seat rows asked for or belonging to the
    holds / bookings, in primary-key order; each row carries its seat's `category`."""
    wanted, params = [], [event_id]
    if seat_ids:
        wanted.append(f"si.seat_id IN ({_placeholders(seat_ids)})")
        params += seat_ids
    if hold_ids:
        wanted.append(f"si.hold_id IN ({_placeholders(hold_ids)})")
        params += [_db_uuid(h) for h in hold_ids]
    if booking_ids:
        wanted.append(f"si.booking_id IN ({_placeholders(booking_ids)})")
        params += [_db_uuid(b) for b in booking_ids]
    lock = " FOR UPDATE OF si" if connection.features.has_select_for_update_of else ""
    sql = (
        f"SELECT {_SEAT_ROW.columns(connection)}, s.category "
        f"FROM {SeatInventory._meta.db_table} si "
        f"JOIN {Seat._meta.db_table} s ON s.id = si.seat_id "
        f"WHERE si.event_id = %s AND ({' OR '.join(wanted)}) ORDER BY si.id{lock}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    locked = []
    for values in rows:
        row = _SEAT_ROW.build(values, 0, connection)
        row.category = values[_SEAT_ROW.width]
        locked.append(row)
    return locked


_SEAT_ROW = RowReader(SeatInventory, "si")


def _seat_rows_update(pks: list[int], target: SeatTarget, version: str) -> tuple[str, list]:
    """The UPDATE of seat rows `pks` to `target`, with `version` as SQL (placeholder or
    subquery)."""
    at = (
        connection.ops.adapt_datetimefield_value(target.held_until)
        if target.held_until is not None
        else None
    )
    sql = (
        f"UPDATE {SeatInventory._meta.db_table} SET status = %s, hold_id = %s, "
        f"held_until = %s, booking_id = %s, block_reason = %s, block_note = %s, "
        f"version = {version} WHERE id IN ({_placeholders(pks)})"
    )
    return sql, [
        target.status,
        _db_uuid(target.hold_id),
        at,
        _db_uuid(target.booking_id),
        target.block_reason,
        target.block_note,
    ]


def _update_seat_rows(pks: list[int], target: SeatTarget, version: int) -> None:
    sql, params = _seat_rows_update(pks, target, "%s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, version, *pks])


def _bump_with_seats(event_id: int, pks: list[int], target: SeatTarget) -> int:
    """`bump_inventory_version` and `_update_seat_rows` with the new version in one
    statement (PostgreSQL; the seat rows are locked already, the event row last, as in
    the lock order)."""
    update, params = _seat_rows_update(pks, target, "(SELECT inventory_version FROM v)")
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH v AS (UPDATE {Event._meta.db_table} "
            "SET inventory_version = inventory_version + 1 "
            f"WHERE id = %s RETURNING inventory_version), s AS ({update}) "
            "SELECT inventory_version FROM v",
            [event_id, *params, *pks],
        )
        return cursor.fetchone()[0]
