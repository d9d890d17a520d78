"""What the booking bench counts while it runs (`Results`, one `Run` per worker class)
and the report it prints at the end."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from load_tools import percentile


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)  # booking POSTs, seconds
    codes: Counter = field(default_factory=Counter)
    refreshes: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Run:
    worker_class: str
    seats: int
    load_before: float
    load_after: float = float("nan")
    calibration: tuple[int, float, float, float] | None = None
    results: Results = field(default_factory=Results)
    elapsed: float = 0.0
    app_cpu: float = 0.0
    db_cpu: float = 0.0
    clients_cpu: float = 0.0
    machine_busy: float = 0.0
    doubles: int = 0
    mismatched: int = 0
    live_lines: int = 0


def report(runs: list[Run], statements: list[str], tps: float | None, args, cores: int) -> None:
    budget = cores * 60_000 / 7500  # ms of CPU per booking at 7,500/min on these cores
    print()
    print(
        f"Machine: {cores} cores. Each booking is one POST /api/v1/bookings/ with two seat "
        f"lines. CPU is /proc utime+stime. At 7,500 bookings/min (5 x pretix) {cores} cores "
        f"allow {budget:.1f} ms of CPU per booking for everything (server, PostgreSQL, clients)."
    )
    print(
        f"SQL statements per booking: {len(statements)} (one booking in-process through "
        "Django's WSGI handler, BEGIN and COMMIT included; a connection health check adds "
        "a `SELECT 1` per request)"
    )
    if args.verbose:
        for sql in statements:
            print(f"    {sql[:150]}")

    def line(label: str, value: str, note: str = "") -> None:
        print(f"  {label:<44}{value:>16}" + (f"  ({note})" if note else ""))

    for run in runs:
        results, ok = run.results, run.results.codes[201]
        lat = [x * 1000 for x in results.latencies]
        print()
        print(f"== gunicorn {run.worker_class}, {args.workers} workers ==")
        if run.calibration is not None:
            n, app, db, wall = run.calibration
            if n:
                line(
                    "one client, one booking at a time: CPU",
                    f"{app / n * 1000:.2f} + {db / n * 1000:.2f} ms",
                    f"gunicorn + PostgreSQL per booking, {n} bookings, nothing queued; "
                    f"{wall / n * 1000:.1f} ms each",
                )
        line(
            "load average before / after",
            f"{run.load_before:.1f} / {run.load_after:.1f}",
            "1-minute, this bench's own processes included",
        )
        line("run time", f"{run.elapsed:.1f} s", f"{run.live_lines} of {run.seats} seats sold")
        other = sum(results.codes.values()) - ok - results.codes[409]
        line(
            "booking POSTs 201 / 409 / other",
            f"{ok} / {results.codes[409]} / {other}",
            "confirmed / seat taken meanwhile / anything else",
        )
        line(
            "availability ?since= refreshes",
            f"{results.refreshes}",
            "after each refusal and every 10 bookings per client",
        )
        line("confirmed bookings per minute", f"{ok / max(run.elapsed, 1e-9) * 60:.0f}")
        line(
            "booking POST latency p50 / p95 / p99",
            f"{percentile(lat, 50):.0f} / {percentile(lat, 95):.0f} / {percentile(lat, 99):.0f} ms",
            f"client-side, includes queueing for a worker ({args.clients} clients)",
        )
        if ok:
            line(
                "CPU per confirmed booking, gunicorn",
                f"{run.app_cpu / ok * 1000:.2f} ms",
                "master + workers, incl. their refreshes and refusals",
            )
            line(
                "CPU per confirmed booking, PostgreSQL",
                f"{run.db_cpu / ok * 1000:.2f} ms",
                f"backends of {args.database}; WAL writer, checkpointer not included",
            )
            line(
                "CPU per confirmed booking, server total",
                f"{(run.app_cpu + run.db_cpu) / ok * 1000:.2f} ms",
                "pretix reference: ~77 ms at ~1,500/min",
            )
            line(
                "CPU per confirmed booking, load clients",
                f"{run.clients_cpu / ok * 1000:.2f} ms",
                f"this script's {args.clients} client threads",
            )
            total = (run.app_cpu + run.db_cpu + run.clients_cpu) / ok * 1000
            line(
                "bookings per minute the cores allow",
                f"{cores * 60_000 / total:.0f}",
                f"{cores} cores / {total:.2f} ms (server + clients) if nothing else ran",
            )
        line(
            "machine CPU busy during the run",
            f"{run.machine_busy * 100:.0f} %",
            f"all processes, all {cores} cores, /proc/stat",
        )
        ours = (run.app_cpu + run.db_cpu + run.clients_cpu) / max(run.elapsed * cores, 1e-9)
        line(
            "  of which other processes",
            f"{max(0.0, run.machine_busy - ours) * 100:.0f} %",
            "not gunicorn, its PostgreSQL backends or the clients: other jobs, WAL writer, ...",
        )
        line("oversold seats (in >1 live booking)", f"{run.doubles}", "must be 0")
        line("sold-status rows not matching live lines", f"{run.mismatched}", "must be 0")
        if results.errors:
            print(f"  unexpected answers: {results.errors[:3]}")
    if tps is not None:
        print()
        print(
            f"pgbench TPC-B-like (scale 10, -c 16 -j 2 -T 20): {tps:.0f} tps on the same "
            "PostgreSQL (5 statements per transaction; a yardstick of machine and disk)"
        )
