"""Scanning tickets at the door (no Qt): the events and lists to scan for, one scan's
verdict online or offline, a supervisor's override, the last scans and the counts.

* **Online** (`scan(online=None)` while the server answers): `POST /api/v1/checkins/`
  with the scan's id, through the session's API client with a short timeout; the server
  decides (a ticket scanned at gate A is "already in" at gate B) and records the scan.
* **Offline** (no server session, the server away, or `online=False`): the verdict of
  `door_verdicts` from the cached keys, admissions, lists and the local log; the scan is
  logged and a `checkin` op queued in the same transaction, for the next sync. When an
  online scan fails on the network it falls back to this at once (`mode` says offline),
  with the same scan id (a request that reached the server is the same record), and the
  next scans stay offline for `RETRY_ONLINE_AFTER` seconds rather than wait each time.
* **Override**: a supervisor (an administrator) lets in a person the door refused, with a
  reason; their password is checked as approvals do (by the server, else on this
  device). The override is a scan of its own (`override_of` the refused one), sent as a
  `checkin` op with `override_reason` and `override_by`.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from enturf_core.checkin_verdicts import WORDS, Colour, Verdict, colour_of, lets_through
from enturf_core.staff_rights import Right
from enturf_core.wire import ops as wire
from enturf_pos.models import CheckinList, CheckinRecord, Device, DoorScan, Event
from enturf_pos.services import venue_time
from enturf_pos.services.door import door_cache, door_verdicts
from enturf_pos.services.session import approvals
from enturf_pos.services.session.api_client import ApiError, ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.session.secret_store import Secret
from enturf_pos.services.sync import outbox_service

log = logging.getLogger(__name__)

SCAN_PATH = "/api/v1/checkins/"
ONLINE_TIMEOUT = (1.0, 1.5)  # (connect, read) seconds: a queue at the door does not wait
RETRY_ONLINE_AFTER = 10.0  # seconds offline after a network failure before trying again
ONLINE, OFFLINE = "online", "offline"
# the server refused this scan's input (a blank or overlong code, a list it does not
# have): decided offline, but the next scan asks the server again
REFUSED_SCAN = frozenset({400, 404})
COUNTER, DOOR = "counter", "door"
MAX_REASON = 300


class OverrideRefused(Exception):
    """An override that cannot be made; `message` says what to fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What the door window shows for one scan. `verdict` is what the scan found (for an
    override, the refusal that was overridden, with `overridden` true and a green
    colour); `previous` the ticket's last movement ("in since 19:42 at gate A") or ""."""

    verdict: Verdict
    words: str
    reason: str
    colour: Colour
    mode: str
    ticket_name: str
    place_text: str
    previous: str
    scan_id: uuid.UUID
    at: datetime
    overridden: bool = False
    kind: str = wire.ENTRY
    double_entry: bool = False  # the server found another entry without an exit between

    @property
    def lets_through(self) -> bool:
        return self.overridden or lets_through(self.verdict)


@dataclass(frozen=True, slots=True)
class CheckinListRow:
    id: int
    event_id: int
    name: str
    gates: tuple[str, ...]
    exits: bool
    reentry: bool


@dataclass(frozen=True, slots=True)
class DoorEvent:
    id: int
    name: str
    starts_at: datetime | None
    lists: int


def _now() -> datetime:
    return datetime.now(UTC)


# -- what to scan for ---------------------------------------------------------------------------


def device_duty(*, ctx: PosContext) -> str:
    """This device's duty, "counter" or "door" (set by an admin; the `device` feed)."""
    with ctx.db.transaction() as session:
        duty = session.scalar(select(Device.duty).where(Device.id == 1))
    return duty or COUNTER


def door_events(*, ctx: PosContext) -> list[DoorEvent]:
    """Events with check-in lists: today's first (the venue's day), then the coming ones,
    then past ones (latest first)."""
    with ctx.db.transaction() as session:
        counts = dict(
            session.execute(
                select(CheckinList.event_id, func.count()).group_by(CheckinList.event_id)
            ).all()
        )
        events = session.scalars(select(Event).where(Event.id.in_(counts))).all()
        rows = [DoorEvent(e.id, e.name, e.starts_at, int(counts[e.id])) for e in events]
    today = venue_time.local(_now()).date()

    def day(row: DoorEvent) -> date | None:
        return venue_time.local(row.starts_at).date() if row.starts_at else None

    def order(row: DoorEvent) -> tuple[int, float]:
        d = day(row)
        stamp = row.starts_at.timestamp() if row.starts_at else 0.0
        if d == today:
            return (0, stamp)
        if d is None or d > today:
            return (1, stamp)
        return (2, -stamp)

    return sorted(rows, key=order)


