"""The change log that counters pull (`GET /api/v1/sync/changes/`)."""

from django.conf import settings
from django.db import models


class ChangeLogEntry(models.Model):
    """One change of a synced entity, written in the same transaction as the change.

    `seq` is assigned under a lock at the end of the writing transaction (see
    `sync.changes`), so sequence order is commit order and a reader's cursor never
    skips a change that commits late.
    """

    seq = models.BigAutoField(primary_key=True)
    entity = models.CharField(max_length=40)
    entity_id = models.CharField(max_length=64)
    version = models.BigIntegerField(default=0)
    op = models.CharField(max_length=8, choices=[("upsert", "upsert"), ("delete", "delete")])
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["entity", "entity_id"], name="changelog_entity")]
        verbose_name_plural = "change log"

    def __str__(self) -> str:
        return f"#{self.seq} {self.op} {self.entity}:{self.entity_id}"


class ChangeLogHorizon(models.Model):
    """One row: the change log was pruned up to and including `pruned_through`.

    A reader whose cursor is below it may have missed changes: it gets 410 and starts
    again from a snapshot.
    """

    pruned_through = models.BigIntegerField(default=0)
    pruned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "change log horizon"

    def __str__(self) -> str:
        return f"pruned through #{self.pruned_through}"

    @classmethod
    def current(cls) -> int:
        row = cls.objects.filter(pk=1).values_list("pruned_through", flat=True).first()
        return row or 0


class ProcessedOp(models.Model):
    """A pushed op and its first result: a replay of the same id answers that result.

    Kept while the device may still be offline with the op unacknowledged (see
    `sync.pruning`), not for a fixed day.
    """

    id = models.UUIDField(primary_key=True)
    device = models.ForeignKey(
        "accounts.Device", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    type = models.CharField(max_length=40)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.type} {self.id}: {self.result.get('status')}"
