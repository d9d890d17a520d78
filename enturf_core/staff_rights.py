"""Staff roles and the rights each role is granted (issue 16): one table both sides read.

A role is what a staff user *is* (``User.role`` on the server, ``users.role`` at the
counter); a right is what a role *may do*. The server keeps each role's grants (editable
by whoever holds :attr:`Right.MANAGE_STAFF`) and sends them to the counters in the change
feed (entity ``role_rights``); until it has, a counter uses :data:`DEFAULT_GRANTS`. The
server enforces every right; the counter hides what a user may not do.

The cashier role keeps the stored value ``employee``, the name the API, push ops, older
counters and scripts have always used; only its label says "Cashier".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class StaffRole(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"  # box-office manager
    CASHIER = "employee"  # stored as "employee" (see the module's docstring)
    DOOR_STEWARD = "door_steward"
    DOOR_SUPERVISOR = "door_supervisor"


ROLE_LABELS: dict[StaffRole, str] = {
    StaffRole.ADMIN: "Administrator",
    StaffRole.MANAGER: "Box-office manager",
    StaffRole.CASHIER: "Cashier",
    StaffRole.DOOR_STEWARD: "Door steward",
    StaffRole.DOOR_SUPERVISOR: "Door supervisor",
}

# Roles that work at the door only: they open the door window, never the cashier's.
DOOR_ROLES = frozenset({StaffRole.DOOR_STEWARD, StaffRole.DOOR_SUPERVISOR})


class Right(StrEnum):
    SELL = "sell"  # sell at the counter, take cash and cards
    REFUND = "refund"  # up to the role's refund limit
    DISCOUNT = "discount"  # apply a discount or voucher at the counter
    OVERRIDE_PRICE = "override_price"
    CASH_OUT = "cash_out"  # take cash out of the drawer (pay-out, open the drawer)
    CLOSE_WITH_DIFFERENCE = "close_with_difference"  # close a shift whose count differs
    EDIT_EVENTS = "edit_events"  # events, tickets, allocations, blocked seats
    EDIT_SEAT_MAPS = "edit_seat_maps"
    VIEW_REPORTS = "view_reports"
    MANAGE_VOUCHERS = "manage_vouchers"
    MANAGE_STAFF = "manage_staff"  # add, deactivate, reset staff; change roles and grants
    VIEW_AUDIT = "view_audit"
    DOOR_SCAN = "door_scan"
    DOOR_OVERRIDE = "door_override"  # admit a refused ticket, with a reason


RIGHT_LABELS: dict[Right, str] = {
    Right.SELL: "Sell at the counter",
    Right.REFUND: "Refund",
    Right.DISCOUNT: "Give discounts",
    Right.OVERRIDE_PRICE: "Override a price",
    Right.CASH_OUT: "Take cash out / open the drawer",
    Right.CLOSE_WITH_DIFFERENCE: "Close a shift with a difference",
    Right.EDIT_EVENTS: "Edit events, tickets and seat inventory",
    Right.EDIT_SEAT_MAPS: "Edit seat maps",
    Right.VIEW_REPORTS: "View reports",
    Right.MANAGE_VOUCHERS: "Manage vouchers",
    Right.MANAGE_STAFF: "Manage staff and rights",
    Right.VIEW_AUDIT: "View the audit trail",
    Right.DOOR_SCAN: "Scan tickets at the door",
    Right.DOOR_OVERRIDE: "Override a refusal at the door",
}


@dataclass(frozen=True, slots=True)
class Grant:
    """What one role may do. `refund_limit_cents` caps one refund (None: no cap) and only
    matters with :attr:`Right.REFUND`."""

    role: StaffRole
    rights: frozenset[Right] = field(default_factory=frozenset)
    refund_limit_cents: int | None = None

    def allows(self, right: Right, *, amount_cents: int | None = None) -> bool:
        if right not in self.rights:
            return False
        if right is Right.REFUND and amount_cents is not None:
            return self.refund_limit_cents is None or amount_cents <= self.refund_limit_cents
        return True

    def as_wire(self) -> dict:
        return {
            "role": self.role.value,
            "rights": sorted(r.value for r in self.rights),
            "refund_limit_cents": self.refund_limit_cents,
        }

    @classmethod
    def from_wire(cls, data: Mapping) -> Grant:
        """Unknown right names (from a newer server) are ignored."""
        known = {r.value for r in Right}
        return cls(
            role=StaffRole(data["role"]),
            rights=frozenset(Right(r) for r in data.get("rights", ()) if r in known),
            refund_limit_cents=data.get("refund_limit_cents"),
        )


def _grant(role: StaffRole, rights: Iterable[Right], limit: int | None = None) -> Grant:
    return Grant(role, frozenset(rights), limit)


_EVERYTHING = tuple(Right)
# A cashier has always also scanned at the door (a counter opens the door window); a
# supervisor's override there still needs a door supervisor's approval.
_COUNTER = (Right.SELL, Right.REFUND, Right.DISCOUNT, Right.DOOR_SCAN)

# The grants a new installation starts with (and a counter uses before its first sync).
# They keep the rules Enturf had before roles were editable: a cashier sells, refunds,
# applies vouchers and scans at the door, and needs an administrator's approval for the rest.
DEFAULT_GRANTS: dict[StaffRole, Grant] = {
    StaffRole.ADMIN: _grant(StaffRole.ADMIN, _EVERYTHING),
    StaffRole.MANAGER: _grant(
        StaffRole.MANAGER, (r for r in _EVERYTHING if r is not Right.MANAGE_STAFF)
    ),
    StaffRole.CASHIER: _grant(StaffRole.CASHIER, _COUNTER),
    StaffRole.DOOR_STEWARD: _grant(StaffRole.DOOR_STEWARD, (Right.DOOR_SCAN,)),
    StaffRole.DOOR_SUPERVISOR: _grant(
        StaffRole.DOOR_SUPERVISOR, (Right.DOOR_SCAN, Right.DOOR_OVERRIDE)
    ),
}

# An administrator always keeps every right (nobody can lock the venue out of itself).
LOCKED_ROLES = frozenset({StaffRole.ADMIN})


def staff_role(value: str | None) -> StaffRole | None:
    """The staff role stored as `value`; None for customers, unknown or empty values."""
    try:
        return StaffRole(value or "")
    except ValueError:
        return None