def checkin_lists(*, ctx: PosContext, event_id: int) -> list[CheckinListRow]:
    with ctx.db.transaction() as session:
        rows = session.scalars(
            select(CheckinList).where(CheckinList.event_id == event_id).order_by(CheckinList.name)
        ).all()
        return [
            CheckinListRow(
                r.id, r.event_id, r.name, tuple(str(g) for g in r.gates or ()), r.exits, r.reentry
            )
            for r in rows
        ]


# -- scanning -----------------------------------------------------------------------------------


def current_mode(*, ctx: PosContext) -> str:
    """ "online" when the next scan will ask the server (a server session, and no network
    failure in the last `RETRY_ONLINE_AFTER` seconds), else "offline"."""
    if time.monotonic() < door_cache.offline_until(ctx.db):
        return OFFLINE
    with ctx.db.transaction() as session:
        registered = session.scalar(select(Device.id).where(Device.id == 1)) is not None
    return ONLINE if registered and ctx.secrets.get(Secret.USER_TOKEN) else OFFLINE


def server_is_back(*, ctx: PosContext) -> None:
    """The server answers again (the sync's ping saw it): the next scan asks it at once."""
    door_cache.went_offline(ctx.db, 0.0)


def _result(row: DoorScan, *, double_entry: bool | None = None) -> ScanResult:
    verdict = Verdict(row.verdict)
    if row.overridden:
        words = f"Let in by {row.override_by}" if row.kind == wire.ENTRY else "Let out"
        colour, reason = Colour.GREEN, row.override_reason
    else:
        words, colour, reason = WORDS[verdict], colour_of(verdict), row.reason
    return ScanResult(
        verdict=verdict,
        words=words,
        reason=reason,
        colour=colour,
        mode=row.mode,
        ticket_name=row.ticket_name,
        place_text=row.place,
        previous=row.previous,
        scan_id=row.id,
        at=row.at,
        overridden=row.overridden,
        kind=row.kind,
        double_entry=row.double_entry if double_entry is None else double_entry,
    )


def _queue(session: Session, row: DoorScan, *, approval: dict | None = None) -> None:
    op = wire.Checkin(
        id=row.id,
        code=row.code,
        list=row.list_id,
        gate=row.gate,
        kind=row.kind,
        scanned_at=row.at,
        verdict=row.verdict,
        override_reason=row.override_reason,
        override_by=row.override_by,
        approval=approval,
    )
    outbox_service.enqueue(session, type=wire.CHECKIN, payload=op.to_wire(), op_id=row.id)


def scan(
    *,
    ctx: PosContext,
    code: str,
    list_id: int,
    gate: str,
    kind: str = wire.ENTRY,
    online: bool | None = None,
    user: str = "",
) -> ScanResult:
    """One scan's verdict, logged here. `online`: None tries the server when there is a
    server session (and it did not just fail), True always tries it, False never."""
    if kind not in wire.CHECKIN_KINDS:
        raise ValueError(f"kind must be entry or exit, not {kind!r}")
    code = (code or "").strip()
    scan_id, at = uuid.uuid4(), _now()
    if online is not False and (online or time.monotonic() >= door_cache.offline_until(ctx.db)):
        answered = _scan_online(
            ctx,
            scan_id=scan_id,
            at=at,
            code=code,
            list_id=list_id,
            gate=gate,
            kind=kind,
            user=user,
        )
        if answered is not None:
            return answered
    return _scan_offline(
        ctx, scan_id=scan_id, at=at, code=code, list_id=list_id, gate=gate, kind=kind, user=user
    )


def _scan_offline(
    ctx: PosContext,
    *,
    scan_id: uuid.UUID,
    at: datetime,
    code: str,
    list_id: int,
    gate: str,
    kind: str,
    user: str,
) -> ScanResult:
    with ctx.db.transaction() as session:
        cache = door_cache.current(ctx.db, session)
        found = door_verdicts.decide(
            session, cache, code=code, rule=cache.lists.get(list_id), gate=gate, kind=kind, now=at
        )
        row = _log(session, found, scan_id, at, code, list_id, gate, kind, OFFLINE, user)
        _queue(session, row)
        return _result(row)


