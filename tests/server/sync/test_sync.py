"""Change feed: who may read it, snapshot then incremental, compact seat status, 410."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from support.catalog_data import make_event, make_seat_map, make_ticket, make_venue
from support.counters import pos_client
from support.sync_api import CHANGES, read_all, register_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def device():
    return register_device()


@pytest.fixture
def pos(make_user, device):
    return pos_client(make_user("cashier", "employee"), device[1])


def apply(state: dict, changes: list[dict]) -> dict:
    """What a counter does with the feed: upsert or delete by (entity, id)."""
    for change in changes:
        key = (change["entity"], change["id"])
        if change["op"] == "delete":
            state.pop(key, None)
        elif change["entity"] == "seat_status" and not change["data"].get("full"):
            current = state.setdefault(key, {"full": True, "seats": {}, "areas": {}})
            for seat, status in change["data"]["seats"].items():
                if status == "available":
                    current["seats"].pop(seat, None)
                else:
                    current["seats"][seat] = status
            current["areas"].update(change["data"]["areas"])
        else:
            state[key] = change["data"]
    return state


# ---- who may read -------------------------------------------------------------------------


def test_sync_needs_a_staff_user_and_an_active_device(
    make_user, device, anon_client, employee_client, customer_client, admin_client
):
    _device, token = device
    assert anon_client.get(CHANGES).status_code == 401
    anon_client.credentials(HTTP_X_ENTURF_DEVICE=token)
    assert anon_client.get(CHANGES).status_code == 401  # a device alone is nobody

    r = employee_client.get(CHANGES)  # a user token without a device
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "device_required"

    customer = pos_client(make_user("buyer", "customer"), token)
    assert customer.get(CHANGES).status_code == 403
    assert customer.post("/api/v1/sync/push/", {"ops": []}, format="json").status_code == 403

    manager = pos_client(make_user("boss", "admin"), token)
    assert manager.get(CHANGES).status_code == 200
    assert manager.post("/api/v1/sync/push/", {"ops": []}, format="json").json() == {"results": []}

    admin_client.delete(f"/api/v1/devices/{_device.pk}/")
    r = manager.get(CHANGES)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "device_revoked"


# ---- snapshot and incremental ---------------------------------------------------------------


def test_snapshot_in_pages_then_incremental_changes(pos, make_user):
    from enturf_server.catalog import services

    seat_map = make_seat_map(make_venue("Arena"), sections=2, rows=3, seats=4)
    event = make_event(seat_map, name="Opening")
    ticket = make_ticket(event)
    make_user("shopper", "customer")

    r = pos.get(CHANGES, {"after": "0", "limit": 3})
    assert r.status_code == 200
    first = r.json()
    assert first["has_more"] is True
    assert first["next"].startswith("s")  # paging the snapshot
    assert len(first["changes"]) == 3

    snapshot, cursor = read_all(pos, after=first["next"], limit=3)
    snapshot = first["changes"] + snapshot
    assert cursor.isdigit()  # the snapshot is done: a plain change-log position
    by_entity: dict[str, list[dict]] = {}
    for change in snapshot:
        assert change["op"] == "upsert"
        by_entity.setdefault(change["entity"], []).append(change)
    assert list(by_entity) == [
        "settings",
        "role_rights",  # every staff role's grant
        "user",
        "device",  # the counter `pos` is on
        "ticket_key",
        "venue",
        "seatmap",
        "event",
        "ticket",
        "seat_status",
    ]
    assert by_entity["settings"][0]["data"]["currency"] == "EUR"
    assert [c["id"] for c in by_entity["role_rights"]] == sorted(
        ["admin", "manager", "employee", "door_steward", "door_supervisor"]
    )
    assert "offline_login_days" in by_entity["settings"][0]["data"]
    # counter staff only, never password material
    assert [u["data"]["username"] for u in by_entity["user"]] == ["cashier"]
    assert "password" not in by_entity["user"][0]["data"]
    seat_map_data = by_entity["seatmap"][0]["data"]
    assert seat_map_data["seat_count"] == 24
    layout = seat_map_data["layout"]
    assert layout["seat_columns"][:3] == ["id", "key", "label"]
    assert sum(len(r["seats"]) for s in layout["sections"] for r in s["rows"]) == 24
    assert by_entity["event"][0]["id"] == str(event.pk)
    assert by_entity["event"][0]["version"] == event.version
    assert by_entity["ticket"][0]["data"]["price"] == "25.00"
    status = by_entity["seat_status"][0]["data"]
    assert status == {"full": True, "seats": {}, "areas": {str(seat_map.areas.get().pk): 100}}

    # nothing new yet
    r = pos.get(CHANGES, {"after": cursor}).json()
    assert r == {"changes": [], "next": cursor, "has_more": False}

    services.update_event(actor=None, event=event, name="Opening night")
    services.update_ticket(actor=None, ticket=ticket, price=ticket.price + 5)
    changes, cursor2 = read_all(pos, after=cursor)
    assert [(c["entity"], c["id"]) for c in changes] == [
        ("event", str(event.pk)),
        ("ticket", str(ticket.pk)),
    ]
    assert changes[0]["data"]["name"] == "Opening night"
    assert changes[0]["version"] == event.version + 1
    assert changes[1]["data"]["price"] == "30.00"
    assert [c["seq"] for c in changes] == sorted(c["seq"] for c in changes)
    assert int(cursor2) == changes[-1]["seq"]


def test_snapshot_paging_loses_nothing_while_rows_come_and_go(pos):
    """Keyset pages plus the replay from the snapshot position give the server's state."""
    from enturf_server.catalog import services

    seat_map = make_seat_map(make_venue(), sections=1, rows=1, seats=2, area_capacity=None)
    events = [make_event(seat_map, name=f"Show {i}") for i in range(6)]

    state: dict = {}
    r = pos.get(CHANGES, {"after": "0", "limit": 4}).json()
    apply(state, r["changes"])
    # between pages: an already served event is deleted, an unserved one edited, one added
    services.delete_event(actor=None, event=events[0])
    services.update_event(actor=None, event=events[5], name="Renamed")
    added = make_event(seat_map, name="Late addition")
    changes, _cursor = read_all(pos, after=r["next"], limit=4)
    apply(state, changes)

    fresh, _ = read_all(pos, after="0")
    assert state == apply({}, fresh)
    names = {d["name"] for (entity, _id), d in state.items() if entity == "event"}
    assert names == {"Show 1", "Show 2", "Show 3", "Show 4", "Renamed", "Late addition"}
    assert ("seat_status", str(added.pk)) in state


