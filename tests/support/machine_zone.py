"""Run a test with the machine's clock zone set far from the venue's (TZ + time.tzset)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def machine_zone(name: str) -> Iterator[None]:
    """The process's local zone is `name` inside the block, as before after it."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()
