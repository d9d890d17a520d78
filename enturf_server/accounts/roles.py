"""Roles are Django groups; `User.role` mirrors the group so a request needs no extra query."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    EMPLOYEE = "employee"
    CUSTOMER = "customer"


STAFF_ROLES = (Role.ADMIN, Role.EMPLOYEE)
ROLE_CHOICES = [(r.value, r.value.title()) for r in Role]


def role_of(user) -> Role | None:
    """The role of a request's user; None for anonymous users."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return Role(user.role)


def is_staff_role(user) -> bool:
    return role_of(user) in STAFF_ROLES
