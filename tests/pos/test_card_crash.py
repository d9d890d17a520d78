"""A card sale killed (SIGKILL) at each step in a subprocess, then reconciled.

Checked at the gateway simulator (over HTTP, with its secret key) and in the local
database: at most one capture, a local sale exists exactly when the money was captured,
no authorisation is left open, and the captured sale reaches the server paid.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from card_support import GatewayView, cart_for
from sqlalchemy import select
from sync_support import AdminApi, log_in_online, make_show, open_counter, register

from enturf_pos.models import CardAttempt, LocalSale
from enturf_pos.services import card_payments, sale_service, sync_engine
from enturf_pos.services.secret_store import Secret

CHILD = Path(__file__).with_name("card_child.py")
SECRETS = (Secret.DEVICE_TOKEN, Secret.USER_TOKEN, Secret.GATEWAY_KEY, Secret.SIGNING_KEY)


@pytest.fixture
def sim(gateway):
    view = GatewayView(gateway.url, gateway.secret_key, gateway.reader_id)
    view.idle_reader()
    gateway.set_reader(auto_approve_delay=0.2)  # the customer taps at once
    yield view
    gateway.set_reader(auto_approve_delay=None)
    view.idle_reader()
    view.close()


@pytest.fixture
def counter(tmp_path, server, proxy):
    ctx = register(open_counter(tmp_path / "crash"), server, proxy.base_url, "Crash counter")
    log_in_online(ctx, "cashier")
    yield ctx
    ctx.close()


def run_child(ctx, *, kill_at: str | None, **order) -> subprocess.CompletedProcess:
    secrets = {s.value: ctx.secrets.get(s) for s in SECRETS}
    ctx.db.engine.dispose()  # the child has the database to itself
    env = {k: v for k, v in os.environ.items() if k != "ENTURF_POS_KILL_AT"}
    if kill_at:
        env["ENTURF_POS_KILL_AT"] = kill_at
    return subprocess.run(
        [sys.executable, str(CHILD)],
        input=json.dumps({"data_dir": str(ctx.config.data_dir), "secrets": secrets, **order}),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


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
def test_killed_card_sale_is_reconciled(counter, sim, server, kill_at):
    admin = AdminApi(server)
    show = make_show(admin, tickets=1, rows=1, seats=3)
    detail = admin.get(f"seatmaps/{show.seat_map_id}/")
    seats = [s["id"] for sec in detail["sections"] for r in sec["rows"] for s in r["seats"]][:2]
    cart_for(counter, show.event_id, seats)  # syncs the catalog

    done = run_child(counter, kill_at=kill_at, event=show.event_id, seats=seats)
    if kill_at:
        assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr[-2000:]
    else:
        assert done.returncode == 0, done.stdout + done.stderr[-2000:]

    report = card_payments.reconcile(ctx=counter)
    assert report.left_open == 0, report.message
    assert card_payments.reconcile(ctx=counter).message.startswith("Card payments checked: 0")
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
