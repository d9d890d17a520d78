"""The sales report: every grouping's figures against sums the test computes from the
tickets it sold (conftest.report_data), the filters, and who may read it."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/sales/"
GROUPS = ("day", "event", "ticket", "category", "channel", "counter", "cashier", "payment_method")


def _key(sold, group_by: str) -> str:
    value = {
        "day": sold.day.isoformat(),
        "event": sold.event,
        "ticket": sold.ticket,
        "category": sold.category,
        "channel": sold.channel,
        "counter": sold.counter,
        "cashier": sold.cashier,
        "payment_method": sold.method,
    }[group_by]
    return "" if value is None else str(value)


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


def expected(sold, group_by: str) -> dict[str, dict[str, int]]:
    rows: dict[str, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(
            (
                "tickets",
                "refunded_tickets",
                "gross_cents",
                "tax_cents",
                "net_cents",
                "refunds_cents",
            ),
            0,
        )
    )
    for s in sold:
        row = rows[_key(s, group_by)]
        row["tickets"] += 1
        row["gross_cents"] += _cents(s.gross)
        row["tax_cents"] += _cents(s.tax)
        row["net_cents"] += _cents(s.gross - s.tax)
        if s.refunded:
            row["refunded_tickets"] += 1
            row["refunds_cents"] += _cents(s.gross)
    return dict(rows)


def _figures(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in ("key", "label")}


@pytest.mark.parametrize("group_by", GROUPS)
def test_each_grouping_matches_the_sums_of_what_was_sold(admin_client, report_data, group_by):
    r = admin_client.get(URL, {"group_by": group_by})
    assert r.status_code == 200, r.content
    body = r.json()
    want = expected(report_data.sold, group_by)
    assert {row["key"]: _figures(row) for row in body["rows"]} == want
    totals = expected(report_data.sold, "channel")  # any grouping: summed below
    assert body["totals"] == {
        name: sum(row[name] for row in totals.values()) for name in body["totals"]
    }
    assert body["group_by"] == group_by and body["currency"] == "EUR"
    assert all(row["label"] for row in body["rows"])


def test_the_groupings_cover_what_the_brief_asks(admin_client, report_data):
    """Several days, two counters and cashiers, both channels, cash, card and both,
    a refund, two tax rates: the data is what the figures claim to test."""
    sold = report_data.sold
    assert len({s.day for s in sold}) >= 4
    assert len({s.counter for s in sold if s.counter}) == 2
    assert len({s.cashier for s in sold if s.cashier}) == 2
    assert {s.channel for s in sold} == {"online", "counter"}
    assert {s.method for s in sold} == {"cash", "card", "mixed"}
    assert any(s.refunded for s in sold) and len({s.rate for s in sold}) == 2
    labels = {
        row["key"]: row["label"]
        for row in admin_client.get(URL, {"group_by": "cashier"}).json()["rows"]
    }
    assert labels[str(report_data.cashiers["A"].pk)] == "ann"
    assert labels[""] == "Online (customer)"


def test_a_late_evening_sale_counts_on_the_venue_s_day(admin_client, report_data):
    late = [s for s in report_data.sold if s.at.hour == 23]
    assert late and all(s.day == (s.at + timedelta(days=1)).date() for s in late)
    rows = admin_client.get(URL, {"group_by": "day"}).json()["rows"]
    tickets = {row["key"]: row["tickets"] for row in rows}
    at_venue = defaultdict(int)
    in_utc = defaultdict(int)
    for s in report_data.sold:
        at_venue[s.day.isoformat()] += 1
        in_utc[s.at.date().isoformat()] += 1
    assert tickets == dict(at_venue) and tickets != dict(in_utc)


def test_from_and_to_are_inclusive_venue_days(admin_client, report_data):
    days = sorted({s.day for s in report_data.sold})
    start, end = days[1], days[2]
    r = admin_client.get(URL, {"group_by": "ticket", "from": start, "to": end})
    assert r.status_code == 200, r.content
    inside = [s for s in report_data.sold if start <= s.day <= end]
    assert {row["key"]: _figures(row) for row in r.json()["rows"]} == expected(inside, "ticket")
    assert (r.json()["from"], r.json()["to"]) == (start.isoformat(), end.isoformat())
    only_first = admin_client.get(URL, {"group_by": "day", "to": days[0]}).json()
    assert [row["key"] for row in only_first["rows"]] == [days[0].isoformat()]


def test_event_and_venue_filters(admin_client, report_data):
    from support.factories import make_event, make_seat_map, make_ticket

    shop = report_data.shop
    other_map = make_seat_map(name="Other")
    other = make_event(other_map, name="Elsewhere")
    make_ticket(other, name="Any", price="10.00", category="standard")

    mine = admin_client.get(URL, {"group_by": "event", "event": shop.event.pk}).json()
    assert [row["key"] for row in mine["rows"]] == [str(shop.event.pk)]
    assert mine["totals"]["tickets"] == len(report_data.sold)
    by_venue = admin_client.get(URL, {"group_by": "event", "venue": shop.seat_map.venue_id})
    assert by_venue.json()["totals"] == mine["totals"]
    empty = admin_client.get(URL, {"group_by": "event", "venue": other_map.venue_id}).json()
    assert empty["rows"] == [] and empty["totals"]["tickets"] == 0
    r = admin_client.get(
        URL, {"group_by": "event", "venue": other_map.venue_id, "event": shop.event.pk}
    )
    assert r.status_code == 400 and "event" in r.json()["error"]["details"]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"group_by": "weekday"},
        {"group_by": "day", "from": "2026-13-01"},
        {"group_by": "day", "from": "yesterday"},
        {"group_by": "day", "from": "2026-03-02", "to": "2026-03-01"},
        {"group_by": "day", "from": "1990-01-01", "to": "2026-01-01"},
        {"group_by": "day", "venue": "999999"},
        {"group_by": "day", "venue": "x"},
        {"group_by": "day", "event": "99999999999999"},
        {"group_by": "day", "event": "-1"},
        {"group_by": "day", "event": "0"},
    ],
)
def test_bad_input_is_a_400_with_a_reason(admin_client, db, query):
    r = admin_client.get(URL, query)
    assert r.status_code == 400, r.content
    error = r.json()["error"]
    assert error["code"] == "invalid" and error["message"]


def test_who_may_read_reports(make_user, client_for, anon_client, db):
    from support.factories import sales_setup

    shop = sales_setup()
    urls = [
        f"{URL}?group_by=day",
        f"/api/v1/reports/occupancy/?event={shop.event.pk}",
        f"/api/v1/reports/sales-over-time/?event={shop.event.pk}",
        "/api/v1/reports/accounting/",
    ]
    allowed = [client_for(make_user("ada", "admin")), client_for(make_user("max", "manager"))]
    refused = [
        client_for(make_user(name, role))
        for name, role in (
            ("cid", "employee"),
            ("cus", "customer"),
            ("dee", "door_steward"),
            ("das", "door_supervisor"),
        )
    ]
    for url in urls:
        assert [c.get(url).status_code for c in allowed] == [200, 200], url
        assert [c.get(url).status_code for c in refused] == [403] * len(refused), url
        assert anon_client.get(url).status_code == 401


def test_a_manager_loses_reports_with_the_right(make_user, client_for, db):
    from enturf_server.accounts.models import RoleGrant

    manager = client_for(make_user("mo", "manager"))
    assert manager.get(URL, {"group_by": "day"}).status_code == 200
    grant = RoleGrant.objects.get(role="manager")
    RoleGrant.objects.filter(pk=grant.pk).update(
        rights=[r for r in grant.rights if r != "view_reports"]
    )
    r = manager.get(URL, {"group_by": "day"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
