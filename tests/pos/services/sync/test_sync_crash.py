"""The sync killed (SIGKILL) at named points in a subprocess, then run again.

After each kill the local database is intact and consistent (the cursor matches the
data of the last committed page); after the restart the counter holds exactly what a
counter synced in one go holds, and every op reached the server exactly once.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from support.sync_support import SYNC_CHILD, make_show, run_pos_child

from enturf_pos.models import Event, OutboxOp, OutboxState, Seat, SeatStatus, Ticket, Venue
from enturf_pos.services.catalog import ticket_edits
from enturf_pos.services.session.secret_store import Secret
from enturf_pos.services.sync import sync_engine, sync_state_store


def run_child(ctx, *, kill_at: str | None = None, **order) -> subprocess.CompletedProcess:
    return run_pos_child(
        SYNC_CHILD, ctx, (Secret.DEVICE_TOKEN, Secret.USER_TOKEN), kill_at=kill_at, **order
    )


def snapshot_of(ctx) -> dict:
    """What a counter holds of the catalog, comparable between two counters."""
    with ctx.db.transaction() as s:
        return {
            "venues": sorted(s.execute(select(Venue.id, Venue.name, Venue.version)).all()),
            "events": sorted(
                s.execute(select(Event.id, Event.name, Event.state, Event.version)).all()
            ),
            "tickets": sorted(
                s.execute(select(Ticket.id, Ticket.name, Ticket.price, Ticket.version)).all()
            ),
            "seats": s.scalar(select(func.count()).select_from(Seat)),
            "status": sorted(
                (r.event_id, sorted(r.seats.items()), sorted(r.areas.items()), r.version)
                for r in s.scalars(select(SeatStatus))
            ),
        }


def integrity_ok(path: Path) -> bool:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        connection.close()


@pytest.fixture
def counter(new_counter):
    return new_counter("Crash counter")


@pytest.fixture
def reference(new_counter):
    return new_counter("Reference")


@pytest.mark.parametrize("page", [2, 4])
def test_killed_mid_pull_resumes_from_the_last_committed_page(counter, reference, api, page):
    for _ in range(3):
        make_show(api)
    killed = run_child(counter, kill_at=f"mid_pull_page_{page}", page_size=4)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert integrity_ok(counter.db.path)
    with counter.db.transaction() as s:
        cursor = sync_state_store.cursor(s)
    assert cursor != "0", "pages before the killed one stay committed, with their cursor"

    again = run_child(counter, page_size=4)
    assert again.returncode == 0, again.stdout + again.stderr[-2000:]
    assert sync_engine.run_sync(ctx=reference).ok
    assert sync_engine.run_sync(ctx=counter).ok  # both at the same point of the log
    assert snapshot_of(counter) == snapshot_of(reference)


@pytest.mark.parametrize("kill_at", ["after_push_sent", "mid_push_marking"])
def test_killed_mid_push_sends_again_without_duplicating(counter, api, kill_at):
    show = make_show(api)
    assert sync_engine.run_sync(ctx=counter).ok
    ticket_id = show.ticket_ids[0]
    before = api.get(f"tickets/{ticket_id}/")["version"]
    prices = ["40", "41", "42", "43", "44"]
    for price in prices:
        assert ticket_edits.edit_ticket(
            ctx=counter, ticket_id=ticket_id, changes={"price": price}
        ).ok

    killed = run_child(counter, kill_at=kill_at, batch_size=2)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert integrity_ok(counter.db.path)
    assert sync_engine.counts(counter)[0] == 5, "nothing was marked: all still pending"
    assert api.get(f"tickets/{ticket_id}/")["version"] == before + 2  # the first batch applied

    again = run_child(counter, batch_size=2)
    assert again.returncode == 0, again.stdout + again.stderr[-2000:]
    with counter.db.transaction() as s:
        ops = s.scalars(select(OutboxOp).order_by(OutboxOp.created_at)).all()
        assert [op.state for op in ops] == [OutboxState.APPLIED] * 5
        assert [op.result["status"] for op in ops] == ["duplicate"] * 2 + ["applied"] * 3
        assert s.get(Ticket, ticket_id).price == Decimal("44.00")
    server = api.get(f"tickets/{ticket_id}/")
    # each op applied exactly once, in order: five versions, the last price
    assert server["version"] == before + 5 and server["price"] == "44.00"
