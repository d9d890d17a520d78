"""Accounts: registration, login, staff management. Views and admin call these."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError

from enturf_server.accounts import approvals
from enturf_server.accounts.feed import emit_site_settings, emit_user, is_counter_user
from enturf_server.accounts.models import ApiToken, Device, SiteSettings, User
from enturf_server.accounts.roles import Role
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
        record(actor=actor, action="user.create", obj=user, details={"role": role.value})
    return user


def register_customer(*, username: str, password: str, email: str, **names: str) -> User:
    return create_user(
        username=username, password=password, email=email, role=Role.CUSTOMER, **names
    )


@changes.atomic()
def update_user(*, user: User, actor: User, role: Role | None = None, **fields) -> User:
    was_counter_user = is_counter_user(user)
    password = fields.pop("password", None)
    for name, value in fields.items():
        setattr(user, name, value)
    if password:
        _check_password(password, user)
        user.set_password(password)
    user.save()
    if role is not None and role.value != user.role:
        set_role(user, role)
    if password:  # a changed password ends every session and approval key of the user
        ApiToken.objects.filter(user=user).delete()
        approvals.revoke_keys(user=user)
    emit_user(user, was_counter_user=was_counter_user)
    changed = sorted([*fields, *(["password"] if password else []), *(["role"] if role else [])])
    record(actor=actor, action="user.update", obj=user, details={"fields": changed})
    return user


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
