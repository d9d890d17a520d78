"""Occupancy and sales over time of one event, against what the test sold, held, blocked
and allocated itself."""

from __future__ import annotations

from collections import defaultdict

import pytest

pytestmark = pytest.mark.django_db
OCCUPANCY = "/api/v1/reports/occupancy/"
OVER_TIME = "/api/v1/reports/sales-over-time/"


def test_occupancy_counts_every_seat_once(admin_client, report_data):
    from enturf_server.sales import seat_blocks, services

    shop = report_data.shop
    admin = admin_client.user
    std, prem = shop.seats_by_category["standard"], shop.seats_by_category["premium"]
    sold_seats = {s.seat for s in report_data.sold if s.seat and not s.refunded}
    refunded_seats = {s.seat for s in report_data.sold if s.seat and s.refunded}
    held = [std[20], prem[20]]
    blocked = [std[21], std[22]]
    services.create_hold(
        actor=admin, event=shop.event, seat_ids=held, areas=[(shop.areas["Floor"], 3)]
    )
    seat_blocks.block_seats(actor=admin, event=shop.event, seat_ids=blocked, reason="camera")

    r = admin_client.get(OCCUPANCY, {"event": shop.event.pk})
    assert r.status_code == 200, r.content
    body = r.json()

    def state(seat: int) -> str:
        if seat in sold_seats:
            return "sold"
        if seat in held:
            return "held"
        if seat in blocked:
            return "blocked"
        if seat in report_data.allocated_seats:
            return "allocated"
        return "free"

    want: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for category, seats in shop.seats_by_category.items():
        for seat in seats:
            want[category][state(seat)] += 1
            want[category]["capacity"] += 1
    got = {row.pop("category"): row for row in body["by_category"]}
    assert got == {
        c: {k: f.get(k, 0) for k in ("capacity", "sold", "held", "allocated", "blocked", "free")}
        for c, f in want.items()
    }
    assert refunded_seats and all(state(s) != "sold" for s in refunded_seats)

    floor_sold = sum(1 for s in report_data.sold if s.seat is None)
    (floor,) = body["standing"]
    assert floor == {
        "area": shop.areas["Floor"],
        "name": "Floor",
        "capacity": 50,
        "sold": floor_sold,
        "held": 3,
        "allocated": 6 - floor_sold,  # counter A's quota not sold yet
        "blocked": 0,
        "free": 50 - floor_sold - 3 - (6 - floor_sold),
    }
    for name in ("capacity", "sold", "held", "allocated", "blocked", "free"):
        assert body[name] == sum(f[name] for f in got.values()) + floor[name]
    assert (
        body["capacity"]
        == body["sold"] + body["held"] + body["allocated"] + body["blocked"] + body["free"]
    )


def test_the_seat_columns_carry_sale_time_and_price(admin_client, report_data):
    shop = report_data.shop
    seats = admin_client.get(OCCUPANCY, {"event": shop.event.pk}).json()["seats"]
    assert seats["ids"] == sorted(shop.seats)
    assert len(seats["sold_at"]) == len(seats["price_cents"]) == len(shop.seats)
    columns = dict(
        zip(seats["ids"], zip(seats["sold_at"], seats["price_cents"], strict=True), strict=True)
    )
    sold = {s.seat: s for s in report_data.sold if s.seat and not s.refunded}
    for seat_id, (at, price) in columns.items():
        if seat_id in sold:
            assert price == int(sold[seat_id].gross * 100)
            assert at == int(sold[seat_id].at.timestamp())
        else:
            assert (at, price) == (None, None)


def test_sales_over_time_is_cumulative_from_the_on_sale_day(admin_client, report_data):
    shop = report_data.shop
    r = admin_client.get(OVER_TIME, {"event": shop.event.pk})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["compare"] is None and body["event"] == shop.event.pk
    per_day: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in report_data.sold:
        per_day[s.day.isoformat()][0] += 1
        per_day[s.day.isoformat()][1] += int(s.gross * 100)
    series = body["series"]
    days = [p["day"] for p in series]
    assert days[0] == min(per_day) and days[-1] == max(per_day)
    assert len(days) == len(set(days)) and days == sorted(days)
    tickets = gross = 0
    for n, point in enumerate(series):
        want = per_day.get(point["day"], [0, 0])
        assert [point["tickets"], point["gross_cents"]] == want
        tickets, gross = tickets + want[0], gross + want[1]
        assert (point["cumulative_tickets"], point["cumulative_gross_cents"]) == (tickets, gross)
        assert point["days_from_on_sale"] == n  # no sales start: the first sale's day
    assert tickets == len(report_data.sold)


def test_pace_against_another_event(admin_client, report_data):
    from support.factories import make_event, make_seat_map

    shop = report_data.shop
    earlier = make_event(make_seat_map(name="Earlier"), name="Last year")
    body = admin_client.get(OVER_TIME, {"event": shop.event.pk, "compare_event": earlier.pk}).json()
    assert body["compare"]["event"] == earlier.pk and body["compare"]["series"] == []
    same = admin_client.get(OVER_TIME, {"event": shop.event.pk, "compare_event": shop.event.pk})
    assert same.json()["compare"]["series"] == same.json()["series"]


@pytest.mark.parametrize(
    ("url", "query"),
    [
        (OCCUPANCY, {}),
        (OCCUPANCY, {"event": "abc"}),
        (OCCUPANCY, {"event": "424242"}),
        (OVER_TIME, {}),
        (OVER_TIME, {"event": "424242"}),
        (OVER_TIME, {"event": "1", "compare_event": "424242"}),
        (OVER_TIME, {"event": "1", "compare_event": "1e9"}),
    ],
)
def test_bad_event_ids_are_a_400(admin_client, db, url, query):
    r = admin_client.get(url, query)
    assert r.status_code == 400, r.content
    assert r.json()["error"]["code"] == "invalid"
