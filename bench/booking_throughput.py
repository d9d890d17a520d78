#!/usr/bin/env python
"""Booking throughput of the Enturf server on PostgreSQL, through real HTTP.

What it does:

1. Creates a fresh PostgreSQL database (``enturf_bench`` by default), migrates it and
   builds the demo arena (20,000 seats + a GA floor) with the catalog services, one
   on-sale event per run, tickets per seat category and one customer (with a token) per
   client.
2. Counts the SQL statements of one booking, run in-process through Django's WSGI
   handler (``CaptureQueriesContext``; BEGIN and COMMIT included).
3. Starts gunicorn (``--workers``, default 2 x cores + 1; ``sync`` workers, then
   ``gthread`` with ``--threads``) on a free local port, and books ``--calibrate``
   pairs one at a time with a single client: the CPU a booking costs when nothing
   queues (the figure to compare across changes on a shared machine).
4. Runs ``--clients`` concurrent client threads (default 16). Each keeps a local copy of
   the seat map's availability (one full fetch shared at the start, then
   ``?since=<version>`` refreshes after every refusal and every 10 bookings), picks two
   adjacent free seats in a random row and POSTs ``/api/v1/bookings/`` directly with
   two seat lines, until the event sells out or ``--seconds`` pass.
5. Prints, per worker class: confirmed bookings per minute; p50/p95/p99 latency of the
   booking POSTs; CPU seconds per confirmed booking of the gunicorn processes (master +
   workers, from /proc) and of the PostgreSQL backends serving the bench database (from
   /proc, via pg_stat_activity; background writer/WAL writer not included); and oversold
   seats counted in the database afterwards (must be 0).
6. Runs pgbench's TPC-B-like test on the same PostgreSQL (scratch database,
   ``pgbench -i -s 10`` then ``pgbench -c 16 -j 2 -T 20``) as a yardstick of the machine.

Reference: stock pretix books about 1,500 orders/min at about 77 ms CPU per order on a
comparable machine; Enturf aims for at least five times that rate, with zero oversell.
CPU time is what a booking costs; bookings per minute also depend on what else runs on
the machine, so the load average before and after each run is printed with it.

    .venv/bin/python bench/booking_throughput.py [--seconds 60] [--clients 16]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from booking_report import Results, Run, report
from load_tools import (
    backend_pids,
    children_of,
    cpu_seconds,
    drop_database,
    free_port,
    machine_cpu,
    pgbench_tps,
    recreate_database,
    start_gunicorn,
)

ROOT = Path(__file__).resolve().parents[1]


# -- database ----------------------------------------------------------------------------------


# -- data --------------------------------------------------------------------------------------


@dataclass
class Stock:
    event_id: int
    tickets: dict[str, int]  # seat category -> ticket id
    rows: list[list[int]]  # seat ids per row, in seat order
    categories: dict[int, str]
    version: int
    presold: set[int] = field(default_factory=set)  # booked before the clients start


def setup_django(database_url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["ENTURF_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enturf_server.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_arena():
    from enturf_demo.venues import enturf_arena
    from enturf_server.catalog import services
    from enturf_server.catalog.seatmap_layout import parse_layout

    venue = services.create_venue(actor=None, name="Bench Arena")
    layout = enturf_arena()
    return services.import_seat_map(
        actor=None,
        venue=venue,
        name=layout.get("name", "Main"),
        layout=parse_layout(layout),
        stage_x=layout.get("stage_x", 0),
        stage_y=layout.get("stage_y", 0),
    )


def make_stock(seat_map, label: str) -> Stock:
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from enturf_server.catalog import services
    from enturf_server.catalog.models import Seat
    from enturf_server.sales.selectors import availability

    event = services.create_event(
        actor=None,
        seat_map=seat_map,
        name=f"Bench {label}",
        starts_at=timezone.now() + timedelta(days=30),
        state="on_sale",
    )
    categories = sorted(
        set(Seat.objects.filter(seat_map=seat_map).values_list("category", flat=True))
    )
    tickets = {
        category: services.create_ticket(
            actor=None,
            event=event,
            name=category.title(),
            price=Decimal("39.90") + i * 10,
            tax_rate=Decimal("7"),
            category=category,
        ).pk
        for i, category in enumerate(categories)
    }
    snapshot = availability(event=event)
    rows: dict[tuple[str, str], list[int]] = {}
    cats = {}
    for seat in snapshot["seats"]:
        rows.setdefault((seat["section"], seat["row"]), []).append(seat["id"])
        cats[seat["id"]] = seat["category"]
    return Stock(
        event_id=event.pk,
        tickets=tickets,
        rows=[sorted(ids) for ids in rows.values()],
        categories=cats,
        version=snapshot["version"],
    )


def make_customers(n: int) -> list[str]:
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password

    from enturf_server.accounts.models import ApiToken, User

    password = make_password("bench-password-1")
    keys = []
    for i in range(n):
        user, _ = User.objects.get_or_create(
            username=f"bench{i}", defaults={"password": password, "role": "customer"}
        )
        _token, key = ApiToken.issue(user, timedelta(hours=6))
        keys.append(key)
    return keys


def oversold(event_id: int) -> tuple[int, int, int]:
    """(seats in more than one live booking, seats marked sold without exactly one live
    line, live seat lines) for the event."""
    from django.db.models import Count

    from enturf_server.sales.models import BookingLine, SeatInventory

    live = BookingLine.objects.filter(
        booking__event_id=event_id,
        booking__state__in=["pending", "paid"],
        state="valid",
        seat__isnull=False,
    )
    doubles = live.values("seat_id").annotate(n=Count("id")).filter(n__gt=1).count()
    sold = set(
        SeatInventory.objects.filter(event_id=event_id, status="sold").values_list(
            "seat_id", flat=True
        )
    )
    lines = set(live.values_list("seat_id", flat=True))
    return doubles, len(sold ^ lines), live.count()


def statements_per_booking(key: str, stock: Stock, pair: list[int]) -> list[str]:
    """The SQL of one booking POST through Django's WSGI handler, in this process."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    lines = [{"seat": s, "ticket": stock.tickets[stock.categories[s]]} for s in pair]
    with CaptureQueriesContext(connection) as captured:
        response = DjangoClient().post(
            "/api/v1/bookings/",
            {"event": stock.event_id, "lines": lines},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {key}",
        )
    if response.status_code != 201:
        raise SystemExit(f"the in-process booking answered {response.status_code}")
    connection.close()  # the bench's own backend must not count as the server's
    return [q["sql"] for q in captured.captured_queries]


