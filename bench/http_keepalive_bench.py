"""Latency of one request on a kept-alive connection, as the counter and the tests make
them (`requests.Session`): the gateway simulator (create a PaymentIntent) and the server
under `runserver` (`GET /api/v1/auth/me/`), with a new connection per request beside it.

    .venv/bin/python bench/http_keepalive_bench.py [--runs 40]

Both servers send a response's headers and body as two writes; without TCP_NODELAY the
body waited for the client's delayed ACK (~40 ms). Measured back to back on this
2-CPU machine, before -> after TCP_NODELAY (load ~7, helpers running): simulator median
48.6 -> 4.0 ms; runserver kept-alive 64.8 -> 21.8 ms (a new connection each: ~27-40 ms).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import requests
from support.server_process import running_server

from gateway_sim.testing import start_simulator


def _times(call: Callable[[], requests.Response], runs: int) -> tuple[float, float]:
    call()  # warm-up: the connection, the first query
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        answer = call()
        times.append(time.perf_counter() - start)
        answer.raise_for_status()
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.9)] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    rows = []
    sim = start_simulator()
    try:
        session = requests.Session()
        session.auth = (sim.secret_key, "")
        intent = {"amount": 1000, "currency": "eur", "payment_method_types[]": "card"}
        rows.append(
            (
                "simulator, kept alive",
                _times(
                    lambda: session.post(f"{sim.url}/v1/payment_intents", data=intent), args.runs
                ),
            )
        )
    finally:
        sim.stop()
    with tempfile.TemporaryDirectory() as folder, running_server(Path(folder)) as server:
        auth = {"Authorization": f"Token {server.login('admin')}"}
        me = f"{server.base_url}/api/v1/auth/me/"
        session = requests.Session()
        session.headers.update(auth)
        rows.append(("runserver, kept alive", _times(lambda: session.get(me), args.runs)))
        fresh = auth | {"Connection": "close"}
        rows.append(
            (
                "runserver, new connection",
                _times(lambda: requests.get(me, headers=fresh), args.runs),
            )
        )
    print(f"runs per figure: {args.runs}, load average {os.getloadavg()[0]:.2f}")
    print(f"{'request':<28}{'median ms':>10}{'p90 ms':>10}")
    for name, (median, p90) in rows:
        print(f"{name:<28}{median:>10.1f}{p90:>10.1f}")


if __name__ == "__main__":
    main()
