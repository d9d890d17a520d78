from typing import Any

from django.utils import timezone

from enturf_server.audit.models import AuditEntry
from enturf_server.sync import changes


def record(
    *, actor, action: str, obj=None, details: dict[str, Any] | None = None, device=None
) -> AuditEntry:
    """Append an audit entry; call inside the transaction of the change it records.

    Inside `sync.changes.atomic()` the entry is written with the change log at the end of
    the outermost block (one INSERT for all of a transaction's entries; a rolled-back
    nested block drops its entries), stamped with the time of this call; its `pk` is then
    not known here. Elsewhere it is inserted at once.
    """
    entry = AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        device=device,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        details=details or {},
    )
    if changes.deferring():
        entry.at = timezone.now()
        changes.defer_insert(entry, keep=("at",))
    else:
        entry.save(force_insert=True)
    return entry
