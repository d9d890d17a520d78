"""Check-in lists: create, change, delete (admins), and the default "All tickets" list an
event gets when it has none and one is first needed (its lists are read, a door scans
or its figures are asked for, or a line of it gets a code)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from enturf_server.api.errors import Conflict, NotFound, ServiceError
from enturf_server.api.inputs import MAX_ID
from enturf_server.audit.services import record
from enturf_server.catalog.models import Event, Ticket
from enturf_server.checkins import feed
from enturf_server.checkins.models import DEFAULT_LIST_NAME, CheckinList
from enturf_server.sync import changes

MAX_GATES = 100


def ensure_default_list(event: Event) -> None:
    """Give `event` its "All tickets" list if it has no list (inside `changes.atomic()`)."""
    if CheckinList.objects.filter(event=event).exists():
        return
    try:
        with transaction.atomic():  # two first scans at once: one list, the other waits
            row = CheckinList.objects.create(event=event, name=DEFAULT_LIST_NAME, is_default=True)
    except IntegrityError:
        return
    feed.emit_list(row)


def lists_of(event: Event) -> list[CheckinList]:
    with changes.atomic():
        ensure_default_list(event)
    return list(CheckinList.objects.filter(event=event).prefetch_related("tickets"))


def list_of_event(event: Event, list_id: int) -> CheckinList:
    row = None
    if 0 < list_id <= MAX_ID:
        row = CheckinList.objects.filter(event=event, pk=list_id).first()
    if row is None:
        raise NotFound(f"Event {event.pk} has no check-in list {list_id}.", code="not_found")
    return row


def _gates(gates: list[str]) -> list[str]:
    names = []
    for gate in gates:
        name = gate.strip()
        if name and name not in names:
            names.append(name)
    if len(names) > MAX_GATES:
        raise ServiceError(f"At most {MAX_GATES} gates per list.", code="too_many_gates")
    return names


def _tickets(event: Event, ticket_ids: list[int]) -> list[Ticket]:
    tickets = list(Ticket.objects.filter(event=event, pk__in=ticket_ids))
    unknown = sorted(set(ticket_ids) - {t.pk for t in tickets})
    if unknown:
        raise ServiceError(
            f"Not tickets of this event: {unknown[:10]}.",
            code="unknown_tickets",
            details={"tickets": unknown[:100]},
        )
    return tickets


def _check_window(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        raise ServiceError(
            "The list's window must end after it starts.",
            code="bad_window",
            details={"ends_at": ["must be after starts_at"]},
        )


def create_list(*, actor, event: Event, fields: dict[str, Any]) -> CheckinList:
    ticket_ids = fields.pop("tickets", [])
    fields["gates"] = _gates(fields.get("gates", []))
    _check_window(fields.get("starts_at"), fields.get("ends_at"))
    with changes.atomic():
        tickets = _tickets(event, ticket_ids)
        row = CheckinList.objects.create(event=event, **fields)
        row.tickets.set(tickets)
        feed.emit_list(row)
        record(actor=actor, action="checkin_list.create", obj=row, details={"name": row.name})
    return row


def update_list(*, actor, row: CheckinList, fields: dict[str, Any]) -> CheckinList:
    with changes.atomic():
        row = CheckinList.objects.select_for_update().get(pk=row.pk)
        if "gates" in fields:
            fields["gates"] = _gates(fields["gates"])
        if "tickets" in fields:
            row.tickets.set(_tickets(row.event, fields.pop("tickets")))
        for name, value in fields.items():
            setattr(row, name, value)
        _check_window(row.starts_at, row.ends_at)
        row.version += 1
        row.save()
        feed.emit_list(row)
        record(actor=actor, action="checkin_list.update", obj=row, details={"name": row.name})
    return row


def delete_list(*, actor, row: CheckinList) -> None:
    """Delete a list no one scanned on yet (409 `list_in_use` otherwise)."""
    with changes.atomic():
        row = CheckinList.objects.select_for_update().get(pk=row.pk)
        if row.records.exists():
            raise Conflict(
                f"Scans were recorded on the list {row.name!r}; it cannot be deleted.",
                code="list_in_use",
            )
        row_id, version = row.pk, row.version + 1
        record(actor=actor, action="checkin_list.delete", obj=row, details={"name": row.name})
        row.delete()
        feed.emit_list_deleted(row_id, version)
