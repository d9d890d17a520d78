"""Concurrent selling on PostgreSQL: real threads, each with its own connection, booking
overlapping seat sets (directly and through short-lived holds), booking GA places and
cancelling, all at once. A seat is sold at most once, GA never goes over capacity, no
deadlock, and every refusal is a clean 409."""

from __future__ import annotations

import random
import threading
from collections import Counter

import pytest
from django.db import connections
from support.databases import requires_postgres
from support.factories import sales_setup

pytestmark = [
    requires_postgres,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

THREADS = 16
ROUNDS = 14
REFUSAL_CODES = {"conflict", "hold_expired", "hold_released"}


def test_overlapping_bookings_never_oversell(make_user, client_for):
    from enturf_server.accounts.models import SiteSettings

    # short holds, so some expire while others are selling and get cleaned up lazily
    SiteSettings.objects.update_or_create(pk=1, defaults={"hold_ttl_seconds": 1})
    shop = sales_setup(
        sections=2, rows=2, seats_per_row=12, categories=("standard",), areas={"Floor": 40}
    )
    seats = shop.seats
    ticket, floor = shop.tickets["standard"].pk, shop.tickets["floor"].pk
    clients = [
        client_for(make_user(f"buyer{i}", "employee" if i % 5 == 0 else "customer"))
        for i in range(THREADS)
    ]
    barrier = threading.Barrier(THREADS)
    results: list[tuple[str, int, dict]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        rng = random.Random(index)
        client = clients[index]
        try:
            barrier.wait()
            for round_no in range(ROUNDS):
                start = rng.randrange(len(seats) - 4)
                chosen = seats[start : start + rng.randint(2, 4)]
                kind = rng.choice(["direct", "direct", "hold", "ga", "cancel"])
                if kind == "hold":
                    r = client.post(
                        "/api/v1/holds/", {"event": shop.event.pk, "seats": chosen}, format="json"
                    )
                    record = [("hold", r.status_code, r.json())]
                    if r.status_code == 201 and round_no % 3:  # every third hold is abandoned
                        r = client.post(
                            "/api/v1/bookings/", {"hold": r.json()["id"]}, format="json"
                        )
                        record.append(("book", r.status_code, r.json()))
                elif kind == "ga":
                    r = client.post(
                        "/api/v1/bookings/",
                        {
                            "event": shop.event.pk,
                            "lines": [{"ticket": floor, "quantity": rng.randint(1, 3)}],
                        },
                        format="json",
                    )
                    record = [("book", r.status_code, r.json())]
                else:
                    r = client.post(
                        "/api/v1/bookings/",
                        {
                            "event": shop.event.pk,
                            "lines": [{"seat": s, "ticket": ticket} for s in chosen],
                        },
                        format="json",
                    )
                    record = [("book", r.status_code, r.json())]
                    if kind == "cancel" and r.status_code == 201:
                        r = client.post(f"/api/v1/bookings/{r.json()['id']}/cancel/")
                        record.append(("cancel", r.status_code, r.json()))
                with lock:
                    results.extend(record)
        except BaseException as exc:  # surfaced below; a thread must not die silently
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker hung (deadlock?)"
    assert not errors, errors

    statuses = Counter(status for _kind, status, _body in results)
    assert set(statuses) <= {200, 201, 409}, statuses
    for _kind, status, body in results:
        if status == 409:
            assert set(body["error"]) == {"code", "message", "details"}
            assert body["error"]["code"] in REFUSAL_CODES, body
    booked = [body for kind, status, body in results if kind == "book" and status == 201]
    cancelled = {body["id"] for kind, status, body in results if kind == "cancel" and status == 200}
    assert booked, "no booking went through"
    assert statuses[409] > 0, "the seat sets were meant to collide"

    from enturf_server.sales.models import AreaInventory, Booking, BookingLine, SeatInventory
    from enturf_server.sync.models import ChangeLogEntry

    assert Booking.objects.count() == len(booked)
    live = [b for b in booked if b["id"] not in cancelled]
    live_seats = [line["seat"] for b in live for line in b["lines"] if line["seat"]]
    assert len(live_seats) == len(set(live_seats)), "a seat was sold twice"
    sold = dict(
        SeatInventory.objects.filter(event=shop.event, status="sold").values_list(
            "seat_id", "booking_id"
        )
    )
    assert set(sold) == set(live_seats)
    owner = {line["seat"]: b["id"] for b in live for line in b["lines"] if line["seat"]}
    assert {seat: str(booking) for seat, booking in sold.items()} == owner
    valid_lines = BookingLine.objects.filter(state="valid", seat__isnull=False)
    assert valid_lines.count() == len(live_seats)

    ga_places = sum(1 for b in live for line in b["lines"] if line["area"])
    area = AreaInventory.objects.get(event=shop.event)
    assert area.sold == ga_places <= area.capacity

    versions = list(
        ChangeLogEntry.objects.filter(entity="seat_status", entity_id=str(shop.event.pk))
        .order_by("seq")
        .values_list("version", flat=True)
    )
    assert versions == sorted(set(versions)), "inventory versions must rise in commit order"
