from typing import Any

from enturf_server.audit.models import AuditEntry


def record(
    *, actor, action: str, obj=None, details: dict[str, Any] | None = None, device=None
) -> AuditEntry:
    """Append an audit entry; call inside the transaction of the change it records."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        device=device,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        details=details or {},
    )
