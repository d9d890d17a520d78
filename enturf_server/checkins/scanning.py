"""One scan at a door, judged and recorded: online (`POST /checkins/`, the server decides)
or pushed after the fact (op `checkin`, the door decided offline and the server records
what it did, with its own verdict beside it).

The order of the checks: the code (signature, the line on record: superseded, refunded,
cancelled, not paid -> `unknown` / `refunded` / ...), the event, the list (its tickets,
gates, time window, exit scanning), then where the ticket is: the scans of the same line
on the same list, replayed in the order they were made (`scanned_at`), say whether it is
inside. The line's row is locked first (`select_for_update`), so two gates scanning one
ticket at once give one `admitted` and one `already_in`.

A push reads what its scans need in a few queries before the first is judged
(`ScanReader.preload`): the lines their codes name, their earlier scans, the lists.

A code a counter signed offline whose sale has not reached the server yet (its line is
unknown, its key a registered device's) is judged on that signature: admitted, recorded
with the line id from the code, and linked to the line when the sale arrives
(`checkins.admissions`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from enturf_core.checkin_verdicts import Verdict, lets_through
from enturf_server.accounts.models import Device
from enturf_server.api.model_rows import insert_rows
from enturf_server.audit import services as audit
from enturf_server.catalog.local_time import local, venue_zone
from enturf_server.checkins import feed
from enturf_server.checkins.models import CheckinList, CheckinRecord, Kind
from enturf_server.sales.models import BookingLine
from enturf_server.sync import changes
from enturf_server.ticketing import verification as ver
from enturf_server.ticketing.selectors import keyring
from enturf_server.ticketing.verification import Verification, verify_ticket

_REFUSALS = {
    ver.NOT_PAID: Verdict.NOT_PAID,
    ver.REFUNDED: Verdict.REFUNDED,
    ver.CANCELLED: Verdict.CANCELLED,
}
_UNKNOWN_WORDS = {
    ver.UNKNOWN_LINE: "The server knows no such ticket.",
    ver.CLAIMS_MISMATCH: "The code does not match the ticket on record.",
    ver.SUPERSEDED: "This code was replaced by a newer one (the ticket was reissued).",
    "malformed": "This is not a ticket code.",
    "unknown_key": "The code was not signed by this box office.",
    "bad_signature": "The code was altered: its signature does not match.",
    "key_retired": "The code was signed with a key retired before it was issued.",
    "unsupported_version": "This ticket code format is not supported.",
}
MOVEMENTS = (Verdict.ADMITTED, Verdict.EXITED)


@dataclass(frozen=True)
class Scan:
    id: uuid.UUID
    code: str
    checkin_list: CheckinList
    gate: str
    kind: str
    scanned_at: datetime
    user: object
    device: Device | None
    offline: bool = False
    door_verdict: str | None = None  # offline: what the device showed
    override_reason: str = ""
    override_by: object = None


@dataclass(frozen=True)
class Outcome:
    record: CheckinRecord
    created: bool


@dataclass(frozen=True)
class _Judged:
    verdict: Verdict
    reason: str
    line: BookingLine | None = None
    line_ref: uuid.UUID | None = None


def _order(row: CheckinRecord) -> tuple:
    return (row.scanned_at, row.received_at or timezone.now(), str(row.pk))


class ScanReader:
    """What judging a scan reads: from the database one scan at a time, or preloaded for
    the scans of a push (`preload`), then kept up to date as they are recorded."""

    def __init__(self, ring: tuple[Mapping, Mapping] | None = None) -> None:
        self.ring = ring
        self._known: dict[uuid.UUID, CheckinRecord] | None = None
        self._lines: dict[uuid.UUID, BookingLine] | None = None
        self._timelines: dict[tuple[int, uuid.UUID], list[CheckinRecord]] = {}
        self._deferred: set[uuid.UUID] = set()
        self._tickets: dict[int, frozenset[int]] = {}

    @classmethod
    def preload(cls, scans: list[tuple[uuid.UUID, str, int]]) -> ScanReader:
        """For (scan id, code, list id) of many scans: the records already made with those
        ids, the lines the codes name (locked, in id order), and their earlier entries
        and exits on those lists, in five queries."""
        reader = cls(keyring())
        reader._known = {
            r.pk: r for r in CheckinRecord.objects.filter(pk__in=[s[0] for s in scans])
        }
        refs = {ref for _id, code, _list in scans if (ref := feed.claimed_line(code))}
        # what judging reads of a line (its booking's state and event, its ticket's name);
        # not its place, which a pushed scan's answer does not carry
        lines = BookingLine.objects.select_related("booking", "ticket").filter(pk__in=refs)
        if connection.features.has_select_for_update:
            lines = lines.select_for_update(of=("self",)).order_by("pk")
        reader._lines = {line.pk: line for line in lines}
        reader._timelines = {}
        rows = CheckinRecord.objects.filter(
            line_ref__in=refs,
            checkin_list_id__in={s[2] for s in scans},
            verdict__in=MOVEMENTS,
        )
        for row in sorted(rows, key=_order):
            reader._timelines.setdefault((row.checkin_list_id, row.line_ref), []).append(row)
        return reader

    @property
    def preloaded(self) -> bool:
        return self._known is not None

    def known(self, scan_id: uuid.UUID) -> CheckinRecord | None:
        if self._known is not None:
            return self._known.get(scan_id)
        return CheckinRecord.objects.filter(pk=scan_id).first()

    def verification(self, code: str) -> Verification:
        return verify_ticket(code=code, ring=self.ring, lines=self._lines)

    def lock(self, line: BookingLine | None, listing: CheckinList) -> None:
        """Serialise scans of one ticket: its line's row, or (a line not on the server
        yet) the list's. Preloaded lines are locked already."""
        if not connection.features.has_select_for_update:
            return  # SQLite: one writer at a time anyway
        if line is not None:
            if self._lines is None:
                BookingLine.objects.select_for_update().filter(pk=line.pk).values_list("pk").first()
        else:
            CheckinList.objects.select_for_update().filter(pk=listing.pk).values_list("pk").first()

    def timeline(self, listing: CheckinList, line_ref: uuid.UUID) -> list[CheckinRecord]:
        """The ticket's entries and exits on `listing`, in the order they were made."""
        key = (listing.pk, line_ref)
        if key not in self._timelines:
            rows: list[CheckinRecord] = []
            if not self.preloaded:  # preloaded: a ticket without any is not in the dict
                rows = sorted(
                    CheckinRecord.objects.filter(
                        checkin_list=listing, line_ref=line_ref, verdict__in=MOVEMENTS
                    ),
                    key=_order,
                )
            self._timelines[key] = rows
        return self._timelines[key]

    def ticket_ids(self, listing: CheckinList) -> frozenset[int]:
        """The tickets `listing` admits (empty: all), from its prefetched `tickets`."""
        if listing.pk not in self._tickets:
            self._tickets[listing.pk] = frozenset(t.pk for t in listing.tickets.all())
        return self._tickets[listing.pk]

    def recorded(self, record: CheckinRecord) -> None:
        if self._known is not None:
            self._known[record.pk] = record
            self._deferred.add(record.pk)

    def is_deferred(self, record: CheckinRecord) -> bool:
        """Recorded in this push, not inserted yet."""
        return record.pk in self._deferred


