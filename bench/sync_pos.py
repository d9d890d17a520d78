"""The POS's sync against a real server: first pull, incremental sync, push of 1,000 ops.

What it measures (wall clock in this process, server as a subprocess on this machine,
`runserver` on SQLite, or PostgreSQL when DATABASE_URL says so):

1. **first pull**: a newly registered counter's first `sync_engine.run_sync` (nothing
   to push): the whole snapshot — settings, users, keys, venues, the demo seat maps with
   their layouts (Enturf Arena: 20,000 seats; Theatre Royal: 1,500), 211 events with
   their tickets and seat status — fetched page by page and applied to the local SQLite
   database. Target < 10 s.
2. **incremental sync of 10 changes**: 10 tickets changed through the admin API, then
   one `run_sync` (push finds nothing, one feed page with the 10 changes). Median of 5.
   Target < 200 ms.
3. **push of 1,000 queued ops**: 1,000 local ticket edits in the outbox, then
   `sync_push.push` (5 requests of 200 ops, each op in its own server transaction through
   the catalog services, results marked locally). Target < 5 s. The following pull of
   the 1,000 resulting changes is reported separately.

Setup (not timed): `enturf-server seed_demo`, then 200 more events on the arena with
three tickets each, created through the catalog services in `enturf-server shell`.

    .venv/bin/python bench/sync_pos.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the server-subprocess helper of the tests

TARGETS = {"first pull": 10.0, "incremental (10 changes)": 0.2, "push 1,000 ops": 5.0}

SETUP = """
from datetime import timedelta
from decimal import Decimal
from django.utils import timezone
from enturf_server.catalog import services
from enturf_server.catalog.models import SeatMap
arena = SeatMap.objects.get(venue__name="Enturf Arena")
categories = sorted(set(arena.seats.values_list("category", flat=True)))
start = timezone.now() + timedelta(days=40)
for n in range(200):
    event = services.create_event(actor=None, seat_map=arena, name=f"Bench night {n + 1}",
        starts_at=start + timedelta(days=n), state="on_sale")
    for position, category in enumerate((categories * 3)[:3]):
        services.create_ticket(actor=None, event=event, name=f"{category} {position + 1}",
            price=Decimal("30.00") + position, tax_rate=Decimal("19.00"),
            category=category, position=position)
