"""What the back office reads of this device's door data: the check-in lists the feed
brought, this device's own scan log, and per list what it knows of who is in (the
server's records it synced and its own scans: `door_service.door_counts`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from enturf_core.checkin_verdicts import Verdict
from enturf_core.wire import feed
from enturf_pos.models import (
    Admission,
    CheckinList,
    CheckinRecord,
    CounterDevice,
    DoorScan,
    Ticket,
)
from enturf_pos.services.door import door_service
from enturf_pos.services.session.pos_context import PosContext


@dataclass(frozen=True, slots=True)
class OwnScans:
    """This device's scans of an event from its own log."""

    entries: int = 0
    exits: int = 0
    refused: int = 0
    unsent: int = 0  # offline scans the server has not answered yet


@dataclass(frozen=True, slots=True)
class KnownHere:
    """A list's entries, exits and inside now as this device knows them."""

    list_name: str
    entries: int
    exits: int
    inside: int


@dataclass(frozen=True, slots=True)
class Scan:
    gate: str  # "" for any gate
    device: str  # its name, or "device 7" when this device does not know it
    at: datetime


@dataclass(frozen=True, slots=True)
class DoubleEntry:
    """A ticket let in twice (two devices offline): the first entry and the flagged one."""

    ticket: str
    line: str
    list_name: str
    first: Scan | None
    second: Scan


def local_lists(ctx: PosContext, event_id: int) -> tuple[feed.CheckinList, ...]:
    with ctx.db.transaction() as session:
        rows = session.scalars(
            select(CheckinList).where(CheckinList.event_id == event_id).order_by(CheckinList.name)
        )
        return tuple(
            feed.CheckinList(
                id=r.id,
                event=r.event_id,
                name=r.name,
                tickets=tuple(int(t) for t in r.tickets or ()),
                gates=tuple(str(g) for g in r.gates or ()),
                exits=r.exits,
                reentry=r.reentry,
                starts_at=r.starts_at,
                ends_at=r.ends_at,
                version=r.version,
            )
            for r in rows
        )


def own_scans(ctx: PosContext, event_id: int) -> OwnScans:
    with ctx.db.transaction() as session:
        counts = dict(
            session.execute(
                select(DoorScan.verdict, func.count())
                .where(DoorScan.event_id == event_id)
                .group_by(DoorScan.verdict)
            ).all()
        )
        unsent = session.scalar(
            select(func.count()).where(
                DoorScan.event_id == event_id,
                DoorScan.mode == door_service.OFFLINE,
                DoorScan.server_verdict.is_(None),
            )
        )
    entries = counts.pop(Verdict.ADMITTED.value, 0)
    exits = counts.pop(Verdict.EXITED.value, 0)
    return OwnScans(entries, exits, sum(counts.values()), unsent or 0)


def known_here(ctx: PosContext, event_id: int) -> tuple[KnownHere, ...]:
    return tuple(
        KnownHere(lst.name, *door_service.door_counts(ctx=ctx, list_id=lst.id))
        for lst in local_lists(ctx, event_id)
    )


def double_entries(ctx: PosContext, event_id: int) -> tuple[DoubleEntry, ...]:
    """The double entries the server flagged (feed `checkin` records), newest first, each
    with the entry before it on the same list."""
    with ctx.db.transaction() as session:
        lists = dict(
            session.execute(
                select(CheckinList.id, CheckinList.name).where(CheckinList.event_id == event_id)
            ).all()
        )
        if not lists:
            return ()
        flagged = session.scalars(
            select(CheckinRecord)
            .where(CheckinRecord.list_id.in_(lists), CheckinRecord.double_entry.is_(True))
            .order_by(CheckinRecord.at.desc())
        ).all()
        if not flagged:
            return ()
        lines = {r.line_id for r in flagged}
        entries = session.scalars(
            select(CheckinRecord)
            .where(
                CheckinRecord.line_id.in_(lines),
                CheckinRecord.kind == "entry",
                CheckinRecord.double_entry.is_(False),
            )
            .order_by(CheckinRecord.at)
        ).all()
        tickets = dict(
            session.execute(
                select(Admission.id, Ticket.name)
                .join(Ticket, Ticket.id == Admission.ticket_id)
                .where(Admission.id.in_(lines))
            ).all()
        )
        devices = dict(session.execute(select(CounterDevice.id, CounterDevice.name)).all())

        def scan(record: CheckinRecord) -> Scan:
            device = record.device_id
            name = devices.get(device) or (f"device {device}" if device else "?")
            return Scan(record.gate, name, record.at)

        out = []
        for record in flagged:
            before = [
                e
                for e in entries
                if e.line_id == record.line_id and e.list_id == record.list_id and e.at <= record.at
            ]
            out.append(
                DoubleEntry(
                    tickets.get(record.line_id, "?"),
                    record.line_id,
                    lists[record.list_id],
                    scan(before[-1]) if before else None,
                    scan(record),
                )
            )
        return tuple(out)
