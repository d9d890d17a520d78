from typing import Any

from django.utils import timezone

from enturf_server.audit.models import AuditEntry
from enturf_server.sync import changes


def record(
    *, actor, action: str, obj=None, details: dict[str, Any] | None = None, device=None
) -> AuditEntry:
    """Append an audit entry; call inside the transaction of the change it records.

    The entry is written with the change log at the end of the outermost
    `sync.changes.atomic()` block (one INSERT for all of a transaction's entries; a
    rolled-back nested block drops its entries), chained onto the trail under the
    change-log lock (`audit.chain`), stamped with the time of this call; its `pk` is then
    not known here. Outside such a block, it is written at once in a block of its own.
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        at=timezone.now(),
        actor=user,
        actor_name=user.get_username() if user is not None else "",
        device=device,
        device_name=device.name if device is not None else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        details=details or {},
    )
    if changes.deferring():
        changes.defer_insert(entry)
    else:
        with changes.atomic():
            changes.defer_insert(entry)
    return entry
