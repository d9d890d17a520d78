"""Accounts: registration, login, staff management. Views and admin call these."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError

from enturf_server.accounts import approvals, role_grants
from enturf_server.accounts.feed import (
    emit_site_settings,
    emit_user,
    emit_user_removed,
    is_counter_user,
)
from enturf_server.accounts.models import ApiToken, Device, SiteSettings, User
from enturf_server.accounts.rights import forget_grant
from enturf_server.accounts.roles import Role
from enturf_server.accounts.staff_guards import StaffChange, check_staff_changes, effective_role
from enturf_server.api.errors import Conflict, ServiceError
from enturf_server.audit.services import record
from enturf_server.sync import changes


class AuthenticationRefused(ServiceError):
    status_code = 401
    code = "authentication_failed"


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ServiceError(
            " ".join(exc.messages), code="weak_password", details={"password": exc.messages}
        ) from None


def set_role(user: User, role: Role) -> None:
    """Set a user's role, and what follows from it: the role is the one truth. `is_staff`
    (the Django admin site) is set for administrators only; `is_superuser` (every Django
    model permission) only an administrator keeps, so any other role clears it; the user is
    in their role's group and no other role's."""
    user.role = role.value
    user.is_staff = role == Role.ADMIN
    user.is_superuser = user.is_superuser and role == Role.ADMIN
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    role_groups = Group.objects.filter(name__in=[r.value for r in Role])
    user.groups.remove(*role_groups)
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])


@changes.atomic()
def create_user(
    *,
    username: str,
    password: str,
    role: Role,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    actor: User | None = None,
) -> User:
    check_staff_changes(actor, [StaffChange(None, role=role)])
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(f"The username {username!r} is taken.", code="username_taken")
    candidate = User(username=username, email=email, first_name=first_name, last_name=last_name)
    _check_password(password, candidate)
    user = User.objects.create_user(
        username=username,
        password=password,
        email=email,
        first_name=first_name,
        last_name=last_name,
    )
    set_role(user, role)
    emit_user(user)  # staff sync down to counters
    if actor is not None:
        action = "staff.create" if role != Role.CUSTOMER else "user.create"
        record(actor=actor, action=action, obj=user, details={"role": role.value})
    return user


def register_customer(*, username: str, password: str, email: str, **names: str) -> User:
    return create_user(
        username=username, password=password, email=email, role=Role.CUSTOMER, **names
    )


def _end_sessions(user: User) -> None:
    """Every API token of the user (counter sessions included) and their approval keys."""
    ApiToken.objects.filter(user=user).delete()
    approvals.revoke_keys(user=user)


@dataclass(frozen=True)
class StaffState:
    """What a user was before a change, to tell what the change did."""

    role: Role
    is_active: bool
    counter_user: bool

    @classmethod
    def of(cls, user: User) -> StaffState:
        return cls(effective_role(user), user.is_active, is_counter_user(user))


@changes.atomic()
def update_user(*, user: User, actor: User, role: Role | None = None, **fields) -> User:
    """Change a user (`PATCH /users/{id}/`): names and email, `role`, `is_active`,
    `password` (a reset). Each kind of change is audited as its own staff action."""
    user = User.objects.select_for_update().get(pk=user.pk)
    before = StaffState.of(user)
    password = fields.pop("password", None)
    active = fields.pop("is_active", None)
    deactivate = active is False and user.is_active
    check_staff_changes(actor, [StaffChange(user, role=role, deactivate=deactivate)])
    for name, value in fields.items():
        setattr(user, name, value)
    if active is not None:
        user.is_active = active
    if password:
        _check_password(password, user)
        user.set_password(password)
    user.save()
    if role is not None:
        set_role(user, role)
    staff_changed(
        user=user, actor=actor, before=before, password_changed=bool(password), fields=fields
    )
    return user


def staff_changed(
    *,
    user: User,
    actor: User,
    before: StaffState,
    password_changed: bool = False,
    fields: Iterable[str] = (),
) -> None:
    """After `user` was saved (staff API or Django admin): audit each kind of change as its
    own staff action, end the sessions and approval keys of a deactivated user or of a new
    password, and tell the counters."""
    role = effective_role(user)
    if role != before.role:
        record(
            actor=actor,
            action="staff.role_change",
            obj=user,
            details={"from": before.role.value, "to": role.value},
        )
    deactivated = before.is_active and not user.is_active
    if password_changed or deactivated:
        _end_sessions(user)
    if password_changed:
        record(actor=actor, action="staff.password_reset", obj=user)
    if deactivated:
        record(actor=actor, action="staff.deactivate", obj=user)
    if user.is_active and not before.is_active:
        record(actor=actor, action="staff.reactivate", obj=user)
    forget_grant(user)
    emit_user(user, was_counter_user=before.counter_user)
    if fields := sorted(fields):
        record(actor=actor, action="user.update", obj=user, details={"fields": fields})


@changes.atomic()
def delete_users(*, users: Iterable[User], actor: User) -> int:
    """Delete users (the Django admin; the API deactivates instead), under the same rules
    as a deactivation; audited `staff.delete` (a customer: `user.delete`), counters drop
    them. Answers how many."""
    locked = User.objects.select_for_update().filter(pk__in=[u.pk for u in users])
    doomed = list(locked.order_by("pk"))
    check_staff_changes(actor, [StaffChange(u, delete=True) for u in doomed])
    for user in doomed:
        _end_sessions(user)
        role = effective_role(user)
        record(
            actor=actor,
            action="staff.delete" if role != Role.CUSTOMER else "user.delete",
            obj=user,
            details={"username": user.username, "role": role.value},
        )
        if is_counter_user(user):
            emit_user_removed(user)
        user.delete()
    return len(doomed)


def deactivate_user(*, user: User, actor: User) -> User:
    return update_user(user=user, actor=actor, is_active=False)


def reactivate_user(*, user: User, actor: User) -> User:
    return update_user(user=user, actor=actor, is_active=True)


def reset_password(*, user: User, actor: User, password: str) -> User:
    return update_user(user=user, actor=actor, password=password)


def login(
    *, username: str, password: str, request=None, device: Device | None = None
) -> tuple[ApiToken, str]:
    user = authenticate(request, username=username, password=password)
    if user is None:
        existing = User.objects.filter(username=username).first()
        if existing is not None and not existing.is_active and existing.check_password(password):
            raise AuthenticationRefused(
                "This account is disabled; ask an administrator.", code="account_disabled"
            )
        raise AuthenticationRefused("Wrong username or password.", code="invalid_credentials")
    lifetime = timedelta(hours=SiteSettings.load().token_lifetime_hours)
    return ApiToken.issue(user, lifetime, device=device)


def logout(*, token: ApiToken) -> None:
    token.delete()


@changes.atomic()
def save_site_settings(*, site: SiteSettings, actor: User, changed: list[str]) -> SiteSettings:
    """Save edited settings (API or Django admin) so counters sync them down, with the
    cashier's grant when its refund limit is the setting's."""
    stored = SiteSettings.objects.filter(pk=site.pk).values_list("employee_refund_limit")
    refund_limit_before = stored.first()
    site.save()
    emit_site_settings(site)
    if refund_limit_before != (site.employee_refund_limit,):
        role_grants.resend_settings_refund_limits()
    record(actor=actor, action="settings.update", obj=site, details={"fields": sorted(changed)})
    return site


@changes.atomic()
def save_user_from_admin(
    *, user: User, actor: User, before: StaffState | None, fields: Iterable[str]
) -> User:
    """The Django admin's user form saved `user` (`before` None: it added them), after its
    form asked `check_staff_changes`: the role's flags and group, the API's audit entries,
    ended sessions and feed changes follow as for the staff API."""
    set_role(user, effective_role(user))
    if before is None:
        role = Role(user.role)
        action = "staff.create" if role != Role.CUSTOMER else "user.create"
        record(actor=actor, action=action, obj=user, details={"role": role.value})
        emit_user(user)
    else:
        staff_changed(user=user, actor=actor, before=before, fields=fields)
    return user