# -- the server --------------------------------------------------------------------------------


def warm_up(port: int, keys: list[str], stock: Stock, master: int) -> None:
    """Let every worker import and run the booking code once (refused bookings, reads), then
    wait until the workers are idle, so start-up CPU is not counted as booking CPU."""
    client = Client(port, keys[0], stock, 0, Results())
    for _ in range(20):
        client.request("POST", "/api/v1/bookings/", {"event": stock.event_id, "lines": []})
        client.request(
            "GET", f"/api/v1/events/{stock.event_id}/availability/?since={stock.version}"
        )
    pids = {master} | children_of(master)
    before = -1.0
    for _ in range(50):
        now = sum(cpu_seconds(pid) for pid in pids)
        if now - before < 0.02:
            return
        before = now
        time.sleep(0.3)


def calibrate(port: int, key: str, stock: Stock, n: int, app_pids, postgres: str, database: str):
    """Book `n` pairs one at a time (one client, nothing queues): (bookings, app CPU s,
    PostgreSQL CPU s, wall s). The pairs are then taken for the concurrent clients."""
    client = Client(port, key, stock, 0, Results())
    app_before = {pid: cpu_seconds(pid) for pid in app_pids}
    db_before = {pid: cpu_seconds(pid) for pid in backend_pids(postgres, database)}
    booked, began = 0, time.perf_counter()
    for row in stock.rows:
        for i in range(0, len(row) - 1, 2):
            if booked >= n:
                break
            pair = row[i : i + 2]
            lines = [{"seat": s, "ticket": stock.tickets[stock.categories[s]]} for s in pair]
            status, _body = client.request(
                "POST", "/api/v1/bookings/", {"event": stock.event_id, "lines": lines}
            )
            booked += status == 201
            stock.presold.update(pair)
        if booked >= n:
            break
    wall = time.perf_counter() - began
    app = sum(cpu_seconds(pid) - c for pid, c in app_before.items())
    db_pids = backend_pids(postgres, database) | set(db_before)
    db = sum(cpu_seconds(pid) - db_before.get(pid, 0.0) for pid in db_pids)
    return booked, app, db, wall


