from django.conf import settings
from django.db import models
from django.utils import timezone

from enturf_server.audit.hashing import GENESIS


class AuditEntry(models.Model):
    """Who did what, when: staff edits, refunds, voids, cash movements. Append-only.

    Entries form a hash chain (`audit.chain`): `hash` is SHA-256 over the entry's recorded
    fields and `prev_hash`, the `hash` of the entry before it (by id). The actor's and
    device's names are recorded with the entry and hashed; the foreign keys are links that
    may go NULL when a user or device row is deleted, so they stay out of the hash.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)  # hashed: set, not stamped
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    device = models.ForeignKey(
        "accounts.Device", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True, default="")
    device_name = models.CharField(max_length=200, blank=True, default="")
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, default=GENESIS)
    hash = models.CharField(max_length=64, default="", db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The one row (pk 1) naming the chain's last entry: appenders lock it, and the
    verifier finds a truncated tail (the last entries deleted) by it."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)
    length = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit chain: {self.length} entries, last {self.last_id}"
