"""`enturf-pos`: the Enturf desktop point of sale.

enturf-pos                                   # start (first run: set up the counter)
enturf-pos --server URL --setup-code CODE    # register without typing, then start
enturf-pos --data-dir PATH                   # another local database (also ENTURF_POS_DATA_DIR)
enturf-pos --check [--data-dir PATH]         # open and migrate the local database, start Qt
                                             # without a window, print one JSON line (version,
                                             # database, schema revision, Qt, platform plugin,
                                             # registered); exit 0, or 1 naming what is missing
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="enturf-pos", description="Enturf box office: the counter (point of sale)."
    )
    parser.add_argument("--server", metavar="URL", help="server address, e.g. http://10.0.0.5:8000")
    parser.add_argument(
        "--setup-code", metavar="CODE", help="one-time setup code from an administrator"
    )
    parser.add_argument(
        "--name", metavar="NAME", help="this counter's name (default: the computer's name)"
    )
    parser.add_argument("--data-dir", metavar="PATH", help="folder of the local database")
    parser.add_argument(
        "--check",
        action="store_true",
        help="check this installation: open and migrate the local database, start Qt without a "
        "window, print one JSON line (version, database, revision, Qt, platform, registered); "
        "exit 0, or 1 saying what is missing",
    )
    args = parser.parse_args(argv)
    if bool(args.server) != bool(args.setup_code):
        parser.error("--server and --setup-code go together")
    return args


def register_from_args(args: argparse.Namespace, ctx) -> int:
    import socket

    from enturf_pos.services.session import device_service

    if device_service.has_credentials(ctx=ctx):
        # Already set up (e.g. `make run` again): the code was used once; go to login.
        return 0
    result = device_service.register_device(
        ctx=ctx,
        server_url=args.server,
        setup_code=args.setup_code,
        name=args.name or socket.gethostname()[:100],
    )
    if ctx.secrets.warning:
        print(f"warning: {ctx.secrets.warning}", file=sys.stderr)
    print(result.message, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 2


def keep_escpos_capabilities() -> None:
    """python-escpos parses its printer database (100 kB of JSON read as YAML, ~0.3 s) on
    every import and pickles it into a new temporary folder, never reused and never
    removed, unless ESCPOS_CAPABILITIES_PICKLE_DIR names a folder: this user's cache."""
    if "ESCPOS_CAPABILITIES_PICKLE_DIR" in os.environ:
        return
    from platformdirs import user_cache_dir

    from enturf_pos.config import APP_NAME

    folder = os.path.join(user_cache_dir(APP_NAME, appauthor=False), "escpos")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return  # a read-only home: python-escpos's own temporary folder then
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = folder


def main(argv: list[str] | None = None) -> int:
    started_at = time.perf_counter()
    args = parse_args(argv)
    logging.basicConfig(
        level=os.environ.get("ENTURF_POS_LOG_LEVEL", "WARNING").upper(),
        format="enturf-pos %(levelname)s %(name)s: %(message)s",
    )
    keep_escpos_capabilities()
    from enturf_pos.config import PosConfig

    config = PosConfig.from_env(args.data_dir)
    ctx = None
    if args.check:
        from enturf_pos.self_check import run_check

        return run_check(config)
    if args.setup_code:
        from enturf_pos.services.session.pos_context import open_context

        # The same context goes on to the windows: without a keyring, the secrets of this
        # registration live only in this process's memory.
        ctx = open_context(config)
        if status := register_from_args(args, ctx):
            ctx.close()
            return status
    from enturf_pos import qt_platform

    if problem := qt_platform.display_problem():
        print(problem, file=sys.stderr)
        return 2
    from enturf_pos.ui.app import run

    return run(config, ctx=ctx, started_at=started_at)


if __name__ == "__main__":
    sys.exit(main())
