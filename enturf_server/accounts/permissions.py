"""Who may do what. Roles: admin, employee (both staff) and customer; see accounts.roles."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from enturf_server.accounts.roles import Role, role_of
from enturf_server.api.errors import Forbidden


def ensure_admin(user, what: str) -> None:
    """Refuse (403 ``permission_denied``) unless `user` is an administrator: for push ops,
    whose endpoint lets any staff in, that mirror an admin-only endpoint."""
    if role_of(user) != Role.ADMIN:
        raise Forbidden(f"Only an administrator may {what}.", code="permission_denied")


class IsAdmin(BasePermission):
    message = "Only an administrator may do this."

    def has_permission(self, request, view) -> bool:
        return role_of(request.user) == Role.ADMIN


class IsStaff(BasePermission):
    """Admins and employees."""

    message = "Only venue staff may do this."

    def has_permission(self, request, view) -> bool:
        return role_of(request.user) in (Role.ADMIN, Role.EMPLOYEE)


class ReadAnyoneWriteStaffDeleteAdmin(BasePermission):
    """Catalog rule: anyone reads; admins and employees create and update; admins delete."""

    message = "You may not change this."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        role = role_of(request.user)
        if request.method == "DELETE":
            return role == Role.ADMIN
        return role in (Role.ADMIN, Role.EMPLOYEE)


class ReadStaffWriteAdmin(BasePermission):
    """Venue set-up (venues, seat maps): staff read; admins write."""

    message = "Only an administrator may change venues and seat maps."

    def has_permission(self, request, view) -> bool:
        role = role_of(request.user)
        if request.method in SAFE_METHODS:
            return role in (Role.ADMIN, Role.EMPLOYEE)
        return role == Role.ADMIN
