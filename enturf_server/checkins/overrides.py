"""Who overrode a refusal at the door: the scanning user if their role holds the right
`door_override`, else whoever signed the scan's `door_override` approval at that device
(a supervisor standing by the steward). A name in a request proves nothing."""

from __future__ import annotations

from enturf_core.staff_rights import Right
from enturf_core.wire.ops import DOOR_OVERRIDE
from enturf_server.accounts.approvals import verify
from enturf_server.accounts.rights import has_right
from enturf_server.api.errors import Forbidden


def door_supervisor(*, user, scan_id, reason: str, approval: object, device) -> object:
    """The user who let the person in; 403 `permission_denied` when nobody with the right
    did (`approval` is verified and used once, accounts.approvals)."""
    if has_right(user, Right.DOOR_OVERRIDE):
        return user
    if approval is None:
        raise Forbidden(
            "Only a door supervisor (a role with the right to override a refusal at the "
            "door) may let someone in despite a refusal; the scan carries no supervisor's "
            "signed approval.",
            code="permission_denied",
            details={"right": Right.DOOR_OVERRIDE.value},
        )
    return verify(
        proof=approval,
        kind=DOOR_OVERRIDE,
        subject=str(scan_id),
        figures={"reason": reason},
        device=device,
    ).approver
