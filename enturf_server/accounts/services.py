"""Accounts: registration, login, staff management. Views and admin call these."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q

from enturf_server.accounts import approvals
from enturf_server.accounts.feed import emit_site_settings, emit_user, is_counter_user
from enturf_server.accounts.models import ApiToken, Device, SiteSettings, User
from enturf_server.accounts.rights import forget_grant
from enturf_server.accounts.roles import Role
from enturf_server.api.errors import Conflict, Forbidden, ServiceError
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
    """Set a user's role: the field used per request and the matching group for permissions."""
    user.role = role.value
    user.is_staff = role == Role.ADMIN  # Django admin site access
    user.save(update_fields=["role", "is_staff"])
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
    guard_admin_accounts(actor=actor, user=None, role=role)
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


def _active_admins() -> int:
    """Active administrators, their rows locked: two administrators deactivating each other
    at once wait for one another, and the second finds the first was the last."""
    admins = User.objects.filter(is_active=True).filter(
        Q(role=Role.ADMIN.value) | Q(is_superuser=True)
    )
    return len(admins.select_for_update().order_by("pk").values_list("pk", flat=True))


def _is_admin(user: User) -> bool:
    return user.is_superuser or user.role == Role.ADMIN.value


def guard_admin_accounts(*, actor: User | None, user: User | None, role: Role | None) -> None:
    """Only an administrator makes, changes or resets an administrator: `manage_staff`
    granted to another role must not open a way to the locked role's every right."""
    if actor is None or _is_admin(actor):
        return
    if role == Role.ADMIN or (user is not None and _is_admin(user)):
        raise Forbidden(
            "Only an administrator may create, change or reset an administrator.",
            code="permission_denied",
        )


def _guard_staff_change(*, user: User, actor: User, role: Role | None, deactivate: bool) -> None:
    """Nobody locks themselves or the venue out: you neither deactivate yourself nor change
    your own role, and the last active administrator stays one (409 with a reason)."""
    demote = role is not None and role != Role.ADMIN and _is_admin(user)
    if user.pk == actor.pk and (deactivate or (role is not None and role.value != user.role)):
        raise Conflict(
            "You cannot deactivate yourself or change your own role; ask another administrator.",
            code="cannot_change_self",
        )
    if (demote or deactivate) and user.is_active and _is_admin(user) and _active_admins() <= 1:
        raise Conflict(
            f"{user.username} is the last active administrator; make someone else an "
            "administrator first.",
            code="last_admin",
        )


def _end_sessions(user: User) -> None:
    """Every API token of the user (counter sessions included) and their approval keys."""
    ApiToken.objects.filter(user=user).delete()
    approvals.revoke_keys(user=user)


@changes.atomic()
def update_user(*, user: User, actor: User, role: Role | None = None, **fields) -> User:
    """Change a user (`PATCH /users/{id}/`): names and email, `role`, `is_active`,
    `password` (a reset). Each kind of change is audited as its own staff action."""
    user = User.objects.select_for_update().get(pk=user.pk)
    was_counter_user = is_counter_user(user)
    password = fields.pop("password", None)
    active = fields.pop("is_active", None)
    deactivate = active is False and user.is_active
    reactivate = active is True and not user.is_active
    guard_admin_accounts(actor=actor, user=user, role=role)
    _guard_staff_change(user=user, actor=actor, role=role, deactivate=deactivate)
    old_role = user.role
    for name, value in fields.items():
        setattr(user, name, value)
    if active is not None:
        user.is_active = active
    if password:
        _check_password(password, user)
        user.set_password(password)
    user.save()
    if role is not None and role.value != old_role:
        set_role(user, role)
        record(
            actor=actor,
            action="staff.role_change",
            obj=user,
            details={"from": old_role, "to": role.value},
        )
    if password or deactivate:  # a changed password ends every session and approval key
        _end_sessions(user)
    if password:
        record(actor=actor, action="staff.password_reset", obj=user)
    if deactivate:
        record(actor=actor, action="staff.deactivate", obj=user)
    if reactivate:
        record(actor=actor, action="staff.reactivate", obj=user)
    forget_grant(user)
    emit_user(user, was_counter_user=was_counter_user)
    if fields:
        record(actor=actor, action="user.update", obj=user, details={"fields": sorted(fields)})
    return user


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
    """Save edited settings (API or Django admin) so counters sync them down."""
    site.save()
    emit_site_settings(site)
    record(actor=actor, action="settings.update", obj=site, details={"fields": sorted(changed)})
    return site


@changes.atomic()
def save_user_from_admin(*, user: User, actor: User, created: bool, was_counter_user: bool) -> User:
    """The Django admin's user form saved `user`: keep groups, the feed and the audit in step."""
    set_role(user, Role(user.role))
    emit_user(user, was_counter_user=was_counter_user)
    record(actor=actor, action="user.create" if created else "user.update", obj=user)
    return user
