"""An offline door scan, from the scanned text to the verdict on screen (target < 50 ms).

    .venv/bin/python bench/door_scan_bench.py [--seats 20000] [--scans 2000]
    .venv/bin/python bench/door_scan_bench.py --server [--online 300] [--push 10000]

A door device's local database as a sold-out arena leaves it after a sync
(`tests/support/door_data.py`, applied through `sync_apply` as the feed brings it): one
event of ``--seats`` seats, every seat sold (an admission each; one in fifty refunded),
a quarter of them already in by other devices' records (`checkin` feed), three check-in
lists. Then ``--scans`` scans through `door_service.scan(online=False)` exactly as the
door window calls it (verify, admission, list rules, movements, the scan logged and its
`checkin` op queued, one local transaction): new entries, second scans (already in),
refunded tickets, forged codes. Prints the median, p95 and worst time per scan, the
verdicts seen, the CPU time of this process, and the machine's load before and after
(the machine is shared: wall times move with it).

With ``--sync-pages``, the same scans run while another thread applies feed pages of
1,000 admissions in a loop, as a sync does (SQLite lets one writer at a time: how long a
scan waits for a page).

With ``--server``: the real server (`tests/support/server_process.py`, SQLite, runserver)
and a door device registered with it, a steward logged in: ``--online`` scans through
`POST /api/v1/checkins/` (paid web bookings' codes, each scanned twice: admitted, then
already in), p50 / p95 / worst; then ``--push`` offline scans (codes a counter signed
offline, lines unknown to the server) queued and pushed by one sync (target: 10,000 in
under 10 s), with the server's and this process's CPU.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the shared door data
sys.path.insert(0, str(ROOT / "bench"))

import keyring  # noqa: E402
from load_tools import cpu_seconds, machine_cpu, percentile  # noqa: E402
from support import door_data as d  # noqa: E402
from support.memory_keyring import MemoryKeyring  # noqa: E402

from enturf_core.ticket_codes import SigningKey  # noqa: E402
from enturf_pos.config import PosConfig  # noqa: E402
from enturf_pos.services.door import door_service  # noqa: E402
from enturf_pos.services.session.pos_context import open_context  # noqa: E402


def _arena(ctx, seats: int, rng: random.Random):
    shop = d.seed_door(ctx, seats=seats)
    lines = [str(uuid.uuid4()) for _ in range(seats)]
    refunded = set(rng.sample(range(seats), seats // 50))
    admissions = [
        d.admission(line, seat=i + 1, state="refunded" if i in refunded else "valid")
        for i, line in enumerate(lines)
    ]
    inside = set(rng.sample(sorted(set(range(seats)) - refunded), seats // 4))
    records = [d.record(uuid.uuid4(), lines[i], gate="North") for i in sorted(inside)]
    for start in range(0, len(admissions), 5000):
        d.apply(ctx, *admissions[start : start + 5000])
    for start in range(0, len(records), 5000):
        d.apply(ctx, *records[start : start + 5000])
    return shop, lines, refunded, inside


def _summary(ms: list[float]) -> str:
    return (
        f"median {statistics.median(ms):.2f} ms, p95 {percentile(ms, 95):.2f} ms, "
        f"worst {max(ms):.2f} ms"
    )


def _codes(shop, lines, refunded, inside, scans: int, rng: random.Random) -> list[str]:
    free = [i for i in range(len(lines)) if i not in refunded and i not in inside]
    rng.shuffle(free)
    forger = SigningKey.generate()
    codes: list[str] = []
    for n in range(scans):
        pick = n % 10
        if pick < 6 and free:  # a new entry
            i = free.pop()
            code = shop.code(lines[i], seat=i + 1)
            codes.append(code)
            if n % 20 == 0:
                codes.append(code)  # the same ticket again at once
        elif pick < 8:  # already in (another device's record)
            i = rng.choice(sorted(inside)) if inside else 0
            codes.append(shop.code(lines[i], seat=i + 1))
        elif pick < 9:
            i = rng.choice(sorted(refunded)) if refunded else 0
            codes.append(shop.code(lines[i], seat=i + 1))
        else:
            codes.append(shop.code(seat=1, key=forger))
    return codes


def _sync_pages(ctx, stop: threading.Event, pages: list[float]) -> None:
    """Apply feed pages of 1,000 admissions (another event's) until told to stop."""
    n = 0
    while not stop.is_set():
        entries = [
            d.admission(f"sync-{n}-{i}", seat=1 + i % 20, event=d.OTHER_EVENT_ID)
            for i in range(1000)
        ]
        start = time.perf_counter()
        d.apply(ctx, *entries)
        pages.append(time.perf_counter() - start)
        n += 1


def offline_bench(args: argparse.Namespace) -> None:
    rng = random.Random(7)
    load_before = os.getloadavg()[0]
    busy0, total0 = machine_cpu()
    pages: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_context(PosConfig(data_dir=Path(tmp), lock_after_seconds=0))
        started = time.perf_counter()
        shop, lines, refunded, inside = _arena(ctx, args.seats, rng)
        setup = time.perf_counter() - started
        codes = _codes(shop, lines, refunded, inside, args.scans, rng)
        door_service.scan(ctx=ctx, code=codes[0], list_id=d.MAIN_LIST, gate="A", online=False)
        stop = threading.Event()
        syncing = threading.Thread(target=_sync_pages, args=(ctx, stop, pages), daemon=True)
        if args.sync_pages:
            syncing.start()
        times: list[float] = []
        verdicts: Counter[str] = Counter()
        cpu0 = time.process_time()
        for code in codes[1:]:
            start = time.perf_counter()
            result = door_service.scan(
                ctx=ctx, code=code, list_id=d.MAIN_LIST, gate="A", online=False
            )
            times.append(time.perf_counter() - start)
            verdicts[result.verdict.value] += 1
        cpu = time.process_time() - cpu0
        stop.set()
        if args.sync_pages:
            syncing.join()
        ctx.close()
    busy1, total1 = machine_cpu()
    machine = 100.0 * (busy1 - busy0) / max(total1 - total0, 1)
    ms = [t * 1000 for t in times]
    print(f"door: {args.seats:,} admissions, {len(inside):,} inside, set up in {setup:.1f} s")
    during = f", while {len(pages)} feed pages of 1,000 were applied" if args.sync_pages else ""
    print(f"offline scan to verdict ({len(ms):,} scans{during}): {_summary(ms)} (target < 50 ms)")
    if pages:
        print(f"feed page applied meanwhile: median {1000 * statistics.median(pages):.0f} ms")
    if not args.sync_pages:
        print(f"CPU of this process {1000 * cpu / len(ms):.2f} ms per scan")
    print("verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
    print(
        f"load average {load_before:.2f} -> {os.getloadavg()[0]:.2f}; "
        f"machine CPU busy {machine:.0f}% over the run ({os.cpu_count()} CPUs)"
    )


def server_bench(args: argparse.Namespace) -> None:
    from support.door_live import lists_of, printed_codes, seat_ids, web_booking
    from support.server_process import running_server
    from support.sync_support import AdminApi, log_in_online, make_show, register

    from enturf_core.ticket_codes import TicketPayload, sign
    from enturf_pos.services.session.secret_store import Secret
    from enturf_pos.services.sync import sync_engine, sync_pull, sync_push

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp) / "server") as server:
        api = AdminApi(server)
        rows = max(1, (args.online + 19) // 20)
        show = make_show(api, tickets=1, rows=rows, seats=20)
        seats = seat_ids(api, show)[: args.online]
        codes: list[str] = []
        for start in range(0, len(seats), 10):
            booking = web_booking(api, show, seats[start : start + 10])
            codes += printed_codes(api, booking["id"])
        [main] = lists_of(api, show)
        ctx = open_context(PosConfig(data_dir=Path(tmp) / "door", lock_after_seconds=0))
        register(ctx, server, server.base_url, "Gate A")
        log_in_online(ctx, "cashier")
        assert sync_engine.run_sync(ctx=ctx).ok

        times: list[float] = []
        verdicts: Counter[str] = Counter()
        for code in codes + codes:
            start = time.perf_counter()
            result = door_service.scan(ctx=ctx, code=code, list_id=main["id"], gate="A")
            times.append(time.perf_counter() - start)
            verdicts[f"{result.verdict.value} ({result.mode})"] += 1
        ms = [t * 1000 for t in times]
        print(f"online scan to verdict ({len(ms)} scans): {_summary(ms)} (target p95 < 250 ms)")
        print("verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))

        key = SigningKey.from_base64(ctx.secrets.get(Secret.SIGNING_KEY))
        started = time.perf_counter()
        for _ in range(args.push):
            code = sign(TicketPayload(str(uuid.uuid4()), show.event_id, area_id=1), key)
            door_service.scan(ctx=ctx, code=code, list_id=main["id"], gate="B", online=False)
        queued = time.perf_counter() - started
        server_cpu0, cpu0 = cpu_seconds(server.process.pid), time.process_time()
        client = ctx.api_client()
        started = time.perf_counter()
        pushed_ops = sync_push.push(ctx=ctx, client=client)
        pushed = time.perf_counter() - started
        server_cpu = cpu_seconds(server.process.pid) - server_cpu0
        cpu = time.process_time() - cpu0
        started = time.perf_counter()
        pulled = sync_pull.pull(ctx=ctx, client=client)
        pull_time = time.perf_counter() - started
        client.close()
        assert pushed_ops.applied == args.push, pushed_ops
        ctx.close()
    print(
        f"{args.push:,} offline scans: queued in {queued:.1f} s; pushed in {pushed:.1f} s "
        f"(target < 10 s; CPU: server {server_cpu:.1f} s, door {cpu:.1f} s); their "
        f"{pulled.entries:,} records pulled back in {pull_time:.1f} s"
    )
    print(f"load average {load_before:.2f} -> {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seats", type=int, default=20_000)
    parser.add_argument("--scans", type=int, default=2_000)
    parser.add_argument("--sync-pages", action="store_true")
    parser.add_argument("--server", action="store_true")
    parser.add_argument("--online", type=int, default=300)
    parser.add_argument("--push", type=int, default=10_000)
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    if args.server:
        server_bench(args)
    else:
        offline_bench(args)


if __name__ == "__main__":
    main()
