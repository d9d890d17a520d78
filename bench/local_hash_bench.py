#!/usr/bin/env python
"""What one local password or PIN check costs on this machine (`local_password`).

Times `check_password` (keyed scrypt, the counter's costs `LOG2_N`, `R`, `P`: what the
lock screen's PIN, the unlock password and offline login pay per try) and, beside it,
nearby scrypt costs and the unkeyed N=2^17 hash of before the counter key (still checked
once per user, at the upgrade). Prints median and p95 in milliseconds with the load
average: the machine is shared, compare figures with the load they were measured under.
The target for the counter's costs is about 50-100 ms per check.

    .venv/bin/python bench/local_hash_bench.py [--checks 15]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from enturf_pos.services.session import local_password


def _timed(fn, checks: int) -> list[float]:
    fn()  # warm up
    return [seconds * 1000 for seconds in timeit.repeat(fn, number=1, repeat=checks)]


def _line(label: str, times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    return f"{label:<46} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms"


def _raw_scrypt(log2_n: int, r: int) -> None:
    n = 1 << log2_n
    hashlib.scrypt(
        b"4821", salt=os.urandom(16), n=n, r=r, p=1, maxmem=256 * r * n + 2**20, dklen=32
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--checks", type=int, default=15)
    args = parser.parse_args()

    key = os.urandom(32)
    stored = local_password.hash_password("4821", key)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    chosen = f"N=2^{local_password.LOG2_N} r={local_password.R} p={local_password.P}"
    mib = 128 * local_password.R * (1 << local_password.LOG2_N) / 2**20
    times = _timed(lambda: local_password.check_password("4821", stored, key), args.checks)
    print(_line(f"check, counter costs {chosen} ({mib:.0f} MiB)", times))
    for log2_n, r in ((12, 8), (14, 8)):
        times = _timed(lambda log2_n=log2_n, r=r: _raw_scrypt(log2_n, r), args.checks)
        print(_line(f"scrypt N=2^{log2_n} r={r}", times))
    legacy = _timed(lambda: _raw_scrypt(17, 8), max(3, args.checks // 5))
    print(_line("before the counter key: N=2^17 r=8", legacy))


if __name__ == "__main__":
    main()
