"""Two transactions racing on PostgreSQL: the first does its work and stays open, the
second starts meanwhile and either finishes or waits on a lock the first holds."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, connections, transaction

DEADLINE = 30  # seconds to wait for a thread to reach a point (never asserted on)


def wait_until(predicate: Callable[[], bool], what: str) -> None:
    end = time.monotonic() + DEADLINE
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def waiting_on_a_lock(locktype: str | None = None) -> bool:
    """Whether some session of this test's database waits for a lock (of `locktype`, e.g.
    'advisory', if given). Sessions of other databases on the same PostgreSQL server (other
    test runs beside this one) do not count: their waits would release the race early."""
    sql = (
        "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE NOT l.granted AND a.datname = current_database()"
    )
    params: list[str] = []
    if locktype:
        sql += " AND l.locktype = %s"
        params.append(locktype)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0] > 0


@dataclass
class Race:
    first: Any = None  # what each callable returned (set once it has run)
    second: Any = None
    second_done: threading.Event = field(default_factory=threading.Event)
    errors: list[BaseException] = field(default_factory=list)


@contextmanager
def first_held_open(
    first: Callable[[], Any], second: Callable[[], Any], *, locktype: str | None = None
) -> Iterator[Race]:
    """Run `first` in a transaction kept open, then `second` in another thread; enter the
    block once `second` has finished or waits on a lock (of `locktype`). Leaving the
    block commits the first, joins both and raises what either thread raised."""
    race = Race()
    first_ran = threading.Event()
    release_first = threading.Event()

    def run_first() -> None:
        try:
            with transaction.atomic():  # done, not committed until the block is left
                race.first = first()
                first_ran.set()
                release_first.wait(DEADLINE)
        except BaseException as exc:  # pragma: no cover - reported on leaving the block
            race.errors.append(exc)
        finally:
            connections.close_all()

    def run_second() -> None:
        try:
            race.second = second()
            race.second_done.set()
        except BaseException as exc:  # pragma: no cover - reported on leaving the block
            race.errors.append(exc)
        finally:
            connections.close_all()

    thread_1 = threading.Thread(target=run_first)
    thread_2 = threading.Thread(target=run_second)
    thread_1.start()
    try:
        wait_until(lambda: first_ran.is_set() or bool(race.errors), "the first transaction")
        if not race.errors:
            thread_2.start()
            wait_until(
                lambda: race.second_done.is_set() or waiting_on_a_lock(locktype) or race.errors,
                "the second transaction",
            )
        yield race
    finally:
        release_first.set()
        thread_1.join(DEADLINE)
        if thread_2.ident is not None:
            thread_2.join(DEADLINE)
    assert not race.errors, race.errors
