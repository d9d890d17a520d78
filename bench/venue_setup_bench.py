"""A manager's set-up on the server, in process: blocking and releasing 5,000 seats of a
20,000-seat event, an `event_create` push with ten tickets, and a series of eight dates
(`POST /events/{id}/duplicate/`), each on a fresh database: SQLite in a temporary
directory, or PostgreSQL with `--database-url` (dropped and created again). Prints the
wall-clock milliseconds of each (median of `--runs`).

    .venv/bin/python bench/venue_setup_bench.py
    .venv/bin/python bench/venue_setup_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/enturf_setup_bench
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fresh_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
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


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def run(runs: int) -> dict[str, list[float]]:
    from support.catalog_data import make_event, make_seat_map, make_ticket, make_venue
    from support.counters import pos_client, register_counter

    from enturf_server.accounts.models import User
    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import set_role
    from enturf_server.sales.seat_blocks import block_seats, release_seats

    manager = User.objects.create(username="manager")
    set_role(manager, Role.ADMIN)
    _device, token, _key = register_counter("Office")
    client = pos_client(manager, token)
    seat_map = make_seat_map(make_venue(), sections=20, rows=25, seats=40)  # 20,000 seats
    figures: dict[str, list[float]] = {
        "block 5,000 seats": [],
        "release 5,000 seats": [],
        "event_create with 10 tickets (push)": [],
        "series of 8 dates (duplicate API)": [],
    }
    for n in range(runs):
        event = make_event(seat_map, name=f"Show {n}")
        for t in range(3):
            make_ticket(event, name=f"T{t}", price="20.00")
        seats = list(event.seat_inventory.order_by("seat_id").values_list("seat_id", flat=True))
        chosen = seats[::4]
        figures["block 5,000 seats"].append(
            timed(
                lambda e=event, c=chosen: block_seats(
                    actor=manager, event=e, seat_ids=c, reason="kill"
                )
            )
        )
        figures["release 5,000 seats"].append(
            timed(lambda e=event, c=chosen: release_seats(actor=manager, event=e, seat_ids=c))
        )
        op = {
            "id": str(uuid.uuid4()),
            "type": "event_create",
            "payload": {
                "id": str(uuid.uuid4()),
                "seat_map": seat_map.pk,
                "name": "Premiere",
                "starts_at": "2031-03-01T19:30:00Z",
                "tickets": [
                    {
                        "id": str(uuid.uuid4()),
                        "name": f"T{t}",
                        "price": "20.00",
                        "category": "standard",
                    }
                    for t in range(10)
                ],
            },
        }

        def push(op=op):
            r = client.post("/api/v1/sync/push/", {"ops": [op]}, format="json")
            assert r.json()["results"][0]["status"] == "applied", r.content

        figures["event_create with 10 tickets (push)"].append(timed(push))

        def series(event=event):
            starts = [f"2031-0{m}-0{d}T19:00:00Z" for m, d in [(4, 1), (4, 8)] * 4]
            r = client.post(
                f"/api/v1/events/{event.pk}/duplicate/", {"starts_at": starts}, format="json"
            )
            assert r.status_code == 201, r.content

        figures["series of 8 dates (duplicate API)"].append(timed(series))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        if args.database_url:
            fresh_postgres(url)
        setup_django(url, tmp)
        for name, values in run(args.runs).items():
            print(f"{name:40} {statistics.median(values):8.1f} ms (median of {len(values)})")


if __name__ == "__main__":
    main()