print("events created")
"""


def process_cpu(pid: int) -> float:
    """utime + stime of a process, in seconds (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    import keyring
    import requests
    from support.memory_keyring import MemoryKeyring
    from support.server_process import USERS, running_server

    keyring.set_keyring(MemoryKeyring())
    from enturf_pos.config import PosConfig
    from enturf_pos.models import Event, Seat, Ticket
    from enturf_pos.services.catalog import ticket_edits
    from enturf_pos.services.session import device_service
    from enturf_pos.services.session.pos_context import open_context
    from enturf_pos.services.session.secret_store import Secret
    from enturf_pos.services.sync import sync_engine, sync_push

    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp) / "server") as server:
        t0 = time.perf_counter()
        server.manage("seed_demo", timeout=600)
        server.manage("shell", "-c", SETUP, timeout=1800)
        print(f"setup (seed_demo + 200 arena events): {time.perf_counter() - t0:.1f} s")

        ctx = open_context(PosConfig(data_dir=Path(tmp) / "pos"))
        _id, code = server.new_setup_code("Bench counter")
        assert device_service.register_device(
            ctx=ctx, server_url=server.base_url, setup_code=code, name="Bench counter"
        ).ok
        client = ctx.api_client()
        answer = client.post(
            "/api/v1/auth/login/",
            {"username": "admin", "password": USERS["admin"][1]},
            authenticated=False,
        )
        client.close()
        ctx.secrets.set(Secret.USER_TOKEN, answer["token"])

        # 1. first pull
        t0 = time.perf_counter()
        report = sync_engine.run_sync(ctx=ctx)
        results["first pull"] = time.perf_counter() - t0
        assert report.ok, report.message
        with ctx.db.transaction() as s:
            from sqlalchemy import func, select

            seats = s.scalar(select(func.count()).select_from(Seat))
            events = s.scalar(select(func.count()).select_from(Event))
            tickets = s.scalar(select(func.count()).select_from(Ticket))
            ticket_ids = list(s.scalars(select(Ticket.id).order_by(Ticket.id)))
        print(
            f"first pull: {results['first pull']:.2f} s for {report.pull.entries} entries in "
            f"{report.pull.pages} pages ({seats} seats, {events} events, {tickets} tickets)"
        )

        # 2. incremental sync of 10 changes
        admin = requests.Session()
        admin.headers["Authorization"] = f"Token {server.login('admin')}"
        timings = []
        for round_ in range(5):
            for ticket_id in ticket_ids[:10]:
                admin.patch(
                    f"{server.base_url}/api/v1/tickets/{ticket_id}/",
                    json={"name": f"Renamed {round_}"},
                    timeout=30,
                ).raise_for_status()
            t0 = time.perf_counter()
            report = sync_engine.run_sync(ctx=ctx)
            timings.append(time.perf_counter() - t0)
            assert report.ok and report.pull.entries == 10, report
        results["incremental (10 changes)"] = statistics.median(timings)
        print(
            "incremental sync, 10 changes: median "
            f"{results['incremental (10 changes)'] * 1000:.0f} ms "
            f"(runs: {', '.join(f'{t * 1000:.0f}' for t in timings)} ms)"
        )

        # 3. push of 1,000 queued ops
        for n in range(1000):
            ticket_id = ticket_ids[n % len(ticket_ids)]
            assert ticket_edits.edit_ticket(
                ctx=ctx, ticket_id=ticket_id, changes={"price": f"{40 + n % 50}.{n % 100:02d}"}
            ).ok
        client = ctx.api_client()
        in_requests = 0.0
        post = client.post

        def timed_post(*args, **kwargs):
            nonlocal in_requests
            started = time.perf_counter()
            try:
                return post(*args, **kwargs)
            finally:
                in_requests += time.perf_counter() - started

        client.post = timed_post
        server_cpu0, counter_cpu0 = process_cpu(server.process.pid), time.process_time()
        t0 = time.perf_counter()
        pushed = sync_push.push(ctx=ctx, client=client)
        results["push 1,000 ops"] = time.perf_counter() - t0
        server_cpu = process_cpu(server.process.pid) - server_cpu0
        counter_cpu = time.process_time() - counter_cpu0
        client.close()
        assert pushed.sent == 1000 and pushed.applied == 1000, pushed
        print(
            f"push of 1,000 ops: {results['push 1,000 ops']:.2f} s ({pushed.applied} applied); "
            f"waiting for the server {in_requests:.2f} s "
            f"({in_requests / 1000 * 1000:.1f} ms per op), "
            f"on the counter {results['push 1,000 ops'] - in_requests:.2f} s"
        )
        print(
            f"  CPU: server process {server_cpu * 1000 / 1000:.2f} ms per op, this process "
            f"(the counter) {counter_cpu:.2f} s; wall clock depends on what else runs, CPU "
            f"much less (load average now {os.getloadavg()[0]:.1f})"
        )
        t0 = time.perf_counter()
        report = sync_engine.run_sync(ctx=ctx)
        print(
            f"  then the pull of their {report.pull.entries} changes: "
            f"{time.perf_counter() - t0:.2f} s"
        )
        ctx.close()

    print()
    for name, target in TARGETS.items():
        value = results[name]
        verdict = "ok" if value < target else "MISSED"
        print(
            f"{name:28s} {value:8.3f} s   target < {target:g} s   ratio {value / target:5.2f}  {verdict}"
        )
    return 0 if all(results[n] < t for n, t in TARGETS.items()) else 1


if __name__ == "__main__":
    sys.exit(main())
