"""Roles are Django groups; `User.role` mirrors the group so a request needs no extra query.

The staff roles are `enturf_core.staff_rights.StaffRole` (same values); what each may do is
its grant (`accounts.models.RoleGrant`, checked through `accounts.rights`).
"""

from __future__ import annotations

from enum import StrEnum

from enturf_core.staff_rights import ROLE_LABELS, StaffRole


class Role(StrEnum):
    ADMIN = StaffRole.ADMIN.value
    MANAGER = StaffRole.MANAGER.value
    EMPLOYEE = StaffRole.CASHIER.value  # the cashier
    DOOR_STEWARD = StaffRole.DOOR_STEWARD.value
    DOOR_SUPERVISOR = StaffRole.DOOR_SUPERVISOR.value
    CUSTOMER = "customer"


STAFF_ROLES = (Role.ADMIN, Role.MANAGER, Role.EMPLOYEE, Role.DOOR_STEWARD, Role.DOOR_SUPERVISOR)
STAFF_ROLE_CHOICES = [(r.value, ROLE_LABELS[StaffRole(r.value)]) for r in STAFF_ROLES]
ROLE_CHOICES = [*STAFF_ROLE_CHOICES, (Role.CUSTOMER.value, "Customer")]


def role_of(user) -> Role | None:
    """The role of a request's user; None for anonymous users."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return Role(user.role)


def is_staff_role(user) -> bool:
    return role_of(user) in STAFF_ROLES
