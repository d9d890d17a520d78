"""Updates of the counter against real servers: a newer counter version published by the
server (a second server started with ENTURF_COUNTER_LATEST_VERSION) is said once a day;
an incompatible wire format stops sync with a reason and loses nothing; queued sales
survive an update of the counter (a newer package version, the same local database
opened and migrated again) and push afterwards."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from support.open_drawer import open_drawer
from support.server_process import running_server
from support.sync_support import log_in_online, make_show, open_counter, register

from enturf_core.wire import version as wire
from enturf_pos.models import Device, OutboxOp, OutboxState
from enturf_pos.services.sales import counter_selectors, sale_service
from enturf_pos.services.sales.cart_service import Cart, SeatPick
from enturf_pos.services.sync import counter_update, sync_engine

NEWER = "99.1.0"
DOWNLOAD = "https://boxoffice.example/counter/"


@pytest.fixture(scope="module")
def newer_server(tmp_path_factory):
    """A server that publishes a newer counter version than this code's."""
    env = {"ENTURF_COUNTER_LATEST_VERSION": NEWER, "ENTURF_COUNTER_DOWNLOAD_URL": DOWNLOAD}
    with running_server(tmp_path_factory.mktemp("newer-server"), extra_env=env) as process:
        yield process


@pytest.fixture
def counter(new_counter):
    return new_counter("Update counter", "cashier")


def pending(ctx) -> int:
    return sync_engine.counts(ctx)[0]


def sell_offline(ctx, event_id: int, seat_id: int) -> sale_service.SaleResult:
    event = counter_selectors.event_for_sale(ctx=ctx, event_id=event_id)
    assert event is not None
    cart = Cart(
        event_id=event.id, tickets=event.tickets, area_names={a.id: a.name for a in event.areas}
    )
    seat = event.layout.seat(event.layout.index(seat_id))
    cart.set_seats([SeatPick(seat_id, f"Seat {seat.label}", seat.category)])
    result = sale_service.record_cash_sale(
        ctx=ctx,
        cart=cart,
        tendered=cart.totals().total,
        seller="cashier",
        hold_id=None,
        offline=True,
    )
    assert result.ok, result.message
    return result


def two_offline_sales(ctx, api) -> tuple[list, list[int]]:
    """An allocation of 2 seats to this counter, synced down, and one offline sale of each."""
    show = make_show(api, rows=1, seats=4)
    seats = [s["id"] for s in api.get(f"events/{show.event_id}/availability/")["seats"]][:2]
    with ctx.db.transaction() as s:
        device_id = int(s.get(Device, 1).device_id)
    api.post(f"events/{show.event_id}/allocations/", {"device": device_id, "seats": seats})
    assert sync_engine.run_sync(ctx=ctx).ok
    open_drawer(ctx)
    sales = [sell_offline(ctx, show.event_id, seat) for seat in seats]
    assert pending(ctx) >= 2
    return sales, seats


# -- versions ------------------------------------------------------------------------------


def test_versions_compare_as_versions_not_as_text():
    assert counter_update.is_newer("0.10.0", "0.9.0")
    assert counter_update.is_newer("1.0.0", "1.0.0rc1")
    assert not counter_update.is_newer("0.1.0", "0.1")
    assert not counter_update.is_newer("not a version", "0.1.0")
    # the fallback without `packaging`
    assert counter_update._tuple("1.10") > counter_update._tuple("1.9")
    assert counter_update._tuple("2.0.0") == counter_update._tuple("2")
    assert counter_update._tuple("v1.2.3rc1") == (1, 2, 3)


def test_the_same_version_says_nothing(counter):
    check = counter_update.check(ctx=counter)
    assert check.versions is not None and check.versions.latest == counter_update.counter_version()
    assert check.notice == "" and check.refusal == ""


def test_a_newer_server_version_is_said_once_a_day(newer_server, tmp_path):
    ctx = register(open_counter(tmp_path / "c"), newer_server, newer_server.base_url, "C")
    try:
        log_in_online(ctx, "cashier")
        first = counter_update.check(ctx=ctx, today=date(2026, 12, 7))
        assert first.notice == (
            f"A newer counter version {NEWER} is available (this counter runs "
            f"{counter_update.counter_version()}): download it from {DOWNLOAD}."
        )
        assert first.refusal == ""  # a newer version is no reason to stop syncing
        assert counter_update.check(ctx=ctx, today=date(2026, 12, 7)).notice == ""
        assert NEWER in counter_update.check(ctx=ctx, today=date(2026, 12, 8)).notice
        assert sync_engine.run_sync(ctx=ctx).ok
    finally:
        ctx.close()


def test_an_unreachable_server_says_nothing(counter, proxy):
    proxy.down()
    check = counter_update.check(ctx=counter)
    assert check.versions is None and check.notice == "" and check.refusal == ""


# -- the wire format -----------------------------------------------------------------------


def test_an_incompatible_wire_format_stops_sync_and_loses_nothing(counter, api, monkeypatch):
    sales, seats = two_offline_sales(counter, api)
    queued = pending(counter)
    monkeypatch.setattr(wire, "WIRE_VERSION", 2)  # a counter newer than the server's format
    report = sync_engine.run_sync(ctx=counter)
    assert not report.ok and report.wire_refused and report.reachable
    assert "sync format 2" in report.message and "formats" not in report.message
    assert "Sales are kept on this counter" in report.message
    assert pending(counter) == queued  # not one op marked, rejected or dropped
    with counter.db.transaction() as s:
        states = {op.state for op in s.query(OutboxOp).all()}
    assert states == {OutboxState.PENDING}
    for sale in sales:  # nothing reached the server
        answer = api.session.get(f"{api.base}/api/v1/bookings/{sale.sale_id}/", timeout=60)
        assert answer.status_code == 404
    # what the counter learnt stops the next sync before it sends anything
    assert counter_update.wire_refused(counter)
    assert counter_update.check(ctx=counter).refusal.startswith("Sync stopped:")
    again = sync_engine.run_sync(ctx=counter)
    assert again.wire_refused and pending(counter) == queued

    monkeypatch.setattr(wire, "WIRE_VERSION", 1)  # the counter is updated to a format served
    assert not counter_update.wire_refused(counter)
    report = sync_engine.run_sync(ctx=counter)
    assert report.ok, report.message
    assert pending(counter) == 0
    for sale in sales:
        booking = api.get(f"bookings/{sale.sale_id}/")
        assert booking["state"] == "paid" and Decimal(booking["total"]) > 0
    assert sorted(
        line["seat"] for sale in sales for line in api.get(f"bookings/{sale.sale_id}/")["lines"]
    ) == sorted(seats)


def test_queued_sales_survive_an_update_of_the_counter(counter, api, monkeypatch):
    sales, _seats = two_offline_sales(counter, api)
    queued = pending(counter)
    data_dir = counter.config.data_dir
    counter.close()  # the old counter stops; the new version is installed ...
    monkeypatch.setattr(counter_update, "counter_version", lambda: "0.2.0")
    updated = open_counter(data_dir)  # ... and opens the same database (migrations run)
    try:
        assert pending(updated) == queued
        log_in_online(updated, "cashier")
        report = sync_engine.run_sync(ctx=updated)
        assert report.ok, report.message
        assert pending(updated) == 0
        for sale in sales:
            assert api.get(f"bookings/{sale.sale_id}/")["state"] == "paid"
    finally:
        updated.close()
