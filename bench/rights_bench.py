#!/usr/bin/env python
"""What a rights check costs a request (accounts.rights, issue 16).

A request builds its user anew, so its first `has_right` reads the role's grant (one
`RoleGrant` query); later checks in the same request (a push batch of 200 ops) use the
grant cached on the user object. On a fresh database (SQLite in a temporary folder, or
`--database-url`), migrated, with one user per staff role:

* first check of a request: `has_right` on a freshly loaded user, per call;
* cached: `has_right` again on the same user object, per call;
* `GET /api/v1/auth/me/` through Django's test client (token auth, the rights listed),
  per request, beside `GET /api/v1/venues/` (`HasRight(edit_seat_maps, read=True)`).

Prints the median and p95 in microseconds, with the load average: the machine is shared,
compare figures with the load they were measured under.

    .venv/bin/python bench/rights_bench.py [--calls 2000]
    .venv/bin/python bench/rights_bench.py --database-url postgres://postgres@127.0.0.1:5432/enturf_rbench
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _timed(fn, calls: int) -> list[float]:
    out = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1e6)
    return out


def _line(name: str, samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    return f"{name:<44} median {statistics.median(samples):8.1f} us   p95 {p95:8.1f} us"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="enturf-rbench-")
    os.environ["ENTURF_DATA_DIR"] = folder
    if args.database_url:
        sys.path.insert(0, str(ROOT / "bench"))
        from load_tools import recreate_database

        base, name = args.database_url.rsplit("/", 1)
        recreate_database(base, name)
        os.environ["DATABASE_URL"] = args.database_url
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enturf_server.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from datetime import timedelta

    from enturf_core.staff_rights import Right, StaffRole
    from enturf_server.accounts.models import ApiToken, User
    from enturf_server.accounts.rights import has_right
    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import set_role

    users = []
    for role in StaffRole:
        user = User.objects.create(username=f"bench-{role.value}")
        set_role(user, Role(role.value))
        users.append(user)
    cashier = users[[r for r in StaffRole].index(StaffRole.CASHIER)]
    pks = [u.pk for u in users]

    def first_check():
        user = User.objects.get(pk=pks[1 if first_check.n % 2 else 2])
        first_check.n += 1
        has_right(user, Right.SELL)

    first_check.n = 0
    loaded = User.objects.get(pk=cashier.pk)
    has_right(loaded, Right.SELL)

    _token, key = ApiToken.issue(cashier, timedelta(hours=1))
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/auth/me/").status_code == 200

    print(f"database: {django.db.connection.vendor}; calls: {args.calls}")
    print(_line("user load + first has_right (per request)", _timed(first_check, args.calls)))
    print(
        _line(
            "user load only (what a request pays anyway)",
            _timed(lambda: User.objects.get(pk=pks[1]), args.calls),
        )
    )
    print(
        _line(
            "has_right, cached on the user",
            _timed(lambda: has_right(loaded, Right.SELL), args.calls),
        )
    )
    calls = max(args.calls // 10, 50)
    print(
        _line(
            "GET /api/v1/auth/me/ (rights listed)",
            _timed(lambda: client.get("/api/v1/auth/me/"), calls),
        )
    )
    print(
        _line(
            "GET /api/v1/venues/ (HasRight, read=True)",
            _timed(lambda: client.get("/api/v1/venues/"), calls),
        )
    )
    print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if args.database_url:
        from django.db import connections

        connections.close_all()
        from load_tools import drop_database

        drop_database(base, name)


if __name__ == "__main__":
    main()
