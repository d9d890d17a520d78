"""What the shift services answer: plain, frozen records of a shift, its drawer
movements and its X/Z report, and the payment methods and movement kinds they name."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from enturf_core.money import Money
from enturf_core.wire import ops as wire
from enturf_pos.models import ShiftState

CASH, CARD = wire.CASH, wire.CARD
METHODS = wire.PAYMENT_METHODS
CASH_IN, CASH_OUT = wire.CASH_IN, wire.CASH_OUT
MOVEMENT_KINDS = {CASH_IN: "Cash in", CASH_OUT: "Cash out"}


class ShiftError(StrEnum):
    """Why a shift action was refused (`ShiftResult.code`)."""

    INVALID = "invalid"  # an amount, reason or name that is not valid
    ALREADY_OPEN = "already_open"
    NO_SHIFT = "no_shift"  # no shift is open at this counter
    APPROVAL_REQUIRED = "approval_required"  # the difference needs an administrator
    APPROVAL_REFUSED = "approval_refused"


@dataclass(frozen=True, slots=True)
class ShiftResult:
    ok: bool
    message: str
    shift_id: uuid.UUID | None = None
    code: ShiftError | None = None  # why not, when not ok


@dataclass(frozen=True, slots=True)
class ShiftInfo:
    id: uuid.UUID
    cashier: str
    opened_at: datetime
    opening_float: Money
    state: str
    closed_at: datetime | None
    difference: Money | None
    approved_by: str
    sync_state: str  # of its last op: pending, applied, rejected...
    sync_problem: str = ""  # why the server refused one of its ops, if it did
    cashier_name: str = ""  # the cashier's display name (people.display_name)

    @property
    def is_open(self) -> bool:
        return self.state == ShiftState.OPEN


@dataclass(frozen=True, slots=True)
class MovementInfo:
    id: uuid.UUID
    kind: str
    amount: Money
    reason: str
    at: datetime
    user: str

    @property
    def label(self) -> str:
        return MOVEMENT_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True, slots=True)
class ReportRow:
    event: str
    ticket: str
    count: int
    amount: Money

    def as_json(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "ticket": self.ticket,
            "count": self.count,
            "amount": self.amount.amount_text(),
        }


@dataclass(frozen=True, slots=True)
class CashFigures:
    """Where the expected amounts come from."""

    opening_float: Money
    cash_in: Money
    cash_out: Money
    cash_sales: Money
    cash_refunds: Money
    card_sales: Money
    card_refunds: Money

    def as_json(self) -> dict[str, str]:
        return {name: getattr(self, name).amount_text() for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class ShiftReport:
    """An X report (shift open) or the figures of a Z close."""

    shift: ShiftInfo
    currency: str
    until: datetime
    figures: CashFigures
    expected: dict[str, Money]
    sales: list[ReportRow]
    refunds: list[ReportRow]
    movements: list[MovementInfo]
    sales_count: int
    refunds_count: int
    threshold: Money
    counted: dict[str, Money] = field(default_factory=dict)  # a closed shift's count

    def difference(self, counted: dict[str, Money]) -> Money:
        """Counted minus expected over all methods (a method not counted counts 0)."""
        zero = Money.zero(self.currency)
        return Money.total(
            (counted.get(m, zero) - self.expected[m] for m in METHODS), self.currency
        )

    def needs_approval(self, counted: dict[str, Money]) -> bool:
        return abs(self.difference(counted)) > self.threshold

    def as_json(self) -> dict[str, Any]:
        """The `report` of the `shift_close` op (other keys than expected/sales/refunds are
        stored by the server as sent)."""
        return {
            "expected": {m: self.expected[m].amount_text() for m in METHODS},
            "sales": [r.as_json() for r in self.sales],
            "refunds": [r.as_json() for r in self.refunds],
            "drawer": self.figures.as_json(),
            "sales_count": self.sales_count,
            "refunds_count": self.refunds_count,
        }


@dataclass(frozen=True, slots=True)
class CloseRequest:
    counted: dict[str, Money]
    approver: str = ""
    approver_password: str = field(default="", repr=False)
