"""The server's side of a push, in process: ms and SQL statements per op.

A registered counter pushes N ticket edits (price changes that all apply) in requests of
`--batch` ops to `POST /api/v1/sync/push/` through the Django test client, against a
fresh database: SQLite in a temporary directory, or PostgreSQL with `--database-url`
(the database is dropped and created again). Prints wall-clock and CPU ms per op, then the SQL
statements per op of one more request, counted separately (counting slows the run).

    .venv/bin/python bench/sync_push_server.py
    .venv/bin/python bench/sync_push_server.py \\
        --database-url postgres://postgres@127.0.0.1:5432/enturf_push
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PUSH = "/api/v1/sync/push/"


def fresh_postgres(url: str, *, create: bool = True) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(database_url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["ENTURF_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enturf_server.settings")
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def counter_client(tickets: int):
    from support.catalog_data import make_event, make_seat_map, make_venue
    from support.counters import pos_client, register_counter

    from enturf_server.accounts.models import User
    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import set_role
    from enturf_server.catalog import services

    manager = User.objects.create(username="manager")
    set_role(manager, Role.ADMIN)
    _device, token, _key = register_counter("Bench counter")
    client = pos_client(manager, token)
    event = make_event(make_seat_map(make_venue(), sections=1, rows=1, seats=4), name="Gala")
    made = [
        services.create_ticket(
            actor=None,
            event=event,
            name=f"Ticket {n}",
            price=Decimal("30.00"),
            tax_rate=Decimal("19.00"),
            category="standard",
        )
        for n in range(tickets)
    ]
    return client, made


def edits(tickets, count: int, state: dict[int, tuple[int, Decimal]]) -> list[dict]:
    """`count` price edits, round robin over `tickets`, each based on the one before."""
    ops = []
    for n in range(count):
        ticket = tickets[n % len(tickets)]
        version, price = state.get(ticket.pk, (ticket.version, ticket.price))
        new = price + Decimal("0.50")
        ops.append(
            {
                "id": str(uuid.uuid4()),
                "type": "ticket_update",
                "payload": {"id": ticket.pk, "fields": {"price": str(new)}},
                "base_version": version,
                "base": {"price": str(price)},
            }
        )
        state[ticket.pk] = (version + 1, new)
    return ops


def push(client, ops: list[dict]) -> None:
    r = client.post(PUSH, {"ops": ops}, format="json")
    assert r.status_code == 200, r.content
    statuses = {result["status"] for result in r.json()["results"]}
    assert statuses == {"applied"}, r.json()["results"][:3]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--tickets", type=int, default=100)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        if url.startswith("postgres"):
            fresh_postgres(url)
        setup_django(url, tmp)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client, tickets = counter_client(args.tickets)
        state: dict[int, tuple[int, Decimal]] = {}
        push(client, edits(tickets, 10, state))  # warm up
        requests = [
            edits(tickets, min(args.batch, args.ops - start), state)
            for start in range(0, args.ops, args.batch)
        ]
        t0, cpu0 = time.perf_counter(), time.process_time()
        for ops in requests:
            push(client, ops)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        counted = edits(tickets, args.batch, state)
        with CaptureQueriesContext(connection) as queries:
            push(client, counted)
        print(
            f"{connection.vendor}: {args.ops} ops in {len(requests)} requests: "
            f"{elapsed:.2f} s, {elapsed * 1000 / args.ops:.2f} ms per op "
            f"(this process's CPU {cpu * 1000 / args.ops:.2f} ms per op); "
            f"{len(queries) / len(counted):.1f} statements per op "
            f"({len(queries)} for a request of {len(counted)})"
        )
        if connection.vendor == "postgresql":
            connection.close()
            fresh_postgres(url, create=False)  # leave nothing behind
    return 0


if __name__ == "__main__":
    sys.exit(main())
