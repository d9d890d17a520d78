"""The rules every change of a user obeys, whichever way it comes: the staff API
(`/api/v1/users/`) and the Django admin's user pages and bulk actions both ask
:func:`check_staff_changes` before they change anything (docs/staff-and-rights.md):

* only an administrator creates, changes, deactivates, deletes or resets an administrator,
  or gives someone the admin role (403 `permission_denied`): `manage_staff` granted to
  another role must not open a way to the locked role's every right;
* nobody deactivates, deletes or changes the role of themselves (409 `cannot_change_self`);
* the last active administrator stays one (409 `last_admin`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from enturf_server.accounts.models import User
from enturf_server.accounts.roles import Role
from enturf_server.api.errors import Conflict, Forbidden


def effective_role(user: User) -> Role:
    """A superuser is an administrator whatever `role` says (rows from before the rule)."""
    return Role.ADMIN if user.is_superuser else Role(user.role)


def is_admin(user: User) -> bool:
    return effective_role(user) == Role.ADMIN


@dataclass(frozen=True)
class StaffChange:
    """What one change does to one user: `user` None for a user being created; `role` the
    role it gives (None: unchanged)."""

    user: User | None
    role: Role | None = None
    deactivate: bool = False
    delete: bool = False

    def changes_role(self) -> bool:
        return self.role is not None and (
            self.user is None or self.role != effective_role(self.user)
        )

    def removes_admin(self) -> bool:
        """Whether an active administrator stops being one (deactivated, deleted, demoted)."""
        user = self.user
        if user is None or not user.is_active or not is_admin(user):
            return False
        return self.deactivate or self.delete or (self.role is not None and self.role != Role.ADMIN)


def _locked_active_admins() -> set[int]:
    """Active administrators, their rows locked: two administrators removing each other at
    once wait for one another, and the second finds the first was the last."""
    admins = User.objects.filter(is_active=True).filter(
        Q(role=Role.ADMIN.value) | Q(is_superuser=True)
    )
    return set(admins.select_for_update().order_by("pk").values_list("pk", flat=True))


def check_staff_changes(actor: User | None, changes: Iterable[StaffChange]) -> None:
    """Refuse (`Forbidden` / `Conflict`, with a reason) unless `actor` may make all of
    `changes` together; `actor` None is the system (registration, seeding). Call inside the
    transaction that makes the changes."""
    changes = list(changes)
    if actor is None:
        return
    if not is_admin(actor):
        for change in changes:
            if change.role == Role.ADMIN or (change.user is not None and is_admin(change.user)):
                raise Forbidden(
                    "Only an administrator may create, change or reset an administrator.",
                    code="permission_denied",
                )
    for change in changes:
        removes_self = change.deactivate or change.delete or change.changes_role()
        if removes_self and change.user is not None and change.user.pk == actor.pk:
            raise Conflict(
                "You cannot deactivate or delete yourself or change your own role; "
                "ask another administrator.",
                code="cannot_change_self",
            )
    removed = {c.user.pk: c.user.username for c in changes if c.removes_admin() and c.user}
    if removed and not _locked_active_admins() - set(removed):
        names = sorted(removed.values())
        who = (
            f"{names[0]} is the last active administrator"
            if len(names) == 1
            else f"{', '.join(names)} are the last active administrators"
        )
        raise Conflict(
            f"{who}; make someone else an administrator first.",
            code="last_admin",
            details={"users": names},
        )
