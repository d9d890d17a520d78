"""What door devices learn through the change feed: `checkin_list`, `admission` (each
booking line of an event that is not over, with its state and the nonce of its current
code) and `checkin` (every recorded scan, so a door knows who is in).

Shapes are `enturf_core.wire.feed` `CheckinList`, `Admission`, `CheckinRecord`. The
snapshot providers are registered on import (`CheckinsConfig.ready()`); services emit the
same shapes in their transactions.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from enturf_core.ticket_codes import claimed_line_id
from enturf_core.wire import feed
from enturf_server.catalog.models import Event
from enturf_server.checkins.models import CheckinList, CheckinRecord
from enturf_server.sales.models import Booking, BookingLine, BookingState, LineState
from enturf_server.sync.changes import emit
from enturf_server.sync.snapshot_registry import SnapshotItem, after_id, snapshot_provider

# an event is over this long after its end (its start when it has no end): its lists,
# admissions and scans leave the snapshot
OVER_AFTER = timedelta(hours=12)

VALID, REFUNDED, CANCELLED, NOT_PAID = "valid", "refunded", "cancelled", "not_paid"
_BOOKING_STATES = {
    BookingState.PENDING: NOT_PAID,
    BookingState.EXPIRED: NOT_PAID,
    BookingState.REFUNDED: REFUNDED,
    BookingState.CANCELLED: CANCELLED,
}


def live_events(prefix: str = "", now: datetime | None = None) -> Q:
    """Events that are not over (see `OVER_AFTER`); `prefix` leads to the event."""
    cutoff = (now or timezone.now()) - OVER_AFTER
    return Q(**{f"{prefix}ends_at__gte": cutoff}) | Q(
        **{f"{prefix}ends_at__isnull": True, f"{prefix}starts_at__gte": cutoff}
    )


def is_live(event: Event) -> bool:
    return (event.ends_at or event.starts_at) >= timezone.now() - OVER_AFTER


# -- shapes ------------------------------------------------------------------------------


def list_data(row: CheckinList, ticket_ids: list[int] | None = None) -> dict[str, Any]:
    if ticket_ids is None:
        ticket_ids = sorted(t.pk for t in row.tickets.all())
    return feed.CheckinList(
        id=row.pk,
        event=row.event_id,
        name=row.name,
        tickets=tuple(ticket_ids),
        gates=tuple(row.gates),
        exits=row.exits,
        reentry=row.reentry,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        version=row.version,
    ).to_wire()


def admission_state(line: BookingLine, booking: Booking) -> str:
    """valid, refunded, cancelled or not_paid, as `ticketing.verification` judges a line."""
    if line.state == LineState.REFUNDED:
        return REFUNDED
    if line.state == LineState.CANCELLED:
        return CANCELLED
    return _BOOKING_STATES.get(booking.state, VALID)


def _unverified_payload(code: str) -> dict[str, Any]:
    """The payload of a code, read without checking its signature (see the callers)."""
    try:
        body = code.split(".")[2]
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (IndexError, ValueError, TypeError):
        return {}
    return payload if isinstance(payload, dict) else {}


def code_nonce(code: str) -> str:
    """The nonce of a signed code (read, not verified: the line's code on record)."""
    return str(_unverified_payload(code).get("n", ""))


def claimed_line(code: str) -> uuid.UUID | None:
    """The line id a code claims, unverified: to read lines ahead of verifying codes."""
    return claimed_line_id(code)


def admission_data(line: BookingLine, booking: Booking) -> dict[str, Any]:
    return feed.Admission(
        id=str(line.pk),
        event=booking.event_id,
        ticket=line.ticket_id,
        state=admission_state(line, booking),
        seat=line.seat_id,
        area=line.area_id,
        nonce=code_nonce(line.ticket_code),
        version=booking.version,
    ).to_wire()


def record_data(record: CheckinRecord) -> dict[str, Any]:
    return feed.CheckinRecord(
        id=str(record.pk),
        line=str(record.line_ref) if record.line_ref else "",
        list=record.checkin_list_id,
        gate=record.gate,
        kind=record.kind,
        at=record.scanned_at,
        verdict=record.verdict,
        device=record.device_id,
        double_entry=record.double_entry,
    ).to_wire()


# -- change-log entries (call inside `sync.changes.atomic()`) -----------------------------


def emit_list(row: CheckinList) -> None:
    emit(feed.CHECKIN_LIST, row.pk, version=row.version, data=list_data(row))


def emit_list_deleted(row_id: int, version: int) -> None:
    emit(feed.CHECKIN_LIST, row_id, op=feed.DELETE, version=version)


def emit_record(record: CheckinRecord) -> None:
    emit(feed.CHECKIN, record.pk, version=record.version, data=record_data(record))


def emit_line_admissions(booking: Booking, lines) -> None:
    """The `admission` of each line of `booking` that ever had a code (the others cannot
    be scanned)."""
    for line in lines:
        if line.ticket_code:
            emit(
                feed.ADMISSION,
                str(line.pk),
                version=booking.version,
                data=admission_data(line, booking),
            )


# -- snapshot providers ------------------------------------------------------------------


def _uuid_after(after: str | None) -> uuid.UUID | None:
    if not after:
        return None
    try:
        return uuid.UUID(after)
    except ValueError:
        return uuid.UUID(int=2**128 - 1)  # past every id: an empty page


@snapshot_provider(feed.CHECKIN_LIST, order=110)
def checkin_lists(*, after: str | None, limit: int) -> list[SnapshotItem]:
    rows = list(
        CheckinList.objects.filter(live_events("event__"), pk__gt=after_id(after))
        .prefetch_related("tickets")
        .order_by("pk")[:limit]
    )
    return [SnapshotItem(row.pk, row.version, list_data(row)) for row in rows]


@snapshot_provider(feed.ADMISSION, order=120, int_ids=False)
def admissions(*, after: str | None, limit: int) -> list[SnapshotItem]:
    lines = BookingLine.objects.filter(live_events("booking__event__")).exclude(ticket_code="")
    start = _uuid_after(after)
    if start is not None:
        lines = lines.filter(pk__gt=start)
    rows = lines.select_related("booking").order_by("pk")[:limit]
    return [
        SnapshotItem(str(line.pk), line.booking.version, admission_data(line, line.booking))
        for line in rows
    ]


@snapshot_provider(feed.CHECKIN, order=130, int_ids=False)
def checkin_records(*, after: str | None, limit: int) -> list[SnapshotItem]:
    records = CheckinRecord.objects.filter(live_events("event__"))
    start = _uuid_after(after)
    if start is not None:
        records = records.filter(pk__gt=start)
    return [
        SnapshotItem(str(r.pk), r.version, record_data(r)) for r in records.order_by("pk")[:limit]
    ]
