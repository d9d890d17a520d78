"""``enturf-gateway-sim``: run the card gateway simulator.

Every flag has an environment variable equivalent (``ENTURF_SIM_...``); flags win.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence

from .config import DEFAULT_RESTRICTED_KEYS, DEFAULT_SECRET_KEYS, SimConfig, default_db_path
from .server import Simulator


def _env_list(name: str, default: Sequence[str]) -> list[str]:
    raw = os.environ.get(name)
    return [v.strip() for v in raw.split(",") if v.strip()] if raw else list(default)


def _env_float(name: str) -> float | None:
    raw = os.environ.get(name)
    return float(raw) if raw else None


def build_parser() -> argparse.ArgumentParser:
    env = os.environ.get
    parser = argparse.ArgumentParser(
        prog="enturf-gateway-sim",
        description="A local card gateway speaking the subset of Stripe's v1 API Enturf uses.",
    )
    parser.add_argument(
        "--host",
        default=env("ENTURF_SIM_HOST", "127.0.0.1"),
        help="address to listen on (ENTURF_SIM_HOST, default 127.0.0.1)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(env("ENTURF_SIM_PORT", "12111")),
        help="port to listen on, 0 for any free port (ENTURF_SIM_PORT)",
    )
    parser.add_argument(
        "--db",
        default=env("ENTURF_SIM_DB", str(default_db_path())),
        help="SQLite file holding the state (ENTURF_SIM_DB)",
    )
    parser.add_argument(
        "--secret-key",
        action="append",
        dest="secret_keys",
        help="accepted secret key sk_test_..., repeatable "
        "(ENTURF_SIM_SECRET_KEYS, comma-separated)",
    )
    parser.add_argument(
        "--restricted-key",
        action="append",
        dest="restricted_keys",
        help="accepted restricted key rk_test_..., repeatable "
        "(ENTURF_SIM_RESTRICTED_KEYS, comma-separated)",
    )
    parser.add_argument(
        "--webhook-url",
        default=env("ENTURF_SIM_WEBHOOK_URL"),
        help="where to send signed events (ENTURF_SIM_WEBHOOK_URL)",
    )
    parser.add_argument(
        "--webhook-secret",
        default=env("ENTURF_SIM_WEBHOOK_SECRET"),
        help="whsec_... signing secret (ENTURF_SIM_WEBHOOK_SECRET)",
    )
    parser.add_argument(
        "--webhook-backoff",
        type=float,
        default=_env_float("ENTURF_SIM_WEBHOOK_BACKOFF"),
        help="seconds before the first webhook retry, doubling after "
        "(ENTURF_SIM_WEBHOOK_BACKOFF, default 2)",
    )
    parser.add_argument(
        "--auto-approve-delay",
        type=float,
        default=_env_float("ENTURF_SIM_AUTO_APPROVE_DELAY"),
        help="readers approve a Visa test card by themselves after this many "
        "seconds (ENTURF_SIM_AUTO_APPROVE_DELAY; default: wait for "
        "present_payment_method)",
    )
    parser.add_argument(
        "--demo-readers",
        type=int,
        default=int(env("ENTURF_SIM_DEMO_READERS", "1")),
        help="simulated readers to create at start, tmr_EnturfDemo0001... "
        "(ENTURF_SIM_DEMO_READERS, default 1)",
    )
    parser.add_argument(
        "--fault",
        action="append",
        dest="faults",
        help="inject a fault at start: MODE:COUNT[:PATH], MODE one of error, "
        "drop, hold; repeatable (ENTURF_SIM_FAULTS, comma-separated)",
    )
    parser.add_argument("--log-level", default=env("ENTURF_SIM_LOG_LEVEL", "INFO"))
    return parser


def config_from_args(args: argparse.Namespace) -> SimConfig:
    config = SimConfig(
        host=args.host,
        port=args.port,
        db_path=args.db,
        secret_keys=tuple(
            args.secret_keys or _env_list("ENTURF_SIM_SECRET_KEYS", DEFAULT_SECRET_KEYS)
        ),
        restricted_keys=tuple(
            args.restricted_keys or _env_list("ENTURF_SIM_RESTRICTED_KEYS", DEFAULT_RESTRICTED_KEYS)
        ),
        webhook_url=args.webhook_url or None,
        auto_approve_delay=args.auto_approve_delay,
        demo_readers=args.demo_readers,
        faults=tuple(args.faults or _env_list("ENTURF_SIM_FAULTS", ())),
    )
    if args.webhook_secret:
        config.webhook_secret = args.webhook_secret
    if args.webhook_backoff is not None:
        config.webhook_backoff = args.webhook_backoff
    return config


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        config = config_from_args(args)
        simulator = Simulator(config).start()
    except (ValueError, OSError) as exc:
        parser.exit(2, f"enturf-gateway-sim: {exc}\n")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    # The URL on stdout lets a parent process find a port chosen with --port 0.
    print(f"enturf-gateway-sim listening on {simulator.url}", flush=True)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