def record_scan(scan: Scan, *, reader: ScanReader | None = None) -> Outcome:
    """Judge and record `scan` once: a replay (same id) returns the record made first."""
    reader = reader or ScanReader()
    existing = reader.known(scan.id)
    if existing is not None:
        return Outcome(existing, False)
    # The code and its line are read before the transaction (SQLite holds its one write
    # lock for the whole of it); where the ticket is, is read under the line's lock.
    checked = reader.verification(scan.code)
    # inside a push the op's savepoint is the transaction: no second one
    with nullcontext() if changes.deferring() else changes.atomic():
        judged = _judge(scan, checked, reader)
        timeline = reader.timeline(scan.checkin_list, judged.line_ref) if judged.line_ref else []
        door = Verdict(scan.door_verdict) if scan.door_verdict else judged.verdict
        override = bool(scan.override_reason) and not lets_through(door)
        if override:
            door = Verdict.EXITED if scan.kind == Kind.EXIT else Verdict.ADMITTED
        user = scan.user if getattr(scan.user, "is_authenticated", False) else None
        overrider = scan.override_by if override else None
        # by ids (a related object set through its descriptor costs more than the rest of
        # the row); the objects the answer reads are put in the instance's cache
        record = CheckinRecord(
            id=scan.id,
            checkin_list_id=scan.checkin_list.pk,
            event_id=scan.checkin_list.event_id,
            line_id=judged.line.pk if judged.line is not None else None,
            line_ref=judged.line_ref,
            code_digest=""
            if judged.line_ref
            else hashlib.sha256(scan.code.encode("utf-8", "replace")).hexdigest(),
            gate=scan.gate,
            device_id=scan.device.pk if scan.device is not None else None,
            user_id=user.pk if user is not None else None,
            kind=scan.kind,
            scanned_at=scan.scanned_at,
            received_at=timezone.now(),
            verdict=door,
            server_verdict=judged.verdict,
            reason=judged.reason[:300],
            offline=scan.offline,
            override_reason=scan.override_reason[:500] if override else "",
            override_by_id=overrider.pk if overrider is not None else None,
        )
        _cache(record, checkin_list=scan.checkin_list, line=judged.line, override_by=overrider)
        changed: list[CheckinRecord] = []
        if record.line_ref is not None and door in MOVEMENTS:
            timeline.append(record)
            timeline.sort(key=_order)
            changed = _flag_double_entries(scan.checkin_list, timeline)
            record.version = 1  # new: its flag is its first state
        if reader.preloaded:
            # a push: its scans go in one statement at its end (its earlier scans read
            # first; one taken meanwhile by a concurrent push of the same scan is skipped)
            changes.defer_insert(record, keep=("received_at",), ignore_conflicts=True)
        else:
            try:
                with transaction.atomic():
                    insert_rows([record], connection, keep=("received_at",))
            except IntegrityError:  # the same scan sent twice at once: the first one stands
                if record in timeline:
                    timeline.remove(record)
                return Outcome(CheckinRecord.objects.get(pk=scan.id), False)
        if override:  # a supervisor's override: in the audit trail with the scan
            audit.record(
                actor=record.override_by,
                action="door.override",
                obj=record,
                device=scan.device,
                details={
                    "reason": record.override_reason,
                    "refused": judged.verdict.value,
                    "let": door.value,
                    "list": scan.checkin_list.pk,
                    "gate": scan.gate,
                    "steward": getattr(record.user, "username", ""),
                    "offline": scan.offline,
                },
            )
        earlier = [row for row in changed if row.pk != record.pk]
        stored = [row for row in earlier if not reader.is_deferred(row)]
        if stored:
            CheckinRecord.objects.bulk_update(stored, ["double_entry", "version"])
        for row in earlier:  # a deferred one is inserted with its flag as it is now
            feed.emit_record(row)
        feed.emit_record(record)
        reader.recorded(record)
    return Outcome(record, True)