def test_seat_status_is_compact_per_event(pos):
    from enturf_server.sales.models import AreaInventory, Hold, HoldArea, SeatInventory

    seat_map = make_seat_map(make_venue(), sections=1, rows=2, seats=5, area_capacity=50)
    event = make_event(seat_map)
    other = make_event(seat_map, name="Other")
    rows = list(SeatInventory.objects.filter(event=event).order_by("seat_id"))
    now = timezone.now()
    hold = Hold.objects.create(event=event, expires_at=now + timedelta(minutes=10))
    old_hold = Hold.objects.create(event=event, expires_at=now - timedelta(minutes=1))
    SeatInventory.objects.filter(pk=rows[0].pk).update(status="sold")
    SeatInventory.objects.filter(pk=rows[1].pk).update(
        status="held", hold=hold, held_until=hold.expires_at
    )
    SeatInventory.objects.filter(pk=rows[2].pk).update(
        status="held", hold=old_hold, held_until=old_hold.expires_at
    )
    SeatInventory.objects.filter(pk=rows[3].pk).update(status="blocked")
    area = seat_map.areas.get()
    AreaInventory.objects.filter(event=event, area=area).update(sold=7)
    HoldArea.objects.create(hold=hold, area=area, quantity=3)
    HoldArea.objects.create(hold=old_hold, area=area, quantity=20)  # expired: not counted

    changes, _ = read_all(pos)
    status = {c["id"]: c["data"] for c in changes if c["entity"] == "seat_status"}
    assert status[str(event.pk)] == {
        "full": True,
        "seats": {
            str(rows[0].seat_id): "sold",
            str(rows[1].seat_id): "held",
            str(rows[3].seat_id): "blocked",
        },  # the expired hold's seat and the six free seats are not listed
        "areas": {str(area.pk): 50 - 7 - 3},
    }
    assert status[str(other.pk)] == {"full": True, "seats": {}, "areas": {str(area.pk): 50}}


def test_staff_and_settings_changes_reach_the_feed(pos, make_user, admin_client):
    _snapshot, cursor = read_all(pos)
    make_user("new-cashier", "employee")
    make_user("customer-1", "customer")  # customers are not synced
    r = admin_client.patch("/api/v1/settings/", {"offline_login_days": 3}, format="json")
    assert r.status_code == 200
    changes, cursor = read_all(pos, after=cursor)
    assert [(c["entity"], c["op"]) for c in changes] == [("user", "upsert"), ("settings", "upsert")]
    assert changes[0]["data"]["username"] == "new-cashier"
    assert changes[1]["data"]["offline_login_days"] == 3

    from enturf_server.accounts.models import User

    cashier = User.objects.get(username="new-cashier")
    r = admin_client.patch(f"/api/v1/users/{cashier.pk}/", {"is_active": False}, format="json")
    assert r.status_code == 200
    changes, _ = read_all(pos, after=cursor)
    assert [(c["entity"], c["id"], c["op"]) for c in changes] == [
        ("user", str(cashier.pk), "delete")
    ]


