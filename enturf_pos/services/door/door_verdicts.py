"""The offline verdict of a door scan, from what this device knows (no network here).

In order: the signature (cached server and counters' keys: a forged, tampered or unknown
code is `unknown`); the event; the line's admission (refunded, cancelled, not paid, or a
code replaced by a newer one); the list's rules (its tickets, gates and time window);
then the ticket's movements, from the server's records (`checkin` feed) and this device's
own scans: already in, not in, re-entry.

A genuine code whose line the door has not heard of yet (sold since the last sync, or
sold offline by a counter, whose device key signed it) is admitted: the signature is the
proof, and revocations travel as admissions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from enturf_core.checkin_verdicts import Verdict, lets_through
from enturf_core.ticket_codes import InvalidTicketCode, Reason, TicketClaims, verify
from enturf_core.wire.ops import ENTRY, EXIT
from enturf_pos.models import Admission, Area, CheckinRecord, DoorScan, Seat
from enturf_pos.services import venue_time
from enturf_pos.services.door.door_cache import DoorCache, ListRule, signer_device

CODE_REASONS = {
    Reason.MALFORMED: "This is not an Enturf ticket code.",
    Reason.UNKNOWN_KEY: "Signed by a key this door does not know: forged, or from a counter "
    "registered since the last sync.",
    Reason.BAD_SIGNATURE: "The code was altered or forged: its signature does not match.",
    Reason.KEY_RETIRED: "Signed with a key that was retired before the ticket was issued.",
    Reason.UNSUPPORTED_VERSION: "A ticket code of a newer version than this device reads.",
}
STATE_VERDICTS = {
    "refunded": (Verdict.REFUNDED, "This ticket was refunded."),
    "cancelled": (Verdict.CANCELLED, "This ticket was cancelled."),
    "not_paid": (Verdict.NOT_PAID, "The booking of this ticket is not paid."),
}
SERVER_MOVES = {Verdict.ADMITTED.value: ENTRY, Verdict.EXITED.value: EXIT}


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    reason: str
    line_id: str = ""
    event_id: int | None = None
    ticket_id: int | None = None
    ticket_name: str = ""
    place: str = ""
    previous: str = ""


@dataclass(frozen=True, slots=True)
class Movement:
    kind: str  # entry or exit
    at: datetime
    gate: str


def place_text(session: Session, seat_id: object, area_id: object) -> str:
    """ "Stalls, row C, seat 12", or the standing area's name."""
    if seat_id is not None and str(seat_id).isdigit():
        seat = session.get(Seat, int(str(seat_id)))
        if seat is not None:
            parts = [seat.section, f"row {seat.row}" if seat.row else "", f"seat {seat.label}"]
            return ", ".join(p for p in parts if p)
        return f"Seat {seat_id}"
    if area_id is not None and str(area_id).isdigit():
        area = session.get(Area, int(str(area_id)))
        return area.name if area is not None else f"Standing area {area_id}"
    return ""


def movements(session: Session, line_id: str, list_id: int) -> list[Movement]:
    """The ticket's entries and exits on a list in time order (as the server counts them):
    every device's (the server's records) and this device's own scans that let the person
    through (or were overridden)."""
    moves: dict[object, Movement] = {}
    records = select(CheckinRecord).where(
        CheckinRecord.line_id == line_id, CheckinRecord.list_id == list_id
    )
    for rec in session.scalars(records):
        if (kind := SERVER_MOVES.get(rec.verdict)) is not None:
            moves[rec.id] = Movement(kind, rec.at, rec.gate)
    own_scans = select(DoorScan).where(DoorScan.line_id == line_id, DoorScan.list_id == list_id)
    for own in session.scalars(own_scans):
        if own.overridden or lets_through(own.verdict):
            moves[own.id] = Movement(own.kind, own.at, own.gate)
        else:
            moves.pop(own.id, None)  # the server may have admitted a refused scan: ours shows
    return sorted(moves.values(), key=lambda m: m.at)


def _at(moment: datetime, gate: str) -> str:
    where = f" at gate {gate}" if gate else ""
    return f"{venue_time.text(moment, '%H:%M')}{where}"


