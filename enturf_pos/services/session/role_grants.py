"""The role grants this counter goes by (`enturf_core.staff_rights`), read offline.

The server's grants arrive in the change feed (entity `role_rights`, table `role_rights`);
a role the feed has not brought yet (a counter before its first sync) keeps its
`DEFAULT_GRANTS`. An administrator always keeps every right (`LOCKED_ROLES`), whatever a
row says. Unknown roles (customers, a newer server's roles) get no grant at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from enturf_core.staff_rights import (
    DEFAULT_GRANTS,
    LOCKED_ROLES,
    ROLE_LABELS,
    Grant,
    Right,
    StaffRole,
    staff_role,
)
from enturf_pos.models import RoleRights, SiteSettings
from enturf_pos.services.session.pos_context import PosContext


def _from_row(row: RoleRights) -> Grant | None:
    role = staff_role(row.role)
    if role is None:
        return None
    if role in LOCKED_ROLES:
        return DEFAULT_GRANTS[role]
    return Grant.from_wire(
        {
            "role": role.value,
            "rights": row.rights or (),
            "refund_limit_cents": row.refund_limit_cents,
        }
    )


def grants_in(session: Session) -> dict[StaffRole, Grant]:
    """Every staff role's grant: the synced ones over the defaults."""
    grants = dict(DEFAULT_GRANTS)
    for row in session.scalars(select(RoleRights)):
        grant = _from_row(row)
        if grant is not None:
            grants[grant.role] = grant
    return grants


def all_grants(*, ctx: PosContext) -> dict[StaffRole, Grant]:
    with ctx.db.transaction() as session:
        return grants_in(session)


def grant_for(*, ctx: PosContext, role: str) -> Grant | None:
    known = staff_role(role)
    return all_grants(ctx=ctx).get(known) if known is not None else None


def _cashier_limit(session: Session) -> int | None:
    """The synced setting `employee_refund_limit` in cents (None: not synced yet)."""
    row = session.get(SiteSettings, 1)
    value = (row.data if row is not None else {}).get("employee_refund_limit")
    try:
        return None if value is None else int(Decimal(str(value)) * 100)
    except (InvalidOperation, ValueError):
        return None


def session_grant(session: Session, role: str) -> Grant | None:
    """The grant a signed-in user of `role` goes by: the synced one with the effective
    refund limit, as the server's login answer puts it (`accounts.rights.refund_limit_cents`:
    0 without `refund`; a cashier role whose grant sets none keeps the site's
    `employee_refund_limit`). None for customers and unknown roles."""
    known = staff_role(role)
    if known is None:
        return None
    grant = grants_in(session)[known]
    if known in LOCKED_ROLES:
        return grant
    if Right.REFUND not in grant.rights:
        return replace(grant, refund_limit_cents=0)
    if grant.refund_limit_cents is None and known is StaffRole.CASHIER:
        return replace(grant, refund_limit_cents=_cashier_limit(session))
    return grant


def session_grant_for(*, ctx: PosContext, role: str) -> Grant | None:
    with ctx.db.transaction() as session:
        return session_grant(session, role)


def grant_from_answer(role: str, answer: Mapping) -> Grant | None:
    """The grant the server sent with a login or `users/me` answer (`rights`,
    `refund_limit_cents`), or None when it sent none (an older server)."""
    known = staff_role(role)
    if known is None or "rights" not in answer:
        return None
    if known in LOCKED_ROLES:
        return DEFAULT_GRANTS[known]
    return Grant.from_wire(
        {
            "role": known.value,
            "rights": answer.get("rights") or (),
            "refund_limit_cents": answer.get("refund_limit_cents"),
        }
    )


def roles_holding(
    grants: Mapping[StaffRole, Grant], right: Right, *, amount_cents: int | None = None
) -> list[StaffRole]:
    return [
        role for role, grant in grants.items() if grant.allows(right, amount_cents=amount_cents)
    ]


def who_may(grants: Mapping[StaffRole, Grant], right: Right) -> str:
    """ "Administrator or Box-office manager": for a tooltip on what this user may not do."""
    labels = [ROLE_LABELS[role] for role in roles_holding(grants, right)]
    if not labels:
        return "nobody"
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
