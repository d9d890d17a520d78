"""Keeping the change log and the processed-op record from growing without bound.

* Change log: entries older than `keep_days` are deleted and the horizon moves up to
  the last deleted `seq`; a counter whose cursor is below it gets 410 and takes a new
  snapshot.
* Processed ops: an op's result must stay as long as its counter may still replay it,
  i.e. may still be offline without the answer. An op is dropped only when it is older
  than `keep_ops_days` *and* its counter has been seen since (a counter that came back
  has had its answer or re-sent the op), or when its counter is retired (it can no
  longer push) or gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from enturf_server.sync.changes import lock_changelog
from enturf_server.sync.models import ChangeLogEntry, ChangeLogHorizon, ProcessedOp


@dataclass(frozen=True)
class PruneReport:
    entries_deleted: int
    pruned_through: int
    ops_deleted: int


def prune_changelog(*, keep_days: int) -> tuple[int, int]:
    """Delete change-log entries older than `keep_days`; returns (deleted, horizon)."""
    cutoff = timezone.now() - timedelta(days=keep_days)
    with transaction.atomic():
        lock_changelog()  # no writer hands out sequence numbers while the horizon moves
        horizon, _ = ChangeLogHorizon.objects.select_for_update().get_or_create(pk=1)
        last = ChangeLogEntry.objects.filter(created_at__lt=cutoff).aggregate(m=Max("seq"))["m"]
        if last is None or last <= horizon.pruned_through:
            return 0, horizon.pruned_through
        deleted, _ = ChangeLogEntry.objects.filter(seq__lte=last).delete()
        horizon.pruned_through = last
        horizon.pruned_at = timezone.now()
        horizon.save()
    return deleted, last


def prune_processed_ops(*, keep_days: int) -> int:
    cutoff = timezone.now() - timedelta(days=keep_days)
    old = ProcessedOp.objects.filter(created_at__lt=cutoff)
    deleted, _ = old.filter(
        Q(device__isnull=True)
        | Q(device__retired_at__isnull=False)
        | Q(device__last_seen_at__gt=F("created_at"))
    ).delete()
    return deleted


def prune(*, keep_days: int, keep_ops_days: int) -> PruneReport:
    deleted, horizon = prune_changelog(keep_days=keep_days)
    ops = prune_processed_ops(keep_days=keep_ops_days)
    return PruneReport(entries_deleted=deleted, pruned_through=horizon, ops_deleted=ops)
