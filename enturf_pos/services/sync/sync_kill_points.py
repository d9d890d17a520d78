"""Named points where a crash test kills the sync (`ENTURF_POS_KILL_AT`).

Crash tests run the sync in a subprocess with ``ENTURF_POS_KILL_AT=<name>``; when the
sync reaches that point the process sends itself SIGKILL (no cleanup, no flush, as a
power cut or `kill -9` would). Unset, a kill point costs one dictionary lookup.

Points (see `sync_push`, `sync_pull`):

* ``before_push`` -- ops read from the outbox, nothing sent yet;
* ``after_push_sent`` -- the server applied a batch and answered; nothing marked here;
* ``mid_push_marking`` -- inside the transaction that marks a batch's results;
* ``mid_pull_page_<n>`` -- inside the transaction applying change-feed page n (rows
  written, cursor stored, not committed).
"""

from __future__ import annotations

import os
import signal

ENV = "ENTURF_POS_KILL_AT"


def kill_point(name: str) -> None:
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
