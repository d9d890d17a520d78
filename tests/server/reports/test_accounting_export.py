"""The accounting export ties exactly to invoicing's documents and billing's money."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/accounting/"
HEADER = [
    "date", "time", "entry", "document", "reference", "booking", "event", "method",
    "currency", "tax_rate", "net", "tax", "gross",
]  # fmt: skip


def _journal(client, **query) -> list[dict[str, str]]:
    r = client.get(URL, query)
    assert r.status_code == 200, r.content
    assert r["Content-Type"].startswith("text/csv")
    assert r["Content-Disposition"].startswith('attachment; filename="accounting-')
    assert r.streaming  # sent as it is written
    reader = csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8")))
    header = next(reader)
    assert header == HEADER
    return [dict(zip(header, row, strict=True)) for row in reader]


def _d(text: str) -> Decimal:
    return Decimal(text) if text else Decimal("0")


def test_the_journal_ties_to_the_documents_and_the_money(admin_client, report_data):
    from enturf_server.billing.models import COUNTING_STATES, Payment, RefundPart
    from enturf_server.invoicing.models import Invoice

    lines = _journal(admin_client)
    by_entry = defaultdict(list)
    for line in lines:
        by_entry[line["entry"]].append(line)
    assert set(by_entry) == {"payment", "refund", "invoice", "credit_note"}

    # every document: its lines per rate are its tax summary, and add up to its totals
    documents = Invoice.objects.all()
    assert {d.full_number for d in documents} == {
        line["document"] for line in by_entry["invoice"] + by_entry["credit_note"]
    }
    for doc in documents:
        mine = [line for line in lines if line["document"] == doc.full_number]
        assert {line["entry"] for line in mine} == {doc.kind}
        for field, total in (
            ("net", doc.total_net),
            ("tax", doc.total_tax),
            ("gross", doc.total_gross),
        ):
            assert sum(_d(line[field]) for line in mine) == total, (doc, field)
        summary = {
            Decimal(t["rate"]): (Decimal(t["net"]), Decimal(t["tax"]), Decimal(t["gross"]))
            for t in doc.tax_summary
        }
        assert {
            Decimal(line["tax_rate"]): (_d(line["net"]), _d(line["tax"]), _d(line["gross"]))
            for line in mine
        } == summary
        if doc.kind == "invoice":
            methods = "+".join(sorted({m["method"] for m in doc.payment_methods}))
            assert {line["method"] for line in mine} == {methods}
        for line in mine:
            assert _d(line["net"]) + _d(line["tax"]) == _d(line["gross"])
            assert line["booking"] == doc.booking_code and line["currency"] == "EUR"
    credit = by_entry["credit_note"][0]
    assert credit["reference"].startswith("INV-") and _d(credit["gross"]) < 0
    # two tax rates on the books
    assert {line["tax_rate"] for line in by_entry["invoice"]} == {"19", "7"}

    # the money: every counted payment once, every refund part once (negative)
    payments = Payment.objects.filter(state__in=COUNTING_STATES)
    assert sorted((line["document"], _d(line["gross"])) for line in by_entry["payment"]) == sorted(
        (str(p.pk), p.amount) for p in payments
    )
    assert {line["method"] for line in by_entry["payment"]} == {"cash", "card"}
    parts = RefundPart.objects.all()
    assert sorted(_d(line["gross"]) for line in by_entry["refund"]) == sorted(
        -p.amount for p in parts
    )

    # all settled: what came in and went back is what was invoiced and credited
    money = sum(_d(line["gross"]) for line in by_entry["payment"] + by_entry["refund"])
    books = sum(_d(line["gross"]) for line in by_entry["invoice"] + by_entry["credit_note"])
    assert money == books
    sold = sum(s.gross for s in report_data.sold) - sum(
        s.gross for s in report_data.sold if s.refunded
    )
    assert money == sold


def test_the_period_and_the_venue_narrow_it(admin_client, report_data):
    from support.factories import make_event, make_seat_map

    days = sorted({line["date"] for line in _journal(admin_client)})
    assert days  # payments and documents are dated when the server took them
    assert _journal(admin_client, to="2000-01-01") == []
    whole = _journal(admin_client, **{"from": days[0], "to": days[-1]})
    assert len(whole) == len(_journal(admin_client))
    other = make_event(make_seat_map(name="Elsewhere"), name="Other")
    assert _journal(admin_client, venue=other.seat_map.venue_id) == []
    mine = _journal(admin_client, venue=report_data.shop.seat_map.venue_id)
    assert len(mine) == len(whole)


def test_times_are_the_venues_wall_clock_across_daylight_saving(admin_client, report_data):
    """Berlin's clocks go forward on 29 March 2026 at 01:00 UTC and back on 25 October
    at 01:00 UTC: each line has Berlin's date and time at its moment, the fraction of a
    second cut off, and the lines are in the order of the moments."""
    from enturf_server.billing.models import COUNTING_STATES, Payment

    moments = [
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 02:30:00 CET, the second time
        datetime(2026, 3, 29, 0, 59, 59, 999999, UTC),  # 01:59:59 CET
        datetime(2026, 10, 24, 21, 59, 59, 999999, UTC),  # 23:59:59 CEST, the day before
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 03:00:00 CEST
        datetime(2026, 10, 25, 0, 30, 0, 123, UTC),  # 02:30:00 CEST, the first time
    ]
    payments = list(Payment.objects.filter(state__in=COUNTING_STATES).order_by("pk"))
    assert len(payments) >= len(moments)
    for payment, at in zip(payments, moments, strict=False):
        Payment.objects.filter(pk=payment.pk).update(succeeded_at=at)
    berlin = ZoneInfo("Europe/Berlin")
    expected = [
        (f"{at.astimezone(berlin):%Y-%m-%d}", f"{at.astimezone(berlin):%H:%M:%S}", str(p.pk))
        for at, p in sorted(zip(moments, payments, strict=False))
    ]
    assert expected[3][1] == expected[4][1] == "02:30:00"
    # both bounds given, and only the last (the zone's offsets then come from the lines)
    for query in ({"from": "2026-03-01", "to": "2026-10-31"}, {"to": "2026-10-31"}):
        lines = _journal(admin_client, **query)
        assert [(line["date"], line["time"], line["document"]) for line in lines] == expected


@pytest.mark.parametrize(
    "query",
    [{"from": "2026-02-30"}, {"to": "tomorrow"}, {"venue": "0"}, {"venue": "77777"}],
)
def test_bad_input_is_a_400(admin_client, db, query):
    r = admin_client.get(URL, query)
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid"
