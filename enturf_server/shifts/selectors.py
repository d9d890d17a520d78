"""Reading shifts: holders of `view_reports` see every shift, other staff their own,
customers none."""

from __future__ import annotations

import uuid
from datetime import date

from django.db.models import QuerySet

from enturf_core.staff_rights import Right
from enturf_server.accounts.rights import has_right, staff_role_of
from enturf_server.api.errors import Forbidden, NotFound
from enturf_server.shifts.models import Shift


def shifts_for(
    *,
    user,
    device: int | None = None,
    cashier: str | None = None,
    state: str | None = None,
    day: date | None = None,
) -> QuerySet[Shift]:
    if staff_role_of(user) is None:
        raise Forbidden("Only venue staff may see shifts.")
    shifts = Shift.objects.select_related("device", "cashier", "approved_by")
    if not has_right(user, Right.VIEW_REPORTS):
        shifts = shifts.filter(cashier=user)
    if device is not None:
        shifts = shifts.filter(device_id=device)
    if cashier:
        shifts = shifts.filter(cashier__username=cashier)
    if state:
        shifts = shifts.filter(state=state)
    if day is not None:
        shifts = shifts.filter(opened_at__date=day)
    return shifts.order_by("-opened_at", "id")


def shift_for(*, user, shift_id: uuid.UUID) -> Shift:
    shift = shifts_for(user=user).prefetch_related("movements__user").filter(pk=shift_id).first()
    if shift is None:
        raise NotFound("There is no such shift (or it is not yours).")
    return shift
