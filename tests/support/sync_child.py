"""Runs one sync of a counter in its own process, for the crash tests.

    python tests/support/sync_child.py  < {"data_dir": ..., "secrets": {...}, "page_size": 5}

The secrets (device and user token) come on stdin, never in a file or the command line,
and go to an in-memory keyring. `ENTURF_POS_KILL_AT` names the point where the process
SIGKILLs itself (`enturf_pos.services.sync.sync_kill_points`). Prints the report as JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the support package


def main() -> int:
    from support.pos_child import open_child_context

    order = json.loads(sys.stdin.read())
    ctx = open_child_context(order)
    from enturf_pos.services.sync import sync_engine

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
