"""Live door figures of an event, counted by the database: per list and per gate, by
ticket and by seat category (a standing area counts under its name): entries, exits,
inside now (entries less exits), double entries and refused scans."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce, NullIf

from enturf_core.checkin_verdicts import Verdict
from enturf_server.catalog.models import Event
from enturf_server.checkins.lists import lists_of
from enturf_server.checkins.models import CheckinRecord
from enturf_server.sales.models import BookingLine, BookingState, LineState

_COUNTS = {
    "in": Count("pk", filter=Q(verdict=Verdict.ADMITTED)),
    "out": Count("pk", filter=Q(verdict=Verdict.EXITED)),
    "double_entries": Count("pk", filter=Q(double_entry=True)),
    "refused": Count("pk", filter=~Q(verdict__in=(Verdict.ADMITTED, Verdict.EXITED))),
}
_ADMITTING = (BookingState.PAID, BookingState.PARTIALLY_REFUNDED, BookingState.REVIEW)


def _figures(row: dict[str, Any]) -> dict[str, int]:
    counts = {name: row[name] for name in _COUNTS}
    counts["inside"] = counts["in"] - counts["out"]
    return counts


def checkin_stats(*, event: Event) -> dict[str, Any]:
    records = CheckinRecord.objects.filter(event=event)
    by_gate = records.values("checkin_list_id", "gate").annotate(**_COUNTS).order_by("gate")
    by_ticket = (
        records.filter(line__isnull=False)
        .values("checkin_list_id", ticket=F("line__ticket_id"), name=F("line__ticket__name"))
        .annotate(**_COUNTS)
        .order_by("ticket")
    )
    category = Coalesce(
        NullIf(F("line__seat__category"), Value("")), F("line__area__name"), Value("")
    )
    by_category = (
        records.annotate(category=category)
        .values("checkin_list_id", "category")
        .annotate(**_COUNTS)
        .order_by("category")
    )
    lists = []
    totals = dict.fromkeys((*_COUNTS, "inside"), 0)
    for listing in lists_of(event):
        mine = [row for row in by_gate if row["checkin_list_id"] == listing.pk]
        figures = {name: sum(row[name] for row in mine) for name in _COUNTS}
        figures["inside"] = figures["in"] - figures["out"]
        for name, value in figures.items():
            totals[name] += value
        lists.append(
            {
                "id": listing.pk,
                "name": listing.name,
                **figures,
                "gates": [{"gate": row["gate"], **_figures(row)} for row in mine],
                "tickets": [
                    {"ticket": row["ticket"], "name": row["name"], **_figures(row)}
                    for row in by_ticket
                    if row["checkin_list_id"] == listing.pk
                ],
                "categories": [
                    {"category": row["category"] or "unknown", **_figures(row)}
                    for row in by_category
                    if row["checkin_list_id"] == listing.pk
                ],
            }
        )
    valid = BookingLine.objects.filter(
        booking__event=event, state=LineState.VALID, booking__state__in=_ADMITTING
    ).count()
    return {"event": event.pk, "valid_tickets": valid, "totals": totals, "lists": lists}
