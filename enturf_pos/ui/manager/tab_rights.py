"""Which right shows which tab of the manager window: the one mapping to extend when a
tab is added (its widget's objectName to the right it needs). A tab not listed here
shows to everyone who opens the window."""

from __future__ import annotations

from enturf_core.staff_rights import Right
from enturf_pos.services.session.auth_service import CurrentUser

TAB_RIGHTS: dict[str, Right] = {
    "eventsTab": Right.EDIT_EVENTS,
    "seatMapsTab": Right.EDIT_SEAT_MAPS,
    "eventMapTab": Right.EDIT_EVENTS,
    "doorTab": Right.EDIT_EVENTS,  # check-in lists and devices' duty
    "reportsTab": Right.VIEW_REPORTS,
    "vouchersTab": Right.MANAGE_VOUCHERS,
    "staffTab": Right.MANAGE_STAFF,
    "auditTab": Right.VIEW_AUDIT,
}


def may_open_manager(user: CurrentUser) -> bool:
    """Whether the user sees at least one tab of the manager window."""
    return any(user.can(right) for right in set(TAB_RIGHTS.values()))
