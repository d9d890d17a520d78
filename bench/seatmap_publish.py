"""Publishing the demo's 20,000-seat arena from the editor: one `seatmap_publish` op
through `POST /api/v1/sync/push/` against a live server (gunicorn, one sync worker),
on SQLite and on PostgreSQL. Target: under 3 s per publish.

Each database is fresh (migrated, a venue, an admin logged in on a registered counter).
The arena (enturf_demo.venues.enturf_arena, with the editor's drawing: category colours,
a stage, aisle seats at the row ends) is published `--runs` times as new drafts, each
the next version; a replay of the first draft follows. Printed per database: the request
size, each publish's wall time (client's view: the HTTP round trip, JSON both ways), the
median and the worst, the replay, and the load average before and after.

    .venv/bin/python bench/seatmap_publish.py
    .venv/bin/python bench/seatmap_publish.py \\
        --database-url postgres://postgres@127.0.0.1:5432/enturf_srvmaps_bench
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from load_tools import drop_database, free_port, recreate_database, start_gunicorn  # noqa: E402

PUSH = "/api/v1/sync/push/"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/enturf_srvmaps_bench"


def arena_draft() -> dict:
    """The demo arena as the editor's file: its layout plus what the editor draws."""
    from enturf_core.palette import CATEGORY_COLOURS
    from enturf_demo.venues import enturf_arena

    layout = enturf_arena()
    layout.pop("name", None)
    categories = sorted(
        {s["category"] for sec in layout["sections"] for r in sec["rows"] for s in r["seats"]}
    )
    layout["format"] = "enturf-seatmap/1"
    layout["categories"] = [
        {"name": name, "colour": CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)]}
        for i, name in enumerate(categories)
    ]
    for section in layout["sections"]:
        for row in section["rows"]:
            row["seats"][0]["aisle"] = row["seats"][-1]["aisle"] = True
    layout["decorations"] = [
        {
            "kind": "stage",
            "points": [[900.0, 200.0], [1300.0, 200.0], [1300.0, 320.0], [900.0, 320.0]],
            "text": "Stage",
        }
    ]
    return layout


def prepare(database_url: str, data_dir: str) -> tuple[int, str, str]:
    """Migrate; a venue; an admin logged in on a counter: (venue id, user token, device token)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["ENTURF_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enturf_server.settings")
    sys.path.insert(0, str(ROOT / "tests"))
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from support.counters import register_counter

    from enturf_server.accounts.models import ApiToken, User
    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import set_role
    from enturf_server.catalog import services

    call_command("migrate", verbosity=0)
    manager = User.objects.create(username="manager")
    set_role(manager, Role.ADMIN)
    device, device_token, _key = register_counter("Office")
    _token, user_token = ApiToken.issue(manager, timedelta(hours=2), device=device)
    venue = services.create_venue(actor=None, name="Enturf Arena")
    from django.db import connection

    connection.close()
    return venue.pk, user_token, device_token


def publish(port: int, body: bytes, headers: dict[str, str]) -> tuple[float, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    t0 = time.perf_counter()
    conn.request("POST", PUSH, body=body, headers=headers)
    answer = conn.getresponse()
    data = answer.read()
    elapsed = time.perf_counter() - t0
    conn.close()
    if answer.status != 200:
        raise SystemExit(f"push answered {answer.status}: {data[:500]!r}")
    [result] = json.loads(data)["results"]
    return elapsed, result


def op_body(venue: int, layout: dict, draft: uuid.UUID, name: str = "Main") -> bytes:
    op = {
        "id": str(uuid.uuid4()),
        "type": "seatmap_publish",
        "payload": {
            "draft": str(draft),
            "venue": venue,
            "name": name,
            "layout": layout,
            "as_newer": True,
        },
    }
    return json.dumps({"ops": [op]}).encode()


def run_one(database_url: str, runs: int) -> None:
    """One database: prepare it, start gunicorn on it, publish, print one report."""
    data_dir = tempfile.mkdtemp(prefix="enturf-publish-")
    venue, user_token, device_token = prepare(database_url, data_dir)
    from django.db import connection

    vendor = connection.vendor
    layout = arena_draft()
    seats = sum(len(r["seats"]) for s in layout["sections"] for r in s["rows"])
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ENTURF_DATA_DIR": data_dir,
        "ENTURF_LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Token {user_token}",
        "X-Enturf-Device": device_token,
    }
    port = free_port()
    load_before = os.getloadavg()[0]
    server = start_gunicorn(env, port, 1, "sync", 1)
    try:
        # warm up the worker (imports, first connection) with a small map
        small = {
            "sections": [
                {"name": "W", "rows": [{"label": "A", "seats": [{"label": "1", "x": 0, "y": 0}]}]}
            ]
        }
        publish(port, op_body(venue, small, uuid.uuid4(), name="Warm-up"), headers)
        times, versions = [], []
        first_draft = uuid.uuid4()
        for n in range(runs):
            body = op_body(venue, layout, first_draft if n == 0 else uuid.uuid4())
            elapsed, result = publish(port, body, headers)
            if result["status"] != "applied":
                raise SystemExit(f"publish answered {result}")
            times.append(elapsed)
            versions.append(result["version"])
        replay, again = publish(port, op_body(venue, layout, first_draft), headers)
        assert again["status"] == "applied" and again["version"] == versions[0], again
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)
    print(
        f"{vendor}: {seats:,} seats, request {len(body) / 1e6:.1f} MB; publish "
        f"median {statistics.median(times):.2f} s, worst {max(times):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)}; versions {versions[0]}-{versions[-1]}); "
        f"replay of a draft {replay:.2f} s; load {load_before:.1f} -> {os.getloadavg()[0]:.1f}; "
        f"target < 3 s",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES, help="PostgreSQL to use")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--one", default="", help=argparse.SUPPRESS)  # a child: one database
    args = parser.parse_args()
    if args.one:
        run_one(args.one, args.runs)
        return 0

    def child(url: str) -> None:
        cmd = [sys.executable, __file__, "--one", url, "--runs", str(args.runs)]
        subprocess.run(cmd, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})

    with tempfile.TemporaryDirectory() as tmp:
        child(f"sqlite:///{tmp}/bench.sqlite3")
    if not args.no_postgres:
        base, name = args.database_url.rsplit("/", 1)
        recreate_database(base, name)
        try:
            child(args.database_url)
        finally:
            drop_database(base, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