def _log(
    session: Session,
    found: door_verdicts.Decision,
    scan_id: uuid.UUID,
    at: datetime,
    code: str,
    list_id: int,
    gate: str,
    kind: str,
    mode: str,
    user: str,
    server_verdict: str | None = None,
    double_entry: bool = False,
) -> DoorScan:
    row = DoorScan(
        id=scan_id,
        at=at,
        code=code[:1024],
        line_id=found.line_id,
        event_id=found.event_id,
        ticket_id=found.ticket_id,
        list_id=list_id,
        gate=gate,
        kind=kind,
        verdict=found.verdict.value,
        reason=found.reason[:MAX_REASON],
        ticket_name=found.ticket_name[:200],
        place=found.place[:300],
        previous=found.previous[:200],
        mode=mode,
        user=user,
        server_verdict=server_verdict,
        double_entry=double_entry,
    )
    session.add(row)
    session.flush()
    return row


def _scan_online(
    ctx: PosContext,
    *,
    scan_id: uuid.UUID,
    at: datetime,
    code: str,
    list_id: int,
    gate: str,
    kind: str,
    user: str,
) -> ScanResult | None:
    """The server's verdict, logged here; None when it cannot be had (go offline)."""
    client = ctx.user_client()
    if client is None:
        return None
    client.timeout = ONLINE_TIMEOUT
    body = {
        "id": str(scan_id),
        "code": code,
        "list": list_id,
        "gate": gate,
        "kind": kind,
        "scanned_at": at.isoformat(),
    }
    try:
        answer = client.post(SCAN_PATH, body)
    except ServerUnreachable as exc:
        log.info("online scan failed (%s): deciding offline", exc.message)
        door_cache.went_offline(ctx.db, RETRY_ONLINE_AFTER)
        return None
    except ApiError as exc:
        log.warning("online scan refused (%s): deciding offline", exc)
        if exc.status not in REFUSED_SCAN:  # no session any more, a server that does not
            door_cache.went_offline(ctx.db, RETRY_ONLINE_AFTER)  # scan yet...: wait a while
        return None
    finally:
        client.close()
    answer = answer if isinstance(answer, dict) else {}
    try:
        verdict = Verdict(str(answer.get("verdict")))
    except ValueError:
        log.warning("the server answered an unknown verdict %r: deciding offline", answer)
        return None
    with ctx.db.transaction() as session:
        cache = door_cache.current(ctx.db, session)
        local = door_verdicts.decide(  # names and place for the screen; the server decides
            session, cache, code=code, rule=cache.lists.get(list_id), gate=gate, kind=kind, now=at
        )
        found = door_verdicts.Decision(
            verdict,
            str(answer.get("reason") or answer.get("message") or ""),
            line_id=str(answer.get("line") or local.line_id),
            event_id=local.event_id,
            ticket_id=_int(answer.get("ticket_id")) or local.ticket_id,
            ticket_name=str(answer.get("ticket") or local.ticket_name),
            place=_place(answer) or local.place,
            previous=_previous(answer) or (local.previous if verdict is local.verdict else ""),
        )
        row = _log(
            session,
            found,
            scan_id,
            at,
            code,
            list_id,
            gate,
            kind,
            ONLINE,
            user,
            server_verdict=verdict.value,
            double_entry=bool(answer.get("double_entry")),
        )
        return _result(row)


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int) or str(value or "").isdigit() else None


def _place(answer: dict[str, Any]) -> str:
    """ "Stalls, row C, seat 12" or the standing area, from the server's answer."""
    if answer.get("seat"):
        parts = [answer.get("section"), f"row {answer['row']}" if answer.get("row") else ""]
        return ", ".join(str(p) for p in (*parts, f"seat {answer['seat']}") if p)
    return str(answer.get("area") or "")


def _previous(answer: dict[str, Any]) -> str:
    """ "in since 19:42 at gate A" from the server's `previous {at, gate, kind?}`."""
    previous = answer.get("previous")
    if not isinstance(previous, dict) or not previous.get("at"):
        return ""
    try:
        moment = datetime.fromisoformat(str(previous["at"]))
    except ValueError:
        return ""
    state = "out" if previous.get("kind") == wire.EXIT else "in"
    gate = str(previous.get("gate") or "")
    return f"{state} since {venue_time.text(moment, '%H:%M')}" + (
        f" at gate {gate}" if gate else ""
    )


