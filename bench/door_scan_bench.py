"""An offline door scan, from the scanned text to the verdict on screen (target < 50 ms).

    .venv/bin/python bench/door_scan_bench.py [--seats 20000] [--scans 2000]

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
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the shared door data
sys.path.insert(0, str(ROOT / "bench"))

import keyring  # noqa: E402
from load_tools import machine_cpu, percentile  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seats", type=int, default=20_000)
    parser.add_argument("--scans", type=int, default=2_000)
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    rng = random.Random(7)
    load_before = os.getloadavg()[0]
    busy0, total0 = machine_cpu()
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_context(PosConfig(data_dir=Path(tmp), lock_after_seconds=0))
        started = time.perf_counter()
        shop, lines, refunded, inside = _arena(ctx, args.seats, rng)
        setup = time.perf_counter() - started
        free = [i for i in range(args.seats) if i not in refunded and i not in inside]
        rng.shuffle(free)
        forger = SigningKey.generate()
        codes: list[str] = []
        for n in range(args.scans):
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
        door_service.scan(ctx=ctx, code=codes[0], list_id=d.MAIN_LIST, gate="A", online=False)
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
        ctx.close()
    busy1, total1 = machine_cpu()
    machine = 100.0 * (busy1 - busy0) / max(total1 - total0, 1)
    ms = [t * 1000 for t in times]
    print(f"door: {args.seats:,} admissions, {len(inside):,} inside, set up in {setup:.1f} s")
    print(
        f"offline scan to verdict ({len(ms):,} scans): median {statistics.median(ms):.2f} ms, "
        f"p95 {percentile(ms, 95):.2f} ms, worst {max(ms):.2f} ms (target < 50 ms)"
    )
    print(f"CPU of this process {1000 * cpu / len(ms):.2f} ms per scan")
    print("verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
    print(
        f"load average {load_before:.2f} -> {os.getloadavg()[0]:.2f}; "
        f"machine CPU busy {machine:.0f}% over the run ({os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main()
