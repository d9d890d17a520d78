#!/usr/bin/env python
"""Door check-in on a live server, through real HTTP (gunicorn).

1. A fresh database (SQLite in a temporary folder, or PostgreSQL: dropped and created
   again), migrated; a hall of 11,000 seats, an event, and every seat sold in paid
   bookings of 10 tickets whose lines carry codes signed by the server's key.
2. gunicorn (`--workers`, default 2 x cores + 1, sync workers) on a free port, with the same data
   folder (the same signing key).
3. Online: `--gates` client threads (default 4, one per gate) scan `--online` tickets
   (default 1,000; every 10th is shown twice, so "already in" answers are timed too) with
   `POST /api/v1/checkins/`, one request at a time each: p50 / p95 / p99 / max latency.
   Target: p95 under 250 ms.
4. Offline: a door device pushes `--offline` scans (default 10,000, other tickets) as
   `checkin` ops in batches of 200, as the POS pushes its outbox (`sync_push.BATCH_SIZE`),
   to `POST /api/v1/sync/push/`, one batch after another: the wall-clock time from the
   first batch sent to the last answer. Then the same tickets on a second list of the
   event, pushed by two door devices at once (5,000 each, as two doors that were offline
   push when they come back). Target: under 10 s.
5. Prints the server's CPU seconds per phase (gunicorn's processes, and PostgreSQL's
   backends of the bench database), the load average and the machine's busy CPU share
   (the machine is shared: compare times with the load they were measured under; the
   server's CPU per scan does not depend on it).

By default both databases are measured, one after the other, each in a child process:

    .venv/bin/python bench/checkin_bench.py
    .venv/bin/python bench/checkin_bench.py --only sqlite
    .venv/bin/python bench/checkin_bench.py --database-url postgres://postgres@127.0.0.1:5432/enturf_chkbench

`--before GIT_REF` measures that commit's code first (exported with `git archive` into a
temporary folder, its own bench script), then this checkout's, back to back on each
database, so that both run under the same load:

    .venv/bin/python bench/checkin_bench.py --before main --online 200
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from load_tools import (
    backend_pids,
    children_of,
    cpu_seconds,
    free_port,
    machine_cpu,
    percentile,
    start_gunicorn,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/enturf_chkbench"
BATCH = 200  # enturf_pos.services.sync.sync_push.BATCH_SIZE


def fresh_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
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


def sold_hall(seats: int) -> tuple[int, list[str]]:
    """An event whose seats are all sold in paid bookings: (list id, codes in seat order)."""
    from decimal import Decimal

    from support.catalog_data import make_event, make_seat_map

    from enturf_core.ticket_codes import TicketPayload, sign
    from enturf_server.catalog import services
    from enturf_server.catalog.models import Seat
    from enturf_server.checkins.lists import lists_of
    from enturf_server.sales.models import Booking, BookingLine, BookingState, Channel
    from enturf_server.ticketing.services import ensure_server_key

    rows, per_row = 100, seats // 100
    event = make_event(
        make_seat_map(sections=2, rows=rows // 2, seats=per_row, area_capacity=None), name="Gala"
    )
    ticket = services.create_ticket(
        actor=None,
        event=event,
        name="Standard",
        price=Decimal("30.00"),
        tax_rate=Decimal("7"),
        category="standard",
    )
    premium = services.create_ticket(
        actor=None,
        event=event,
        name="Premium",
        price=Decimal("50.00"),
        tax_rate=Decimal("7"),
        category="premium",
    )
    by_category = {"standard": ticket.pk, "premium": premium.pk}
    key = ensure_server_key()
    seat_rows = list(Seat.objects.filter(seat_map=event.seat_map).order_by("pk"))
    bookings, lines = [], []
    for start in range(0, len(seat_rows), 10):
        booking = Booking(
            code=f"B{start // 10:07d}",
            event=event,
            channel=Channel.ONLINE,
            state=BookingState.PAID,
            total=Decimal("300.00"),
            paid_at=datetime.now(UTC),
        )
        bookings.append(booking)
        for seat in seat_rows[start : start + 10]:
            line_id = uuid.uuid4()
            code = sign(TicketPayload(str(line_id), event.pk, seat_id=seat.pk), key)
            lines.append(
                BookingLine(
                    id=line_id,
                    booking=booking,
                    ticket_id=by_category[seat.category],
                    seat=seat,
                    price=Decimal("30.00"),
                    tax_rate=Decimal("7"),
                    secret=secrets.token_urlsafe(32),
                    ticket_code=code,
                )
            )
    Booking.objects.bulk_create(bookings, batch_size=500)
    BookingLine.objects.bulk_create(lines, batch_size=500)
    return lists_of(event)[0].pk, [line.ticket_code for line in lines]


def second_list(list_id: int) -> int:
    """Another list of the same event (all tickets), for the same tickets scanned again."""
    from enturf_server.checkins.lists import create_list
    from enturf_server.checkins.models import CheckinList

    event = CheckinList.objects.get(pk=list_id).event
    return create_list(actor=None, event=event, fields={"name": "Hall"}).pk


def door_headers() -> list[dict[str, str]]:
    """Two door devices with a steward logged in on each: their request headers."""
    from support.counters import register_counter

    from enturf_server.accounts.models import ApiToken, DeviceDuty
    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import create_user

    steward = create_user(
        username="steward", password="a-long-password-1", role=Role.EMPLOYEE, email=""
    )
    headers = []
    for name in ("Door 1", "Door 2"):
        device, token, _key = register_counter(name)
        device.duty = DeviceDuty.DOOR
        device.save(update_fields=["duty"])
        _t, key = ApiToken.issue(steward, timedelta(hours=2), device=device)
        headers.append(
            {
                "Authorization": f"Token {key}",
                "X-Enturf-Device": token,
                "Content-Type": "application/json",
            }
        )
    return headers


def post(port: int, path: str, body: dict, headers: dict[str, str]) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("POST", path, json.dumps(body), headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


class Load:
    """The load average, the machine's busy CPU share, and the CPU seconds the server spent
    (gunicorn's processes and, on PostgreSQL, the bench database's backends) over a phase:
    the server's CPU is the figure that does not depend on what else the machine runs."""

    pids: list[int] = []  # gunicorn's master
    database: tuple[str, str] | None = None  # PostgreSQL (base url, name)

    def _server_cpu(self) -> float:
        pids = set(Load.pids)
        for pid in Load.pids:
            pids |= children_of(pid)
        if Load.database:
            pids |= backend_pids(*Load.database)
        return sum(cpu_seconds(pid) for pid in pids)

    def __enter__(self):
        self.load_before = os.getloadavg()[0]
        self.cpu_before = machine_cpu()
        self.server_before = self._server_cpu()
        return self

    def __exit__(self, *exc):
        busy0, total0 = self.cpu_before
        busy1, total1 = machine_cpu()
        self.busy = (busy1 - busy0) / max(total1 - total0, 1)
        self.load_after = os.getloadavg()[0]
        self.server = self._server_cpu() - self.server_before

    def __str__(self) -> str:
        return (
            f"server CPU {self.server:.1f} s; load {self.load_before:.2f} -> "
            f"{self.load_after:.2f}, machine CPU busy {self.busy:.0%}"
        )


