"""A card sale killed (SIGKILL) at each step in a subprocess, then reconciled.

Checked at the gateway simulator (over HTTP, with its secret key) and in the local
database: at most one capture, a local sale exists exactly when the money was captured,
no authorisation is left open, and the captured sale reaches the server paid.
"""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest
from card_support import cart_for
from sqlalchemy import select
from support.open_drawer import open_drawer
from sync_support import make_show, run_pos_child

from enturf_pos.models import CardAttempt, LocalSale
from enturf_pos.services.payments import card_reconcile
from enturf_pos.services.sales import sale_service
from enturf_pos.services.session.secret_store import Secret
from enturf_pos.services.sync import sync_engine

CHILD = Path(__file__).with_name("card_child.py")
SECRETS = (Secret.DEVICE_TOKEN, Secret.USER_TOKEN, Secret.GATEWAY_KEY, Secret.SIGNING_KEY)


@pytest.fixture
def tapping(sim, gateway):
    """The reader approves by itself at once (the customer taps)."""
    gateway.set_reader(auto_approve_delay=0.2)
    yield sim
    gateway.set_reader(auto_approve_delay=None)


@pytest.fixture
def counter(new_counter):
    ctx = new_counter("Crash counter", "cashier")
    open_drawer(ctx)
    return ctx


def run_child(ctx, *, kill_at: str | None, **order) -> subprocess.CompletedProcess:
    return run_pos_child(CHILD, ctx, SECRETS, kill_at=kill_at, **order)


# point -> whether the money is taken (and the sale kept) after reconciliation
POINTS = {
    "card_before_intent": False,
    "card_after_intent": False,
    "card_after_tap": False,
    "card_after_commit": True,
    "card_after_capture": True,
    None: True,  # no crash at all
}


@pytest.mark.parametrize("kill_at", list(POINTS), ids=lambda p: p or "no_crash")
def test_killed_card_sale_is_reconciled(counter, tapping, api, kill_at):
    sim, admin = tapping, api
    show = make_show(admin, tickets=1, rows=1, seats=3)
    detail = admin.get(f"seatmaps/{show.seat_map_id}/")
    seats = [s["id"] for sec in detail["sections"] for r in sec["rows"] for s in r["seats"]][:2]
    cart_for(counter, show.event_id, seats)  # syncs the catalog

    done = run_child(counter, kill_at=kill_at, event=show.event_id, seats=seats)
    if kill_at:
        assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr[-2000:]
    else:
        assert done.returncode == 0, done.stdout + done.stderr[-2000:]

    report = card_reconcile.reconcile(ctx=counter)
    assert report.left_open == 0, report.message
    assert card_reconcile.reconcile(ctx=counter).message.startswith("Card payments checked: 0")
    with counter.db.transaction() as s:
        [attempt] = s.scalars(select(CardAttempt)).all()
        sale = s.get(LocalSale, attempt.sale_id)
        attempt_id, sale_id, state = attempt.id, attempt.sale_id, attempt.state
    intents = sim.intents(local_id=str(attempt_id))
    assert len(intents) == (0 if kill_at == "card_before_intent" else 1)
    captured = [i for i in intents if i["status"] == "succeeded"]
    assert all(i["status"] in ("succeeded", "canceled") for i in intents), "no open authorisation"
    paid = POINTS[kill_at]
    assert len(captured) == (1 if paid else 0)  # at most one capture
    assert (sale is not None) == paid == (state == "captured")
    if paid:
        assert captured[0]["amount_received"] == 4000
        assert captured[0]["metadata"]["booking"] == str(sale_id)
        assert sync_engine.run_sync(ctx=counter).ok  # and the paid sale is not lost
        assert sale_service.sale_status(ctx=counter, sale_id=sale_id).state == "applied"
        assert admin.get(f"bookings/{sale_id}/")["state"] == "paid"
