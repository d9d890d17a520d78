"""Editing what a staff role may do (`PUT /api/v1/roles/{role}/`): the grant's rights and
refund limit, audited as `role_rights.change` and sent to the counters (feed entity
`role_rights`). The admin role is locked to every right."""

from __future__ import annotations

from collections.abc import Iterable

from enturf_core.staff_rights import DEFAULT_GRANTS, LOCKED_ROLES, ROLE_LABELS, Right, StaffRole
from enturf_server.accounts.feed import emit_role_rights
from enturf_server.accounts.models import RoleGrant, User
from enturf_server.accounts.rights import grant_of_role
from enturf_server.api.errors import Conflict, NotFound, ServiceError
from enturf_server.api.inputs import MAX_INT
from enturf_server.audit.services import record
from enturf_server.sync import changes

MAX_REFUND_LIMIT_CENTS = MAX_INT  # what the API takes in (2**31 - 1 cents)


def staff_role(value: str) -> StaffRole:
    try:
        return StaffRole(value)
    except ValueError:
        raise NotFound(f"There is no staff role {value!r}.", code="not_found") from None


def grant_rows() -> list[RoleGrant]:
    """Every staff role's row, made from DEFAULT_GRANTS where missing, in role order."""
    rows = {r.role: r for r in RoleGrant.objects.all()}
    out = []
    for role in StaffRole:
        row = rows.get(role.value)
        if row is None:
            row, _ = RoleGrant.objects.get_or_create(
                role=role.value,
                defaults={
                    "rights": sorted(r.value for r in DEFAULT_GRANTS[role].rights),
                    "refund_limit_cents": DEFAULT_GRANTS[role].refund_limit_cents,
                },
            )
        out.append(row)
    return out


def grant_row(role: StaffRole) -> RoleGrant:
    return next(r for r in grant_rows() if r.role == role.value)


def _checked_rights(rights: Iterable[object]) -> list[str]:
    known = {r.value for r in Right}
    names = list(rights)
    unknown = sorted({str(n) for n in names if n not in known})
    if unknown:
        raise ServiceError(
            f"Unknown rights: {', '.join(unknown)}. Known: {', '.join(sorted(known))}.",
            code="unknown_right",
            details={"rights": unknown},
        )
    return sorted(set(names))  # type: ignore[arg-type]


@changes.atomic()
def set_grant(
    *, role: StaffRole, rights: Iterable[object], refund_limit_cents: int | None, actor: User
) -> RoleGrant:
    """Replace the role's rights and refund limit; 409 `role_locked` for the admin role."""
    if role in LOCKED_ROLES:
        raise Conflict(
            f"The {ROLE_LABELS[role].lower()} role always has every right; it cannot change.",
            code="role_locked",
        )
    names = _checked_rights(rights)
    if refund_limit_cents is not None and not 0 <= refund_limit_cents <= MAX_REFUND_LIMIT_CENTS:
        raise ServiceError(
            f"refund_limit_cents is between 0 and {MAX_REFUND_LIMIT_CENTS}, or null.",
            code="invalid",
            details={"refund_limit_cents": ["out of range"]},
        )
    grant_rows()  # every role has its row
    row = RoleGrant.objects.select_for_update().get(role=role.value)
    before = {"rights": list(row.rights), "refund_limit_cents": row.refund_limit_cents}
    after = {"rights": names, "refund_limit_cents": refund_limit_cents}
    if before == after:
        return row
    row.rights, row.refund_limit_cents = names, refund_limit_cents
    row.version += 1
    row.save()
    emit_role_rights(row)
    record(
        actor=actor,
        action="role_rights.change",
        obj=row,
        details={"role": role.value, "before": before, "after": after},
    )
    return row


def effective(row: RoleGrant):
    """The grant that counts for the row's role (the admin's: every right)."""
    return grant_of_role(StaffRole(row.role))


def resend_settings_refund_limits() -> None:
    """`SiteSettings.employee_refund_limit` changed: the cashier's grant that sets no limit
    of its own goes by it, so its row gets a new version and goes out in the feed again
    (call inside `changes.atomic()`, after the settings were saved)."""
    grant_rows()  # every role has its row
    follows_settings = RoleGrant.objects.select_for_update().filter(
        role=StaffRole.CASHIER.value, refund_limit_cents__isnull=True
    )
    for row in follows_settings:
        row.version += 1
        row.save(update_fields=["version", "updated_at"])
        emit_role_rights(row)