def online(port: int, list_id: int, codes: list[str], headers, gates: int) -> None:
    jobs = [(n, code) for n, code in enumerate(codes)]
    jobs += [(n, codes[n]) for n in range(0, len(codes), 10)]  # shown twice: already in
    latencies: list[float] = []
    verdicts: dict[str, int] = {}
    errors: list[str] = []
    lock = threading.Lock()

    def gate(number: int) -> None:
        mine = jobs[number::gates]
        for _n, code in mine:
            body = {
                "id": str(uuid.uuid4()),
                "code": code,
                "list": list_id,
                "gate": f"Gate {number + 1}",
            }
            started = time.perf_counter()
            status, answer = post(port, "/api/v1/checkins/", body, headers[number % 2])
            spent = time.perf_counter() - started
            with lock:
                latencies.append(spent)
                if status != 201:
                    errors.append(f"{status} {answer}")
                else:
                    verdicts[answer["verdict"]] = verdicts.get(answer["verdict"], 0) + 1

    threads = [threading.Thread(target=gate, args=(g,)) for g in range(gates)]
    with Load() as load:
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    ms = [x * 1000 for x in latencies]
    print(
        f"  online: {len(ms)} scans by {gates} gates in {wall:.1f} s ({len(ms) / wall:.0f}/s); "
        f"p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms, "
        f"p99 {percentile(ms, 99):.0f} ms, max {max(ms):.0f} ms (target p95 < 250 ms)"
    )
    print(f"          verdicts {verdicts}; errors {len(errors)} {errors[:2]}")
    print(f"          {load} ({load.server / len(ms) * 1000:.1f} ms per scan)")


