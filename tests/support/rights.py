"""Changing a role's grant in a test (as `PUT /api/v1/roles/{role}/` would, without the
API): `grant("employee", "cash_out")` adds rights, `revoke(...)` takes them away."""

from __future__ import annotations


def _change(role: str, add: tuple[str, ...] = (), remove: tuple[str, ...] = ()) -> None:
    from enturf_core.staff_rights import StaffRole
    from enturf_server.accounts.models import RoleGrant
    from enturf_server.accounts.role_grants import grant_row

    row = grant_row(StaffRole(role))
    rights = (set(row.rights) | set(add)) - set(remove)
    RoleGrant.objects.filter(pk=row.pk).update(rights=sorted(rights), version=row.version + 1)


def grant(role: str, *rights: str) -> None:
    _change(role, add=rights)


def revoke(role: str, *rights: str) -> None:
    _change(role, remove=rights)
