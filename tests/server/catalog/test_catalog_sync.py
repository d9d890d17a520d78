"""Catalog changes reach the sync change log, in the same shape as the API's reads."""

from __future__ import annotations

import pytest
from support.catalog_data import grid_layout, make_booking, make_event, make_seat_map, user_client

from enturf_server.audit.models import AuditEntry
from enturf_server.sync.models import ChangeLogEntry

pytestmark = pytest.mark.django_db


def _changes(after: int = 0) -> list[tuple[str, str, str, int]]:
    return list(
        ChangeLogEntry.objects.filter(seq__gt=after)
        .order_by("seq")
        .values_list("entity", "entity_id", "op", "version")
    )


def _last_seq() -> int:
    last = ChangeLogEntry.objects.order_by("-seq").first()
    return last.seq if last else 0


def test_api_writes_emit_changes_with_the_read_shape(client_for):
    admin = user_client("admin", client_for)
    venue = admin.post(
        "/api/v1/venues/", {"name": "Hall", "timezone": "Europe/Berlin"}, format="json"
    ).json()
    assert _changes() == [("venue", str(venue["id"]), "upsert", 1)]
    assert ChangeLogEntry.objects.get(entity="venue").data == venue

    mark = _last_seq()
    seat_map = admin.post(
        "/api/v1/seatmaps/", {"venue": venue["id"], "name": "Main", **grid_layout()}, format="json"
    ).json()
    assert _changes(mark) == [("seatmap", str(seat_map["id"]), "upsert", 1)]
    assert ChangeLogEntry.objects.get(seq__gt=mark).data == seat_map

    mark = _last_seq()
    event = admin.post(
        "/api/v1/events/",
        {"seat_map": seat_map["id"], "name": "Show", "starts_at": "2031-01-01T19:00:00Z"},
        format="json",
    ).json()
    # first use: the seat map's summary changes (in_use), so it is emitted again
    assert _changes(mark) == [
        ("seatmap", str(seat_map["id"]), "upsert", 2),
        ("event", str(event["id"]), "upsert", 1),
    ]
    emitted = ChangeLogEntry.objects.get(entity="event").data
    assert emitted == admin.get("/api/v1/events/?state=draft").json()["results"][0]
    assert ChangeLogEntry.objects.filter(entity="seatmap").last().data["in_use"] is True

    mark = _last_seq()
    ticket = admin.post(
        "/api/v1/tickets/",
        {"event": event["id"], "name": "Adult", "price": "20.00", "category": "standard"},
        format="json",
    ).json()
    admin.patch(f"/api/v1/tickets/{ticket['id']}/", {"price": "21.00"}, format="json")
    admin.patch(f"/api/v1/events/{event['id']}/", {"state": "on_sale"}, format="json")
    assert _changes(mark) == [
        ("ticket", str(ticket["id"]), "upsert", 1),
        ("ticket", str(ticket["id"]), "upsert", 2),
        ("event", str(event["id"]), "upsert", 2),
    ]
    latest_ticket = ChangeLogEntry.objects.filter(entity="ticket").last().data
    assert latest_ticket == admin.get(f"/api/v1/tickets/{ticket['id']}/").json()
    assert latest_ticket["price"] == "21.00"

    mark = _last_seq()
    assert admin.delete(f"/api/v1/events/{event['id']}/").status_code == 204
    assert _changes(mark) == [
        ("ticket", str(ticket["id"]), "delete", 3),
        ("event", str(event["id"]), "delete", 3),
    ]
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "venue.create",
        "seatmap.import",
        "event.create",
        "ticket.create",
        "ticket.update",
        "event.update",
        "event.delete",  # its tickets go with it
    ]
    assert set(AuditEntry.objects.values_list("actor__username", flat=True)) == {"admin-user"}


def test_refused_changes_emit_nothing(client_for):
    admin = user_client("admin", client_for)
    event = make_event()
    make_booking(event)
    mark = _last_seq()
    assert admin.delete(f"/api/v1/events/{event.pk}/").status_code == 409
    assert (
        admin.patch(f"/api/v1/events/{event.pk}/", {"state": "draft"}, format="json").status_code
        == 409
    )
    r = admin.patch(f"/api/v1/seatmaps/{event.seat_map_id}/", {"name": "X"}, format="json")
    assert r.status_code == 409
    bad = grid_layout()
    bad["sections"][0]["rows"][0]["seats"][0]["x"] = "left"
    r = admin.post("/api/v1/seatmaps/", {"venue": 1, "name": "Y", **bad}, format="json")
    assert r.status_code == 400
    assert _changes(mark) == []


def test_new_seat_map_version_is_emitted():
    from enturf_server.catalog import services

    seat_map = make_seat_map()
    mark = _last_seq()
    new = services.create_seat_map_version(actor=None, seat_map=seat_map)
    assert _changes(mark) == [("seatmap", str(new.pk), "upsert", 1)]
    data = ChangeLogEntry.objects.get(seq__gt=mark).data
    assert (data["version"], data["seat_count"], data["in_use"]) == (2, 24, False)
