#!/usr/bin/env python
"""The audit trail's hash chain: what appending costs and how long a check takes.

1. `--transactions` transactions (default 2,000), one after another, each emitting a
   change and recording one entry with `audit.services.record()` inside
   `sync.changes.atomic()` (appended last, under the change-log lock, onto the locked
   chain head): the time per transaction, against the same transactions with the change
   only (the ratio is the chain's cost on a transaction that writes little else).
2. The same count of entries recorded by `--writers` threads at once (default 4), each
   its own transactions: entries per second, and the chain still verifies.
3. `verify_chain()` over every entry (the two steps' and `--extra` more, default 20,000,
   recorded 500 a transaction): entries checked per second.

Each database in a child process on a fresh database (SQLite in a temporary folder;
PostgreSQL dropped and created again). Prints the load average and the machine's busy
CPU share (the machine is shared: read the times with the load).

    .venv/bin/python bench/audit_chain_bench.py
    .venv/bin/python bench/audit_chain_bench.py --only sqlite
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from load_tools import machine_cpu, recreate_database

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/enturf_auditbench"


def measure(database_url: str, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["DATABASE_URL"] = database_url or f"sqlite:///{data_dir}/bench.sqlite3"
        os.environ["ENTURF_DATA_DIR"] = data_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enturf_server.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        _run(database_url, args)


def _run(database_url: str, args: argparse.Namespace) -> None:
    from django.db import connections

    from enturf_server.audit.chain import verify_chain
    from enturf_server.audit.services import record
    from enturf_server.sync import changes

    details = {"amount": "12.50", "reason": "bench", "lines": ["a", "b"]}
    load_before, (busy0, total0) = os.getloadavg(), machine_cpu()
    start = time.perf_counter()  # the baseline: the same transactions with a change only
    for n in range(args.transactions):
        with changes.atomic():
            changes.emit("bench", n)
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    for n in range(args.transactions):
        with changes.atomic():
            changes.emit("bench", n)
            record(actor=None, action="bench.serial", details={**details, "n": n})
    serial = time.perf_counter() - start

    per_writer = args.transactions // args.writers
    errors: list[BaseException] = []

    def writer(w: int) -> None:
        try:
            for n in range(per_writer):
                with changes.atomic():
                    record(actor=None, action="bench.parallel", details={"w": w, "n": n})
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(args.writers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    parallel = time.perf_counter() - start
    if errors:
        raise errors[0]

    for batch in range(0, args.extra, 500):
        with changes.atomic():
            for n in range(batch, min(batch + 500, args.extra)):
                record(actor=None, action="bench.extra", details={**details, "n": n})
    start = time.perf_counter()
    verdict = verify_chain()
    check = time.perf_counter() - start
    assert verdict.ok, verdict
    busy1, total1 = machine_cpu()

    vendor = "PostgreSQL" if database_url else "SQLite"
    print(f"{vendor}:")
    print(
        f"  {args.transactions} transactions of a change and one audit entry, one after"
        f" another: {serial / args.transactions * 1000:.2f} ms each; with the change only"
        f" {baseline / args.transactions * 1000:.2f} ms (x{serial / baseline:.2f})"
    )
    done = per_writer * args.writers
    print(
        f"  {done} by {args.writers} writers at once: {done / parallel:.0f} entries/s,"
        " the chain intact"
    )
    print(
        f"  verify_chain over {verdict.checked} entries: {check:.2f} s"
        f" ({verdict.checked / check:.0f} entries/s)"
    )
    busy = 100 * (busy1 - busy0) / max(1.0, total1 - total0)
    print(
        f"  load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f};"
        f" machine CPU busy {busy:.0f}% while it ran ({os.cpu_count()} CPUs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--database-url", default=None, help=f"PostgreSQL (default {DEFAULT_PG})")
    parser.add_argument("--transactions", type=int, default=2000)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--extra", type=int, default=20_000)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        measure(args.child, args)
        return
    targets = []
    if args.only in (None, "sqlite"):
        targets.append("")
    if args.only in (None, "postgres"):
        url = args.database_url or DEFAULT_PG
        base, name = url.rsplit("/", 1)
        recreate_database(base, name)
        targets.append(url)
    passed = [
        f"--transactions={args.transactions}",
        f"--writers={args.writers}",
        f"--extra={args.extra}",
    ]
    for url in targets:
        subprocess.run([sys.executable, __file__, "--child", url, *passed], check=True)


if __name__ == "__main__":
    main()
