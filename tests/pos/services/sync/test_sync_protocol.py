"""A stateful property test of the sync protocol: several counters, the real server and
a lossy link (hypothesis).

Steps, in any order: a counter edits a ticket (offline or not: nothing is sent until it
syncs); an administrator edits one on the server; a counter syncs over a link that
works, is down, drops the answer to a push after the server applied it, or drops a
change-feed page. At the end the link heals and every counter syncs twice. Then:

* every op was recorded by the server exactly once, and the counter holds the server's
  first answer to it (no op applied twice; a replay answered `duplicate`);
* no op is rejected (they are all valid) and none is left pending;
* every counter holds exactly the server's tickets (names, prices, versions).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test
from sqlalchemy import select
from support.sync_support import AdminApi, make_show

from enturf_pos.models import OutboxOp, OutboxState, Ticket
from enturf_pos.services.catalog import ticket_edits
from enturf_pos.services.sync import sync_engine

DEVICES = 3
FAULTS = ("none", "none", "down", "drop_push_answer", "drop_pull_page")


def server_rows(server, sql: str, params: list) -> list[tuple]:
    """Read the server's database directly (SQLite file, or PostgreSQL when in use)."""
    url = server.env.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(url) as conn:
            return conn.execute(sql.replace("?", "%s"), params).fetchall()
    path = Path(server.env["ENTURF_DATA_DIR"]) / "enturf.sqlite3"
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


def op_key(server, op_id) -> str:
    """How the server stores a UUID primary key (hex on SQLite, uuid on PostgreSQL)."""
    on_pg = server.env.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    return str(op_id) if on_pg else op_id.hex


@pytest.fixture
def counters(new_counter):
    return [new_counter(f"Prop {n}") for n in range(DEVICES)]


def test_the_protocol_converges_and_applies_every_op_at_most_once(server, proxy, counters):
    api = AdminApi(server)

    class SyncProtocol(RuleBasedStateMachine):
        @initialize()
        def new_show(self) -> None:
            proxy.up()
            proxy.drop_responses(0)
            self.show = make_show(api, tickets=2, rows=1, seats=2)
            self.server_edits = 0
            self.started = {}
            for ctx in counters:
                assert sync_engine.run_sync(ctx=ctx).ok
                with ctx.db.transaction() as s:
                    self.started[id(ctx)] = set(s.scalars(select(OutboxOp.id)))

        @rule(
            device=st.integers(0, DEVICES - 1),
            ticket=st.integers(0, 1),
            field=st.sampled_from(["name", "price"]),
            value=st.integers(1, 4),
        )
        def edit_on_a_counter(self, device, ticket, field, value) -> None:
            new = f"Name {value}" if field == "name" else f"{10 + value}.50"
            result = ticket_edits.edit_ticket(
                ctx=counters[device],
                ticket_id=self.show.ticket_ids[ticket],
                changes={field: new},
            )
            assert result.ok, result.message

        @rule(ticket=st.integers(0, 1), value=st.integers(1, 4))
        def edit_on_the_server(self, ticket, value) -> None:
            api.patch(f"tickets/{self.show.ticket_ids[ticket]}/", {"price": f"{10 + value}.50"})
            self.server_edits += 1

        @rule(device=st.integers(0, DEVICES - 1), fault=st.sampled_from(FAULTS))
        def sync_over_a_lossy_link(self, device, fault) -> None:
            if fault == "down":
                proxy.down()
            elif fault == "drop_push_answer":
                proxy.drop_responses(1, match=b"POST /api/v1/sync/push/")
            elif fault == "drop_pull_page":
                proxy.drop_responses(1, match=b"GET /api/v1/sync/changes/")
            report = sync_engine.run_sync(ctx=counters[device])
            proxy.up()
            proxy.drop_responses(0)
            assert report.rejected == 0, report.message
            if fault == "none":
                assert report.ok, report.message

        def teardown(self) -> None:
            proxy.up()
            proxy.drop_responses(0)
            for _round in range(2):
                for ctx in counters:
                    report = sync_engine.run_sync(ctx=ctx)
                    assert report.ok, report.message
            self.check()

        def check(self) -> None:
            ops = []
            for ctx in counters:
                with ctx.db.transaction() as s:
                    for op in s.scalars(select(OutboxOp)):
                        if op.id not in self.started[id(ctx)]:
                            ops.append((op.id, op.state, dict(op.result or {})))
            assert all(state in (OutboxState.APPLIED, OutboxState.CONFLICT) for _, state, _ in ops)
            if ops:
                keys = [op_key(server, op_id) for op_id, _, _ in ops]
                marks = ",".join("?" * len(keys))
                stored = server_rows(
                    server, f"SELECT id, result FROM sync_processedop WHERE id IN ({marks})", keys
                )
                assert len(stored) == len(ops), "every op recorded once by the server"
                import json

                first = {
                    str(k).replace("-", ""): (json.loads(r) if isinstance(r, str) else r)["status"]
                    for k, r in stored
                }
                for op_id, _state, result in ops:
                    local = result.get("first_status") or result["status"]
                    assert first[op_id.hex] == local, "the counter holds the server's first answer"
                ids = [str(t) for t in self.show.ticket_ids]
                (updates,) = server_rows(
                    server,
                    "SELECT count(*) FROM audit_auditentry WHERE action = 'ticket.update' "
                    f"AND object_id IN ({','.join('?' * len(ids))})",
                    ids,
                )[0:1]
                assert updates[0] <= len(ops) + self.server_edits
            for ticket_id in self.show.ticket_ids:
                on_server = api.get(f"tickets/{ticket_id}/")
                for ctx in counters:
                    with ctx.db.transaction() as s:
                        row = s.get(Ticket, ticket_id)
                        here = (row.name, str(row.price), row.version)
                    assert here == (on_server["name"], on_server["price"], on_server["version"])

    run_state_machine_as_test(
        SyncProtocol,
        settings=settings(
            max_examples=12,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
        ),
    )
