"""A counter sells and refunds only inside an open shift: tests that sell open one first,
as the cashier does at the start of the day (a float large enough for cash refunds)."""

from __future__ import annotations

from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.shifts import shift_service


def open_drawer(ctx: PosContext, cashier: str = "cashier", opening_float: str = "1000") -> None:
    """Open a shift at the counter of `ctx` unless one is open."""
    if shift_service.current_shift(ctx=ctx) is not None:
        return
    result = shift_service.open_shift(ctx=ctx, cashier=cashier, opening_float=opening_float)
    assert result.ok, result.message
