"""A manager puts seats of an event on a counter (to sell offline) or takes them off,
on this counter, online or offline (`allocation_change`).

The feed sends every counter's allocation (`models.Allocation`); what this counter has
queued and not pushed yet is laid over them, so the manager sees the change at once.
The seats show as allocated here at once too (`services/sync/seat_ops.py`) and are put
back if the server refuses. Seats held, sold, blocked or on another counter are
refused here, naming them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from enturf_core.wire import ops as wire
from enturf_pos.models import Allocation, Area, CounterDevice, Event
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.catalog.seat_blocks import (
    STATUS_WORDS,
    event_seats,
    listed,
    refused_by_status,
    seat_names,
)
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import outbox_service, seat_ops


@dataclass(frozen=True, slots=True)
class DeviceRow:
    id: int
    name: str
    active: bool


def counter_devices(*, ctx: PosContext) -> list[DeviceRow]:
    """The registered counters (active ones first), from the feed's `device` entity."""
    with ctx.db.transaction() as session:
        return [
            DeviceRow(d.id, d.name, d.active)
            for d in session.scalars(
                select(CounterDevice).order_by(CounterDevice.active.desc(), CounterDevice.name)
            )
        ]


def _allocations(session: Session, event_id: int) -> dict[int, int]:
    out: dict[int, int] = {}
    for device_id, seats in session.execute(
        select(Allocation.device_id, Allocation.seats).where(Allocation.event_id == event_id)
    ):
        if device_id is None:
            continue
        for sid in (seats or {}).get("ids") or []:
            out[int(sid)] = int(device_id)
    for op in seat_ops.pending(session, [event_id]):
        if op.type != wire.ALLOCATION_CHANGE:
            continue
        device = int(op.payload["device"])
        for sid in op.payload.get("remove_seats") or ():
            if out.get(int(sid)) == device:
                del out[int(sid)]
        for sid in op.payload.get("add_seats") or ():
            out[int(sid)] = device
    return out


def allocations_of(*, ctx: PosContext, event_id: int) -> dict[int, int]:
    """Seat id -> the counter device it is allocated to (this counter's queued changes
    included)."""
    with ctx.db.transaction() as session:
        return _allocations(session, event_id)


def _change(
    ctx: PosContext, event_id: int, device_id: int, seat_ids: Iterable[int], *, add: bool
) -> EditResult:
    with ctx.db.transaction() as session:
        device = session.get(CounterDevice, device_id)
        if device is None:
            return EditResult(False, "Choose a counter from the list.")
        if add and not device.active:
            return EditResult(False, f"{device.name} is retired: choose an active counter.")
        ids, problem = event_seats(session, event_id=event_id, seat_ids=seat_ids)
        if problem:
            return EditResult(False, problem)
        current = _allocations(session, event_id)
        if add:
            if problem := refused_by_status(
                session,
                event_id,
                [s for s in ids if s not in current],
                {k: STATUS_WORDS[k] for k in ("held", "sold", "blocked", "allocated")},
            ):
                return EditResult(False, problem)
            elsewhere = [s for s in ids if current.get(s) not in (None, device_id)]
            if elsewhere:
                names = seat_names(session, elsewhere)
                return EditResult(
                    False,
                    f"These seats are on another counter: {listed(names[s] for s in elsewhere)}. "
                    "Take them off it first.",
                )
            ids = [s for s in ids if current.get(s) != device_id]
            if not ids:
                return EditResult(True, f"These seats are already on {device.name}.")
            op = wire.AllocationChange(event=event_id, device=device_id, add_seats=tuple(ids))
        else:
            ids = [s for s in ids if current.get(s) == device_id]
            if not ids:
                return EditResult(False, f"None of these seats is on {device.name}.")
            op = wire.AllocationChange(event=event_id, device=device_id, remove_seats=tuple(ids))
        undo = seat_ops.write(session, event_id, seat_ops.effect(op.OP_TYPE, op.to_wire()))
        outbox_service.enqueue(session, type=op.OP_TYPE, payload=op.to_wire(), undo=undo)
        name = device.name
    seats = "1 seat" if len(ids) == 1 else f"{len(ids)} seats"
    return EditResult(True, f"{seats} {'put on' if add else 'taken off'} {name}.")


def allocate(
    *, ctx: PosContext, event_id: int, device_id: int, seat_ids: Iterable[int]
) -> EditResult:
    return _change(ctx, event_id, device_id, seat_ids, add=True)


def unallocate(
    *, ctx: PosContext, event_id: int, device_id: int, seat_ids: Iterable[int]
) -> EditResult:
    return _change(ctx, event_id, device_id, seat_ids, add=False)


def area_quotas(*, ctx: PosContext, event_id: int) -> dict[int, dict[int, int]]:
    """Device id -> {standing area id: places on that counter} (queued changes included)."""
    with ctx.db.transaction() as session:
        out: dict[int, dict[int, int]] = {}
        for device_id, areas in session.execute(
            select(Allocation.device_id, Allocation.areas).where(Allocation.event_id == event_id)
        ):
            if device_id is not None and areas:
                out[int(device_id)] = {int(a): int(q) for a, q in areas.items()}
        for op in seat_ops.pending(session, [event_id]):
            if op.type == wire.ALLOCATION_CHANGE and op.payload.get("areas"):
                quotas = out.setdefault(int(op.payload["device"]), {})
                quotas.update({int(a): int(q) for a, q in op.payload["areas"].items()})
        return out


def set_area_quota(
    *, ctx: PosContext, event_id: int, device_id: int, area_id: int, places: int
) -> EditResult:
    """Put `places` of a standing area on a counter (0 takes them all back)."""
    with ctx.db.transaction() as session:
        device = session.get(CounterDevice, device_id)
        if device is None:
            return EditResult(False, "Choose a counter from the list.")
        event = session.get(Event, event_id)
        if event is None or event.id < 0:
            return EditResult(False, "Choose an event the server has (sync first).")
        area = session.get(Area, area_id)
        if area is None or area.seat_map_id != event.seat_map_id:
            return EditResult(False, "That standing area is not on this event's seat map.")
        if not isinstance(places, int) or not 0 <= places <= area.capacity:
            return EditResult(False, f"Places: a whole number from 0 to {area.capacity}.")
        if places and not device.active:
            return EditResult(False, f"{device.name} is retired: choose an active counter.")
        op = wire.AllocationChange(event=event_id, device=device_id, areas={str(area_id): places})
        outbox_service.enqueue(session, type=op.OP_TYPE, payload=op.to_wire())
        name = device.name
    return EditResult(True, f"{places} places of {area.name} on {name}.")
