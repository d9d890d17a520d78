"""What the shift services answer: plain, frozen records of a shift, its drawer
movements and its X/Z report, and the payment methods and movement kinds they name."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from enturf_core.money import Money
from enturf_pos.models import ShiftState

CASH, CARD = "cash", "card"
METHODS = (CASH, CARD)
CASH_IN, CASH_OUT = "cash_in", "cash_out"
MOVEMENT_KINDS = {CASH_IN: "Cash in", CASH_OUT: "Cash out"}


@dataclass(frozen=True, slots=True)
class ShiftResult:
    ok: bool
    message: str
    shift_id: uuid.UUID | None = None
    code: str = ""  # "approval_required", "invalid", "no_shift", ... when not ok


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
