"""The change log that counters pull (`GET /api/v1/sync/changes/`)."""

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