def _cache(record: CheckinRecord, **related: object) -> None:
    """Related objects the caller has, as if read with the record (None: none)."""
    for name, obj in related.items():
        CheckinRecord._meta.get_field(name).set_cached_value(record, obj)


_PENDING_REASON = "Sold offline by a counter; admitted on the counter's signature."


def _judge(scan: Scan, checked: Verification, reader: ScanReader) -> _Judged:
    listing = scan.checkin_list
    claims = checked.claims
    if claims is None:
        return _Judged(Verdict.UNKNOWN, _UNKNOWN_WORDS.get(checked.reason or "", checked.message))
    try:
        line_ref = uuid.UUID(str(claims.line_id))
    except ValueError:
        return _Judged(Verdict.UNKNOWN, _UNKNOWN_WORDS[ver.UNKNOWN_LINE])
    line = checked.line
    if str(claims.event_id) != str(listing.event_id):
        return _Judged(Verdict.WRONG_EVENT, "This ticket is for another event.", line, line_ref)
    pending = checked.reason == ver.UNKNOWN_LINE and (checked.signed_by or "").startswith("device:")
    if not checked.valid and not pending:
        if verdict := _REFUSALS.get(checked.reason or ""):
            return _Judged(verdict, checked.message, line, line_ref)
        return _Judged(
            Verdict.UNKNOWN, _UNKNOWN_WORDS.get(checked.reason or "", checked.message), None
        )
    if line is not None:
        ticket_ids = reader.ticket_ids(listing)
        if ticket_ids and line.ticket_id not in ticket_ids:
            return _Judged(
                Verdict.WRONG_LIST,
                f"{line.ticket.name} tickets do not enter at {listing.name}.",
                line,
                line_ref,
            )
    if listing.gates and scan.gate not in listing.gates:
        gates = ", ".join(listing.gates)
        return _Judged(
            Verdict.WRONG_GATE, f"This ticket enters at {gates}, not here.", line, line_ref
        )
    zone = venue_zone(listing.event.seat_map.venue)
    if listing.starts_at and scan.scanned_at < listing.starts_at:
        opens = local(listing.starts_at, zone)
        return _Judged(
            Verdict.NOT_YET_VALID, f"Doors open at {opens:%H:%M} on {opens:%d %b}.", line, line_ref
        )
    if listing.ends_at and scan.scanned_at > listing.ends_at:
        closed = local(listing.ends_at, zone)
        return _Judged(
            Verdict.EXPIRED, f"Entry closed at {closed:%H:%M} on {closed:%d %b}.", line, line_ref
        )
    if scan.kind == Kind.EXIT and not listing.exits:
        return _Judged(Verdict.WRONG_LIST, f"{listing.name} does not scan exits.", line, line_ref)
    reader.lock(line, listing)
    return _where_is(scan, line, line_ref, pending, zone, reader.timeline(listing, line_ref))