def decide(
    session: Session,
    cache: DoorCache,
    *,
    code: str,
    rule: ListRule | None,
    gate: str,
    kind: str,
    now: datetime,
) -> Decision:
    if rule is None:
        return Decision(Verdict.WRONG_LIST, "This check-in list is not on this device: sync.")
    try:
        claims = verify(code, cache.keyring)
    except InvalidTicketCode as exc:
        return Decision(Verdict.UNKNOWN, CODE_REASONS.get(exc.reason, exc.message))
    return _decide_claims(session, cache, claims, rule=rule, gate=gate, kind=kind, now=now)


def _decide_claims(
    session: Session,
    cache: DoorCache,
    claims: TicketClaims,
    *,
    rule: ListRule,
    gate: str,
    kind: str,
    now: datetime,
) -> Decision:
    line_id = str(claims.line_id)
    admission = session.get(Admission, line_id)
    ticket_id = admission.ticket_id if admission is not None else None
    seat = admission.seat_id if admission is not None else claims.seat_id
    area = admission.area_id if admission is not None else claims.area_id
    event_id = int(claims.event_id) if str(claims.event_id).isdigit() else None

    def decision(verdict: Verdict, reason: str, previous: str = "") -> Decision:
        return Decision(
            verdict,
            reason,
            line_id=line_id,
            event_id=event_id,
            ticket_id=ticket_id,
            ticket_name=cache.ticket_names.get(ticket_id, "") if ticket_id is not None else "",
            place=place_text(session, seat, area),
            previous=previous,
        )

    if event_id != rule.event_id:
        other = cache.event_names.get(event_id or 0)
        return decision(
            Verdict.WRONG_EVENT, f"This ticket is for {other}." if other else "Another event."
        )
    if admission is not None:
        if admission.state in STATE_VERDICTS:
            return decision(*STATE_VERDICTS[admission.state])
        if admission.nonce and admission.nonce != claims.nonce:
            return decision(
                Verdict.UNKNOWN, "This code was replaced by a newer one (the ticket was reissued)."
            )
    if rule.tickets and ticket_id is not None and ticket_id not in rule.tickets:
        return decision(Verdict.WRONG_LIST, f"{rule.name} does not admit this ticket type.")
    if rule.gates and gate not in rule.gates:
        return decision(
            Verdict.WRONG_GATE, f"Valid at gate {', '.join(rule.gates)}, not at gate {gate}."
        )
    if rule.starts_at is not None and now < rule.starts_at:
        return decision(
            Verdict.NOT_YET_VALID, f"Doors open at {venue_time.text(rule.starts_at, '%H:%M')}."
        )
    if rule.ends_at is not None and now > rule.ends_at:
        return decision(
            Verdict.EXPIRED, f"Entry closed at {venue_time.text(rule.ends_at, '%H:%M')}."
        )
    if kind == EXIT and not rule.exits:
        return decision(Verdict.WRONG_LIST, f"{rule.name} does not scan exits.")
    moves = movements(session, line_id, rule.id)
    last = moves[-1] if moves else None
    if kind == EXIT:
        if last is None or last.kind == EXIT:
            return decision(Verdict.NOT_IN, "This ticket is not inside.")
        return decision(Verdict.EXITED, "Exit recorded.", f"in since {_at(last.at, last.gate)}")
    free_reentry = rule.reentry and not rule.exits  # any number of entries
    if last is not None and last.kind == ENTRY and free_reentry:
        return decision(Verdict.ADMITTED, "Back in.", f"in since {_at(last.at, last.gate)}")
    if last is not None and last.kind == ENTRY:
        return decision(
            Verdict.ALREADY_IN,
            f"Entered at {_at(last.at, last.gate)}, and no exit since.",
            f"in since {_at(last.at, last.gate)}",
        )
    if last is not None and not rule.reentry:
        return decision(
            Verdict.ALREADY_IN,
            f"Went out at {_at(last.at, last.gate)}; {rule.name} allows no re-entry.",
            f"out since {_at(last.at, last.gate)}",
        )
    if last is not None:
        return decision(Verdict.ADMITTED, "Back in.", f"out since {_at(last.at, last.gate)}")
    if admission is None:
        device = signer_device(cache.signer.get(claims.key_id, ""))
        if device is not None:
            seller = cache.device_names.get(device, f"counter {device}")
            return decision(Verdict.ADMITTED, f"Sold at {seller}; not synced here yet.")
        return decision(Verdict.ADMITTED, "A genuine ticket sold since the last sync.")
    return decision(Verdict.ADMITTED, "")