# -- the load ----------------------------------------------------------------------------------


class Client:
    def __init__(self, port: int, key: str, stock: Stock, seed: int, results: Results):
        self.port, self.stock, self.results = port, stock, results
        self.headers = {"Authorization": f"Token {key}", "Content-Type": "application/json"}
        self.rng = random.Random(seed)
        self.taken: set[int] = set(stock.presold)  # seats this client believes are taken
        self.version = stock.version

    def request(self, method: str, path: str, body=None) -> tuple[int, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(
                method, path, body=None if body is None else json.dumps(body), headers=self.headers
            )
            response = conn.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        finally:
            conn.close()

    def refresh(self) -> None:
        status, body = self.request(
            "GET", f"/api/v1/events/{self.stock.event_id}/availability/?since={self.version}"
        )
        if status != 200:
            raise RuntimeError(f"availability answered {status}")
        for seat in body["seats"]:
            if seat["status"] == "available":
                self.taken.discard(seat["id"])
            else:
                self.taken.add(seat["id"])
        self.version = body["version"]
        with self.results.lock:
            self.results.refreshes += 1

    def pick_pair(self) -> list[int] | None:
        rows = self.stock.rows
        start = self.rng.randrange(len(rows))
        for k in range(len(rows)):
            row = rows[(start + k) % len(rows)]
            offset = self.rng.randrange(len(row))
            for i in range(len(row) - 1):
                j = (offset + i) % (len(row) - 1)
                a, b = row[j], row[j + 1]
                if a not in self.taken and b not in self.taken:
                    return [a, b]
        return None

    def run(self, deadline: float) -> None:
        booked = 0
        while time.time() < deadline:
            pair = self.pick_pair()
            if pair is None:
                self.refresh()
                if self.pick_pair() is None:
                    return  # sold out
                continue
            lines = [
                {"seat": s, "ticket": self.stock.tickets[self.stock.categories[s]]} for s in pair
            ]
            began = time.perf_counter()
            status, body = self.request(
                "POST", "/api/v1/bookings/", {"event": self.stock.event_id, "lines": lines}
            )
            elapsed = time.perf_counter() - began
            with self.results.lock:
                self.results.latencies.append(elapsed)
                self.results.codes[status] += 1
                if status not in (201, 409):
                    self.results.errors.append(f"{status}: {str(body)[:200]}")
            self.taken.update(pair)
            if status == 201:
                booked += 1
                if booked % 10 == 0:
                    self.refresh()
            else:
                self.refresh()


def run_load(port: int, keys: list[str], stock: Stock, seconds: float) -> tuple[Results, float]:
    results = Results()
    deadline = time.time() + seconds
    clients = [Client(port, key, stock, seed, results) for seed, key in enumerate(keys)]
    threads = [threading.Thread(target=c.run, args=(deadline,)) for c in clients]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.perf_counter() - began


# -- pgbench -----------------------------------------------------------------------------------


# -- main --------------------------------------------------------------------------------------


def main() -> None:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="enturf_bench")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2 * cores + 1)
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--worker-classes", default="sync,gthread")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--no-pgbench", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--calibrate", type=int, default=300, help="bookings made one at a time first (0: none)"
    )
    parser.add_argument("--verbose", action="store_true", help="list the booking's statements")
    args = parser.parse_args()

    from urllib.parse import urlparse

    pg = urlparse(args.postgres)
    database_url = f"{args.postgres}/{args.database}"
    print(
        f"Preparing {args.database}: migrate, the demo arena, {args.clients} customers ...",
        flush=True,
    )
    recreate_database(args.postgres, args.database)
    data_dir = tempfile.mkdtemp(prefix="enturf-bench-")
    setup_django(database_url, data_dir)
    seat_map = build_arena()
    keys = make_customers(args.clients)

    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ENTURF_DATA_DIR": data_dir,
        "ENTURF_DB_CONN_MAX_AGE": "600",
        "ENTURF_LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }
    runs: list[Run] = []
    statements: list[str] = []
    for worker_class in [w.strip() for w in args.worker_classes.split(",") if w.strip()]:
        from django.db import connection

        stock = make_stock(seat_map, worker_class)
        seats = sum(len(r) for r in stock.rows)
        if not statements:
            pair = stock.rows[-1][-2:]
            statements = statements_per_booking(keys[0], stock, pair)
            stock.presold.update(pair)
        connection.close()  # the bench's own backend must not count as the server's
        port = free_port()
        server = start_gunicorn(env, port, args.workers, worker_class, args.threads)
        run = Run(worker_class=worker_class, seats=seats, load_before=os.getloadavg()[0])
        try:
            warm_up(port, keys, stock, server.pid)
            app_pids = {server.pid} | children_of(server.pid)
            if args.calibrate:
                print(f"[{worker_class}] {args.calibrate} bookings one at a time ...", flush=True)
                run.calibration = calibrate(
                    port, keys[0], stock, args.calibrate, app_pids, args.postgres, args.database
                )
            app_before = {pid: cpu_seconds(pid) for pid in app_pids}
            db_before = {
                pid: cpu_seconds(pid) for pid in backend_pids(args.postgres, args.database)
            }
            print(
                f"[{worker_class}] {args.workers} workers"
                + (f" x {args.threads} threads" if worker_class == "gthread" else "")
                + f", {args.clients} clients, {seats} seats, up to {args.seconds:.0f} s ...",
                flush=True,
            )
            busy_before, total_before = machine_cpu()
            clients_before = sum(os.times()[:2])
            run.results, run.elapsed = run_load(port, keys, stock, args.seconds)
            busy_after, total_after = machine_cpu()
            run.clients_cpu = sum(os.times()[:2]) - clients_before
            run.machine_busy = (busy_after - busy_before) / max(total_after - total_before, 1e-9)
            run.load_after = os.getloadavg()[0]
            app_pids |= children_of(server.pid)
            run.app_cpu = sum(cpu_seconds(pid) - app_before.get(pid, 0.0) for pid in app_pids)
            db_pids = backend_pids(args.postgres, args.database) | set(db_before)
            run.db_cpu = sum(cpu_seconds(pid) - db_before.get(pid, 0.0) for pid in db_pids)
        finally:
            server.terminate()
            server.wait(timeout=30)
        run.doubles, run.mismatched, run.live_lines = oversold(stock.event_id)
        runs.append(run)

    tps = (
        None
        if args.no_pgbench
        else pgbench_tps(
            args.postgres,
            pg.hostname or "127.0.0.1",
            str(pg.port or 5432),
            pg.username or "postgres",
        )
    )
    if not args.keep:
        from django.db import connection

        connection.close()
        drop_database(args.postgres, args.database)
    shutil.rmtree(data_dir, ignore_errors=True)
    report(runs, statements, tps, args, cores)


if __name__ == "__main__":
    main()
