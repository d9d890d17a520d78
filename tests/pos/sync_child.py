"""Runs one sync of a counter in its own process, for the crash tests.

    python tests/pos/sync_child.py  < {"data_dir": ..., "secrets": {...}, "page_size": 5}

The secrets (device and user token) come on stdin, never in a file or the command line,
and go to an in-memory keyring. `ENTURF_POS_KILL_AT` names the point where the process
SIGKILLs itself (`enturf_pos.services.sync_kill_points`). Prints the report as JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the support package


def main() -> int:
    import keyring
    from support.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    from enturf_pos.config import PosConfig
    from enturf_pos.services import sync_engine
    from enturf_pos.services.pos_context import open_context
    from enturf_pos.services.secret_store import Secret

    order = json.loads(sys.stdin.read())
    ctx = open_context(PosConfig(data_dir=Path(order["data_dir"])))
    for name, value in order["secrets"].items():
        ctx.secrets.set(Secret(name), value)
    report = sync_engine.run_sync(
        ctx=ctx,
        pull_page_size=order.get("page_size", 1000),
        push_batch_size=order.get("batch_size", 200),
    )
    print(
        json.dumps(
            {
                "ok": report.ok,
                "message": report.message,
                "pending": report.pending,
                "pull_entries": report.pull.entries if report.pull else None,
                "pull_pages": report.pull.pages if report.pull else None,
                "pushed": report.push.sent if report.push else None,
            }
        )
    )
    ctx.close()
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
