"""One sync run: push the outbox first, then pull the change feed.

`run_sync` is plain Python (no Qt): the UI runs it on a worker thread, crash tests in a
subprocess, benchmarks directly. It never raises for a network or server problem; it
answers a :class:`SyncReport` saying what happened, in words a person can read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import func, select

from enturf_core.wire import version as wire
from enturf_pos.models import Allocation, OutboxOp, OutboxState
from enturf_pos.services.session.api_client import ApiError, ServerUnreachable
from enturf_pos.services.session.auth_service import DEVICE_REFUSALS
from enturf_pos.services.session.device_service import mark_revoked, this_device_id
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import counter_update, outbox_service, sync_pull, sync_push
from enturf_pos.services.sync.sync_session import (
    ACCOUNT_DISABLED,
    LoginNeeded,
    SessionCredentials,
    Unreachable,
    ensure_token,
    renew_token,
)

log = logging.getLogger(__name__)

PULL_UNKNOWN_TOTAL = -1  # progress total while reading the feed (its length is unknown)

Progress = Callable[[int, int], None]  # (done, total); total -1: unknown
T = TypeVar("T")


@dataclass
class SyncReport:
    ok: bool
    reachable: bool
    message: str
    pending: int = 0
    conflicts: int = 0
    rejected: int = 0
    needs_login: bool = False
    account_disabled: bool = False  # the server refused the user's login: deactivated
    device_revoked: bool = False
    wire_refused: bool = False  # the wire formats do not meet: nothing was sent (update)
    finished_at: datetime | None = None
    push: sync_push.PushReport | None = None
    pull: sync_pull.PullReport | None = None


def counts(ctx: PosContext) -> tuple[int, int, int]:
    """(pending, conflicts, rejected) ops in the outbox."""
    with ctx.db.transaction() as session:
        rows = dict(
            session.execute(select(OutboxOp.state, func.count()).group_by(OutboxOp.state)).all()
        )
    return (
        rows.get(OutboxState.PENDING, 0),
        rows.get(OutboxState.CONFLICT, 0),
        rows.get(OutboxState.REJECTED, 0),
    )


def _release_pending(ctx: PosContext) -> bool:
    """Whether one of this counter's allocations waits for a push to shrink."""
    with ctx.db.transaction() as session:
        device_id = this_device_id(session)
        if device_id is None:
            return False
        rows = session.scalars(
            select(Allocation.pending_release).where(Allocation.device_id == device_id)
        )
        return any((pending or {}).get("seats") or (pending or {}).get("areas") for pending in rows)


def _report(ctx: PosContext, ok: bool, reachable: bool, message: str, **extra) -> SyncReport:
    pending, conflicts, rejected = counts(ctx)
    return SyncReport(
        ok, reachable, message, pending=pending, conflicts=conflicts, rejected=rejected, **extra
    )


def run_sync(
    *,
    ctx: PosContext,
    credentials: SessionCredentials | None = None,
    progress: Progress | None = None,
    pull_page_size: int = sync_pull.PAGE_SIZE,
    push_batch_size: int = sync_push.BATCH_SIZE,
) -> SyncReport:
    client = ctx.api_client()
    if client is None:
        return _report(ctx, False, False, "This counter is not registered.")
    push_report: sync_push.PushReport | None = None
    pull_report: sync_pull.PullReport | None = None
    try:
        client.user_token = ensure_token(ctx, credentials)
        refusal = counter_update.sync_refusal(ctx, client)
        if refusal:  # the outbox stays as it is, for the updated counter to send
            return _report(ctx, False, True, refusal, wire_refused=True)

        def with_session(step: Callable[[], T]) -> T:
            try:
                return step()
            except ApiError as exc:
                if exc.status != 401:
                    raise
                client.user_token = renew_token(ctx, credentials)
                return step()

        push_report = with_session(
            lambda: sync_push.push(
                ctx=ctx, client=client, batch_size=push_batch_size, progress=progress
            )
        )
        pull_progress = None
        if progress is not None:

            def pull_progress(entries: int) -> None:
                progress(entries, PULL_UNKNOWN_TOTAL)

        def pull() -> sync_pull.PullReport:
            return with_session(
                lambda: sync_pull.pull(
                    ctx=ctx, client=client, page_size=pull_page_size, progress=pull_progress
                )
            )

        pull_report = pull()
        if _release_pending(ctx):
            # The server applies a shrink of our allocation only after our next push, and
            # an empty push counts (docs/offline-selling.md): send one now rather than at
            # the next sync, then read the release back.
            with_session(lambda: client.post(sync_push.PUSH_PATH, {"ops": []}))
            pull_report.add(pull())
    except (ServerUnreachable, Unreachable) as exc:
        return _report(ctx, False, False, exc.message, push=push_report, pull=pull_report)
    except LoginNeeded as exc:
        return _report(
            ctx,
            False,
            True,
            exc.message,
            needs_login=True,
            account_disabled=exc.code == ACCOUNT_DISABLED,
            push=push_report,
        )
    except ApiError as exc:
        if exc.code == wire.UNSUPPORTED:
            refusal = counter_update.remember_refusal(ctx, exc)
            return _report(
                ctx, False, True, refusal, wire_refused=True, push=push_report, pull=pull_report
            )
        if exc.code in DEVICE_REFUSALS:
            mark_revoked(ctx=ctx)
            return _report(ctx, False, True, exc.message, device_revoked=True)
        log.warning("sync failed: %s", exc)
        return _report(
            ctx, False, True, f"Sync failed: {exc.message}", push=push_report, pull=pull_report
        )
    finally:
        client.close()
    now = datetime.now(UTC)
    outbox_service.record_good_sync(ctx=ctx, at=now)
    report = _report(ctx, True, True, "Synced.", push=push_report, pull=pull_report)
    report.finished_at = now
    return report
