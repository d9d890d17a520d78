#!/usr/bin/env python
"""Vouchers in bulk: `POST /api/v1/vouchers/bulk/` with 500 codes, in process (DRF's test
client: the view, its input checks, the service's one transaction with bulk inserts and
the audit entry), then the batch read back (`GET /api/v1/vouchers/?batch=&page_size=500`)
and exported (`GET /api/v1/vouchers/export/?batch=`).

Each database in a child process on a fresh database (SQLite in a temporary folder;
PostgreSQL dropped and created again), migrated, with an event and two tickets the
vouchers are limited to. `--runs` batches (default 5) after one warm-up; prints the
median and the fastest per step, with the load average and the machine's busy CPU share
while it ran (the machine is shared: read the times with the load).

    .venv/bin/python bench/voucher_bulk_bench.py
    .venv/bin/python bench/voucher_bulk_bench.py --only sqlite
    .venv/bin/python bench/voucher_bulk_bench.py --database-url postgres://postgres@127.0.0.1:5432/enturf_vbench
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from load_tools import machine_cpu, recreate_database

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/enturf_vbench"
COUNT = 500


def measure(database_url: str, runs: int) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["DATABASE_URL"] = database_url or f"sqlite:///{data_dir}/bench.sqlite3"
        os.environ["ENTURF_DATA_DIR"] = data_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enturf_server.settings")
        sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        _run(database_url, runs)


def _run(database_url: str, runs: int) -> None:
    from datetime import timedelta

    from rest_framework.test import APIClient
    from support.factories import sales_setup

    from enturf_server.accounts.models import ApiToken
    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import create_user

    shop = sales_setup()
    admin = create_user(username="bench-admin", password="a-long-password-1", role=Role.ADMIN)
    _token, key = ApiToken.issue(admin, timedelta(hours=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = {
        "count": COUNT,
        "prefix": "BENCH-",
        "kind": "fixed",
        "amount": "5.00",
        "currency": "EUR",
        "max_uses": 1,
        "events": [shop.event.pk],
        "tickets": [t.pk for t in list(shop.tickets.values())[:2]],
    }
    steps: dict[str, list[float]] = {"create 500": [], "list the batch": [], "export CSV": []}
    load_before, (busy0, total0) = os.getloadavg(), machine_cpu()
    for n in range(runs + 1):
        start = time.perf_counter()
        made = client.post("/api/v1/vouchers/bulk/", body, format="json")
        created = time.perf_counter()
        assert made.status_code == 201, made.content
        batch = made.json()["batch"]
        page = client.get("/api/v1/vouchers/", {"batch": batch, "page_size": 500})
        listed = time.perf_counter()
        assert page.json()["count"] == COUNT
        export = client.get("/api/v1/vouchers/export/", {"batch": batch})
        lines = b"".join(export.streaming_content).count(b"\n")
        exported = time.perf_counter()
        assert lines == COUNT + 1
        if n:  # the first run warms caches and compiles queries
            steps["create 500"].append(created - start)
            steps["list the batch"].append(listed - created)
            steps["export CSV"].append(exported - listed)
    busy1, total1 = machine_cpu()
    vendor = "PostgreSQL" if database_url else "SQLite"
    print(f"{vendor}: {runs} batches of {COUNT} vouchers (limited to 1 event, 2 tickets)")
    for name, times in steps.items():
        print(
            f"  {name:<15} median {statistics.median(times) * 1000:7.1f} ms"
            f"   fastest {min(times) * 1000:7.1f} ms"
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
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        measure(args.child, args.runs)
        return
    targets = []
    if args.only in (None, "sqlite"):
        targets.append("")
    if args.only in (None, "postgres"):
        url = args.database_url or DEFAULT_PG
        base, name = url.rsplit("/", 1)
        recreate_database(base, name)
        targets.append(url)
    for url in targets:
        subprocess.run(
            [sys.executable, __file__, "--child", url, "--runs", str(args.runs)], check=True
        )


if __name__ == "__main__":
    main()
