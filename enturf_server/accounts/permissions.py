"""Who may do what. Roles (accounts.roles) are granted rights (accounts.rights): views
ask for a right with ``HasRight(Right.X)``; these classes cover what needs no right."""

from rest_framework.permissions import BasePermission

from enturf_server.accounts.rights import HasRight, ensure_right, staff_role_of
from enturf_server.accounts.roles import Role, role_of
from enturf_server.api.errors import Forbidden

__all__ = ["HasRight", "IsAdmin", "IsStaff", "ensure_admin", "ensure_right"]


def ensure_admin(user, what: str) -> None:
    """Refuse (403 ``permission_denied``) unless `user` is an administrator (what no right
    covers, e.g. the site settings)."""
    if role_of(user) != Role.ADMIN:
        raise Forbidden(f"Only an administrator may {what}.", code="permission_denied")


class IsAdmin(BasePermission):
    """Administrators only: what no right covers (the site settings)."""

    message = "Only an administrator may do this."

    def has_permission(self, request, view) -> bool:
        return role_of(request.user) == Role.ADMIN


class IsStaff(BasePermission):
    """Any active staff user, whatever their role (admin, manager, cashier, door roles)."""

    message = "Only venue staff may do this."

    def has_permission(self, request, view) -> bool:
        return staff_role_of(request.user) is not None
