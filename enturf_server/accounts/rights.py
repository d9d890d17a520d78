"""What a staff user may do: their role's grant (`RoleGrant`, seeded from DEFAULT_GRANTS).

The one place the server asks "may this user do X": views use :func:`HasRight` as a DRF
permission, services and push ops call :func:`has_right` / :func:`ensure_right`. An
administrator always has every right (`LOCKED_ROLES`); customers and inactive users none.

A user's grant is read once per request: it is cached on the user object, which DRF
builds anew for each request (and a push batch reuses for its ops).
"""

from __future__ import annotations

import contextlib
from decimal import Decimal

from rest_framework.permissions import SAFE_METHODS, BasePermission

from enturf_core.staff_rights import (
    DEFAULT_GRANTS,
    LOCKED_ROLES,
    RIGHT_LABELS,
    ROLE_LABELS,
    Grant,
    Right,
    StaffRole,
)
from enturf_server.accounts.roles import Role, role_of
from enturf_server.api.errors import Forbidden

_CACHE_ATTR = "_enturf_grant"


def staff_role_of(user) -> StaffRole | None:
    """The staff role of an active staff user; None for anyone else."""
    role = role_of(user)
    if role is None or role == Role.CUSTOMER or not user.is_active:
        return None
    return StaffRole(role.value)


def grant_of_role(role: StaffRole) -> Grant:
    """The role's stored grant (DEFAULT_GRANTS if it has no row); admin: every right."""
    from enturf_server.accounts.models import RoleGrant

    if role in LOCKED_ROLES:
        return DEFAULT_GRANTS[role]
    row = RoleGrant.objects.filter(role=role.value).first()
    if row is None:
        return DEFAULT_GRANTS[role]
    return grant_from_row(row)


def grant_from_row(row) -> Grant:
    known = {r.value for r in Right}
    return Grant(
        role=StaffRole(row.role),
        rights=frozenset(Right(r) for r in row.rights if r in known),
        refund_limit_cents=row.refund_limit_cents,
    )


def grant_of(user) -> Grant | None:
    """The grant of `user`'s role, cached on the user object; None for non-staff."""
    role = staff_role_of(user)
    if role is None:
        return None
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None and cached.role == role:
        return cached
    grant = grant_of_role(role)
    with contextlib.suppress(AttributeError):  # objects without a __dict__ are not cached
        setattr(user, _CACHE_ATTR, grant)
    return grant


def forget_grant(user) -> None:
    """Drop the cached grant (after the user's role or their role's grant changed)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def effective_refund_limit_cents(grant: Grant) -> int | None:
    """The refund cap users of the grant's role go by; None: no cap (administrators).

    The cashier role (`employee`) whose grant sets no limit keeps the limit it always had,
    `SiteSettings.employee_refund_limit`; other roles are capped by their grant only."""
    if grant.role in LOCKED_ROLES:
        return None
    if grant.refund_limit_cents is not None:
        return grant.refund_limit_cents
    if grant.role is StaffRole.CASHIER:
        from enturf_server.accounts.models import SiteSettings

        return int(SiteSettings.load().employee_refund_limit * 100)
    return None


def refund_limit_cents(user) -> int | None:
    """The most `user` may refund on one booking without an approval (0: may not refund);
    None: no cap."""
    grant = grant_of(user)
    if grant is None or Right.REFUND not in grant.rights:
        return 0
    return effective_refund_limit_cents(grant)


def cents_to_amount(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def has_right(user, right: Right, *, amount_cents: int | None = None) -> bool:
    """Whether `user` may do `right` (a refund of `amount_cents`, when given, within their
    limit). Administrators may do everything; customers and inactive users nothing."""
    grant = grant_of(user)
    if grant is None:
        return False
    if grant.role in LOCKED_ROLES:
        return True
    if right not in grant.rights:
        return False
    if right is Right.REFUND and amount_cents is not None:
        limit = refund_limit_cents(user)
        return limit is None or amount_cents <= limit
    return True


def denial_message(user, right: Right, what: str) -> str:
    role = staff_role_of(user)
    who = f"A {ROLE_LABELS[role].lower()}" if role else "Only venue staff with the right"
    if role is None:
        return f"{who} “{RIGHT_LABELS[right]}” may {what}."
    return f"{who} may not {what} (the role lacks the right “{RIGHT_LABELS[right]}”)."


def ensure_right(user, right: Right, what: str) -> None:
    """Refuse (403 ``permission_denied``, details `right` and `role`) unless `user` holds
    `right`: for push ops and service code; `what` completes "may not ..."."""
    if not has_right(user, right):
        role = staff_role_of(user)
        raise Forbidden(
            denial_message(user, right, what),
            code="permission_denied",
            details={"right": right.value, "role": role.value if role else None},
        )


ANYONE = "anyone"  # HasRight(..., read=ANYONE): safe methods are open to every visitor


def HasRight(right: Right, *, read: Right | bool | str = False) -> type[BasePermission]:
    """A DRF permission class requiring `right`: ``permission_classes = [HasRight(Right.X)]``.

    `read` relaxes safe methods (GET, HEAD, OPTIONS): True lets any active staff read,
    ANYONE lets everyone read (the view filters what they see), another Right requires that
    one instead, False (default) requires `right` for all."""

    def allowed(request) -> bool:
        if request.method in SAFE_METHODS and read is not False:
            if read == ANYONE:
                return True
            if read is True:
                return staff_role_of(request.user) is not None
            return has_right(request.user, read)  # type: ignore[arg-type]
        return has_right(request.user, right)

    class _HasRight(BasePermission):
        message = f"Your role lacks the right “{RIGHT_LABELS[right]}”."
        code = "permission_denied"

        def has_permission(self, request, view) -> bool:
            return allowed(request)

    _HasRight.__name__ = _HasRight.__qualname__ = f"HasRight_{right.value}"
    return _HasRight