def _where_is(
    scan: Scan, line, line_ref: uuid.UUID, pending: bool, zone, timeline: list[CheckinRecord]
) -> _Judged:
    listing = scan.checkin_list
    inside, entered, left = False, None, None
    for row in timeline:
        # online, the server decides now: every scan recorded so far counts (a scan stamped
        # before it waited for the lock is still judged after the one that held it);
        # offline, the door's scan is judged where it falls among the others
        if scan.offline and row.scanned_at > scan.scanned_at:
            break
        if row.verdict == Verdict.ADMITTED:
            inside, entered = True, row
        else:
            inside, left = False, row
    free_reentry = listing.reentry and not listing.exits  # any number of entries
    if scan.kind == Kind.EXIT:
        if inside:
            return _Judged(Verdict.EXITED, "Exit recorded.", line, line_ref)
        return _Judged(Verdict.NOT_IN, "This ticket is not inside.", line, line_ref)
    if inside and not free_reentry:
        at = local(entered.scanned_at, zone)
        where = f" at {entered.gate}" if entered.gate else ""
        return _Judged(Verdict.ALREADY_IN, f"Already in since {at:%H:%M}{where}.", line, line_ref)
    if left is not None and not listing.reentry:
        at = local(left.scanned_at, zone)
        return _Judged(
            Verdict.ALREADY_IN,
            f"Went out at {at:%H:%M}; this entrance does not allow re-entry.",
            line,
            line_ref,
        )
    if pending:
        return _Judged(Verdict.ADMITTED, _PENDING_REASON, None, line_ref)
    return _Judged(Verdict.ADMITTED, "Valid ticket.", line, line_ref)


def _flag_double_entries(
    listing: CheckinList, timeline: list[CheckinRecord]
) -> list[CheckinRecord]:
    """Replay the ticket's entries and exits on `listing` in scan order and mark each
    entry made while it was already inside (an override is no double entry: a supervisor
    chose it). Returns the records whose flag changed (with a new version)."""
    free_reentry = listing.reentry and not listing.exits
    inside, changed = False, []
    for row in timeline:
        double = False
        if row.verdict == Verdict.ADMITTED:
            double = inside and not free_reentry and not row.override_reason
            inside = True
        else:
            inside = False
        if row.double_entry != double:
            row.double_entry = double
            row.version += 1
            changed.append(row)
    return changed


def previous_entry(record: CheckinRecord) -> CheckinRecord | None:
    """The entry before `record` of the same ticket on the same list (for "already in")."""
    if record.line_ref is None:
        return None
    return (
        CheckinRecord.objects.filter(
            checkin_list_id=record.checkin_list_id,
            line_ref=record.line_ref,
            verdict=Verdict.ADMITTED,
            scanned_at__lte=record.scanned_at,
        )
        .exclude(pk=record.pk)
        .order_by("-scanned_at", "-received_at")
        .first()
    )