def offline(port: int, list_id: int, codes: list[str], headers, *, doors: int = 1) -> None:
    """Push `codes` as offline scans: `doors` devices at once, each its share one batch
    after another (1: one device pushes them all)."""
    now = datetime.now(UTC)
    ops = [
        {
            "id": str(uuid.uuid4()),
            "type": "checkin",
            "payload": {
                "id": str(uuid.uuid4()),
                "code": code,
                "list": list_id,
                "gate": f"Door {n % 2 + 1}",
                "kind": "entry",
                "scanned_at": (now - timedelta(seconds=len(codes) - n)).isoformat(),
                "verdict": "admitted",
            },
        }
        for n, code in enumerate(codes)
    ]
    share = -(-len(ops) // doors)
    streams = [ops[i : i + share] for i in range(0, len(ops), share)]
    statuses: dict[str, int] = {}
    slowest = [0.0]
    failures: list[str] = []
    lock = threading.Lock()

    def door(number: int) -> None:
        mine = streams[number]
        for start in range(0, len(mine), BATCH):
            t0 = time.perf_counter()
            status, answer = post(
                port, "/api/v1/sync/push/", {"ops": mine[start : start + BATCH]}, headers[number]
            )
            with lock:
                slowest[0] = max(slowest[0], time.perf_counter() - t0)
                if status != 200:
                    failures.append(f"{status} {answer}")
                    return
                for result in answer["results"]:
                    statuses[result["status"]] = statuses.get(result["status"], 0) + 1

    threads = [threading.Thread(target=door, args=(n,)) for n in range(len(streams))]
    with Load() as load:
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    if failures:
        raise SystemExit(f"push refused: {failures[0]}")
    who = "one door" if doors == 1 else f"{doors} doors at once"
    print(
        f"  offline ({who}): {len(ops)} scans pushed in batches of {BATCH} in "
        f"{wall:.1f} s ({len(ops) / wall:.0f}/s, slowest batch {slowest[0] * 1000:.0f} ms; "
        f"target < 10 s); results {statuses}"
    )
    print(f"          {load} ({load.server / len(ops) * 1000:.2f} ms per scan)")


def run(database_url: str | None, args) -> None:
    data_dir = tempfile.mkdtemp(prefix="enturf-checkin-bench-")
    if database_url:
        fresh_postgres(database_url)
        label = "PostgreSQL"
    else:
        database_url = f"sqlite:///{data_dir}/bench.sqlite3"
        label = "SQLite"
    print(f"{label}: setting up {args.seats} sold seats ...", flush=True)
    setup_django(database_url, data_dir)
    list_id, codes = sold_hall(args.seats)
    hall_id = second_list(list_id)
    headers = door_headers()
    from django.db import connections

    connections.close_all()
    env = {**os.environ, "DATABASE_URL": database_url, "ENTURF_DATA_DIR": data_dir}
    env["PYTHONPATH"] = str(ROOT)
    port = free_port()
    server = start_gunicorn(env, port, args.workers, "sync", 1)
    Load.pids = [server.pid]
    if label == "PostgreSQL":
        base, name = database_url.rsplit("/", 1)
        Load.database = (base, name)
    try:
        print(f"  gunicorn: {args.workers} sync workers; {os.cpu_count()} CPUs", flush=True)
        online(port, list_id, codes[: args.online], headers, args.gates)
        pushed = codes[args.online : args.online + args.offline]
        offline(port, list_id, pushed, headers)
        offline(port, hall_id, pushed, headers, doors=2)  # the same tickets, another list
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL (dropped and created again)")
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--seats", type=int, default=11_000)
    parser.add_argument("--online", type=int, default=1_000)
    parser.add_argument("--offline", type=int, default=10_000)
    parser.add_argument("--gates", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--before", metavar="GIT_REF", help="measure GIT_REF's code first")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.before and (args.child or args.database_url or args.only == "sqlite"):
        run(args.database_url, args)
        return
    passed = strip_options(sys.argv[1:], ("--only", "--before"))
    postgres = ["--database-url", args.database_url or DEFAULT_PG]
    if args.only == "sqlite":
        runs = [[]]
    elif args.only == "postgres" or args.database_url:
        runs = [postgres]
    else:
        runs = [[], postgres]
    scripts = [("", Path(__file__))]
    if args.before:
        old = export(args.before)
        scripts = [(f"before ({args.before})", old), ("after (this checkout)", Path(__file__))]
    for extra in runs:
        for label, script in scripts:
            if label:
                print(f"== {label} ==", flush=True)
            passed_here = strip_options(passed, ("--database-url",)) + extra
            subprocess.run([sys.executable, str(script), "--child", *passed_here], check=True)


def strip_options(argv: list[str], names: tuple[str, ...]) -> list[str]:
    """`argv` without the options `names` and their values (`--x v` or `--x=v`)."""
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in names:
            skip = "=" not in arg
            continue
        out.append(arg)
    return out


def export(ref: str) -> Path:
    """`ref`'s files in a temporary folder (git archive): its bench script there."""
    folder = Path(tempfile.mkdtemp(prefix="enturf-bench-before-"))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "bench" / "checkin_bench.py"


if __name__ == "__main__":
    main()