def test_ticket_keys_of_retired_devices_stay_in_the_feed(
    pos, device, admin_client, settings, tmp_path
):
    from enturf_server.ticketing.services import ensure_server_key

    settings.DATA_DIR = tmp_path  # the server's signing key file goes there
    server_key = ensure_server_key()
    _snapshot, cursor = read_all(pos)
    old_device, _old_token = register_device("Old counter")
    admin_client.delete(f"/api/v1/devices/{old_device.pk}/")
    changes, _ = read_all(pos, after=cursor)
    keys = [c for c in changes if c["entity"] == "ticket_key"]
    assert [(k["id"], k["data"]["retired_at"] is not None) for k in keys] == [
        (old_device.signing_key_id, False),
        (old_device.signing_key_id, True),
    ]
    snapshot, _ = read_all(pos)
    listed = {c["id"]: c["data"] for c in snapshot if c["entity"] == "ticket_key"}
    assert set(listed) == {device[0].signing_key_id, old_device.signing_key_id, server_key.key_id}
    assert listed[old_device.signing_key_id]["retired_at"] is not None
    assert listed[server_key.key_id]["owner"] == "server"
    assert listed[device[0].signing_key_id]["owner"] == f"device:{device[0].pk}"
    # paging one key at a time over both tables gives the same keys
    one_by_one, _ = read_all(pos, limit=1)
    assert [c["id"] for c in one_by_one if c["entity"] == "ticket_key"] == sorted(listed)


# ---- cursors and pruning ---------------------------------------------------------------------


def test_pruned_cursor_answers_410_and_a_new_snapshot_works(pos):
    from enturf_server.catalog import services
    from enturf_server.sync.models import ChangeLogEntry

    venue = make_venue("Old hall")
    _snapshot, cursor = read_all(pos)
    first = pos.get(CHANGES, {"after": "0", "limit": 1}).json()["next"]  # a snapshot cursor
    services.update_venue(actor=None, venue=venue, name="Renamed hall")
    ChangeLogEntry.objects.update(created_at=timezone.now() - timedelta(days=40))
    make_venue("New hall")  # recent: stays

    call_command("prune_changelog", "--days", "30", stdout=io.StringIO())
    assert ChangeLogEntry.objects.count() == 1

    for stale in (cursor, first):
        r = pos.get(CHANGES, {"after": stale})
        assert r.status_code == 410
        assert r.json()["error"]["code"] == "cursor_expired"
    changes, _ = read_all(pos, after="0")
    venues = sorted(c["data"]["name"] for c in changes if c["entity"] == "venue")
    assert venues == ["New hall", "Renamed hall"]

    r = pos.get(CHANGES, {"after": "999999"})
    assert r.status_code == 410  # ahead of this server's log (restored database?)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"after": "bogus"}, "invalid_cursor"),
        ({"after": "s1:nope"}, "invalid_cursor"),
        ({"after": "s0:venue:abc"}, "invalid_cursor"),
        ({"after": "s0:event:-1"}, "invalid_cursor"),
        ({"after": "s0:venue:99999999999999999999"}, "invalid_cursor"),
        ({"after": "9999999999999999999"}, "invalid_cursor"),
        ({"limit": "ten"}, "invalid_limit"),
        ({"limit": "0"}, "invalid_limit"),
    ],
)
def test_bad_cursor_or_limit_is_a_400(pos, params, code):
    r = pos.get(CHANGES, params)
    assert r.status_code == 400
    assert r.json()["error"]["code"] == code


def test_limit_is_capped(pos, settings):
    settings.ENTURF_SYNC_MAX_PAGE_SIZE = 2
    make_venue("A")
    make_venue("B")
    make_venue("C")
    r = pos.get(CHANGES, {"after": "0", "limit": 100}).json()
    assert len(r["changes"]) == 2
    assert r["has_more"] is True


def test_seat_status_changes_replay_onto_the_snapshot(pos, make_user):
    """Holds taken and released through the sales services: the snapshot plus the
    incremental `seat_status` entries give what a fresh snapshot gives."""
    from enturf_server.catalog.models import Seat
    from enturf_server.sales import services as sales

    seat_map = make_seat_map(make_venue(), sections=1, rows=2, seats=5, area_capacity=40)
    event = make_event(seat_map)
    make_ticket(event)
    seats = list(Seat.objects.filter(seat_map=seat_map).order_by("pk").values_list("pk", flat=True))
    area = seat_map.areas.get()
    buyer = make_user("buyer", "customer")

    snapshot, cursor = read_all(pos)
    state = apply({}, snapshot)
    first = sales.create_hold(actor=buyer, event=event, seat_ids=seats[:3], areas=[(area.pk, 4)])
    sales.create_hold(actor=buyer, event=event, seat_ids=seats[5:7])
    sales.release_hold(actor=buyer, hold=first)

    changes, _ = read_all(pos, after=cursor)
    deltas = [c for c in changes if c["entity"] == "seat_status"]
    assert len(deltas) == 3
    assert all(not c["data"].get("full") for c in deltas)  # only what changed
    apply(state, changes)
    key = ("seat_status", str(event.pk))
    assert state[key]["seats"] == {str(seats[5]): "held", str(seats[6]): "held"}
    assert state[key]["areas"] == {str(area.pk): 40}
    fresh, _ = read_all(pos)
    assert apply({}, fresh)[key] == state[key]


def test_an_empty_change_log_does_not_restart_the_snapshot_forever(pos):
    from enturf_server.sync.models import ChangeLogEntry

    ChangeLogEntry.objects.all().delete()  # a fresh server: nothing logged yet
    changes, after = read_all(pos)
    assert any(c["entity"] == "settings" for c in changes)
    assert after == "c0"
    again, after_again = read_all(pos, after)
    assert again == [] and after_again == "c0"