# -- a supervisor's override ----------------------------------------------------------------------


def override(
    *, ctx: PosContext, scan_id: uuid.UUID, reason: str, supervisor: str, password: str
) -> ScanResult:
    """Let in (or out) the person of a refused scan; raises `OverrideRefused` saying what to
    fix (no reason, a wrong password, not an administrator, nothing to override)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise OverrideRefused("Give a reason for letting this person in.")
    if len(reason) > MAX_REASON:
        raise OverrideRefused(f"The reason is at most {MAX_REASON} characters.")
    with ctx.db.transaction() as session:
        refused = session.get(DoorScan, scan_id)
        if refused is not None:
            session.expunge(refused)
    if refused is None:
        raise OverrideRefused("That scan is not on this device.")
    if refused.overridden or lets_through(refused.verdict):
        raise OverrideRefused("Nothing to override: this scan let the person through.")
    scan_id = uuid.uuid4()
    # the server takes the override on this signed approval, not on the supervisor's name
    request = approvals.ApprovalRequest(
        kind=wire.DOOR_OVERRIDE, subject=str(scan_id), figures={"reason": reason}
    )
    approval = approvals.approve(
        ctx=ctx,
        username=supervisor,
        password=password,
        request=request,
        right=Right.DOOR_OVERRIDE,
    )
    if not approval.ok:
        raise OverrideRefused(approval.message)
    if approval.proof is None and approval.username != refused.user:
        raise OverrideRefused(
            f"{approval.username} has not signed in on this device yet, so the override "
            "could not be signed here. Sign in once while the server answers, or let the "
            "supervisor scan the ticket."
        )
    with ctx.db.transaction() as session:
        row = DoorScan(
            id=scan_id,
            at=_now(),
            code=refused.code,
            line_id=refused.line_id,
            event_id=refused.event_id,
            ticket_id=refused.ticket_id,
            list_id=refused.list_id,
            gate=refused.gate,
            kind=refused.kind,
            verdict=refused.verdict,
            reason=refused.reason,
            ticket_name=refused.ticket_name,
            place=refused.place,
            previous=refused.previous,
            mode=refused.mode,
            user=refused.user,
            overridden=True,
            override_reason=reason,
            override_by=approval.username,
            override_of=refused.id,
        )
        session.add(row)
        session.flush()
        _queue(session, row, approval=approval.proof)
        return _result(row)


# -- what the window lists ----------------------------------------------------------------------


def recent_scans(*, ctx: PosContext, limit: int = 10) -> list[ScanResult]:
    """This device's last scans, newest first."""
    with ctx.db.transaction() as session:
        rows = session.scalars(select(DoorScan).order_by(DoorScan.at.desc()).limit(limit)).all()
        return [_result(r) for r in rows]


def door_counts(*, ctx: PosContext, list_id: int) -> tuple[int, int, int]:
    """(entries, exits, inside now) on a list, as this device knows them: the server's
    records and this device's own scans (one scan counted once)."""
    with ctx.db.transaction() as session:
        moves: dict[uuid.UUID, tuple[str, str, datetime]] = {}
        records = session.execute(
            select(
                CheckinRecord.id,
                CheckinRecord.line_id,
                CheckinRecord.kind,
                CheckinRecord.verdict,
                CheckinRecord.at,
            ).where(CheckinRecord.list_id == list_id)
        )
        for rid, line, kind, verdict, at in records:
            if verdict in door_verdicts.SERVER_MOVES:
                moves[rid] = (line, kind, at)
        own = session.execute(
            select(
                DoorScan.id,
                DoorScan.line_id,
                DoorScan.kind,
                DoorScan.verdict,
                DoorScan.overridden,
                DoorScan.at,
            ).where(DoorScan.list_id == list_id)
        )
        for sid, line, kind, verdict, overridden, at in own:
            if overridden or lets_through(verdict):
                moves[sid] = (line, kind, at)
            else:
                moves.pop(sid, None)
    entries = sum(1 for _, kind, _ in moves.values() if kind == wire.ENTRY)
    exits = len(moves) - entries
    last: dict[str, tuple[datetime, str]] = {}
    for line, kind, at in moves.values():
        if line not in last or at >= last[line][0]:
            last[line] = (at, kind)
    inside = sum(1 for _, kind in last.values() if kind == wire.ENTRY)
    return entries, exits, inside
