"""What a booking is priced from: ticket lines, a booking fee and a voucher."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from enturf_core.money import Money, to_decimal
from enturf_core.pricing.tax import BreakdownError, checked_rate, rate_key

__all__ = ["BookingFee", "FeeBasis", "LineInput", "Voucher", "VoucherKind"]


class FeeBasis(StrEnum):
    PER_TICKET = "per_ticket"
    PER_BOOKING = "per_booking"


class VoucherKind(StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"


def _ids(ticket_ids: Iterable[str] | None) -> frozenset[str] | None:
    if isinstance(ticket_ids, str):
        raise TypeError("ticket_ids must be a collection of ids, not a single string")
    return None if ticket_ids is None else frozenset(ticket_ids)


@dataclass(frozen=True, slots=True)
class LineInput:
    """What is being sold: ``quantity`` tickets at a tax-inclusive ``unit_price``.

    ``ticket_id`` names the event's ticket type (vouchers can be restricted to some);
    ``key`` identifies the line for the caller (seat id, GA area id, booking line id) and
    is copied to every ticket line it expands to.
    """

    unit_price: Money
    tax_rate: Decimal
    quantity: int = 1
    key: str | None = None
    ticket_id: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.unit_price, Money):
            raise TypeError("unit_price must be Money")
        object.__setattr__(self, "tax_rate", checked_rate(self.tax_rate))
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
            raise TypeError("quantity must be an int")
        if self.quantity < 1:
            raise BreakdownError(f"quantity must be at least 1, got {self.quantity}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit_price": str(self.unit_price),
            "tax_rate": rate_key(self.tax_rate),
            "quantity": self.quantity,
            "key": self.key,
            "ticket_id": self.ticket_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], currency: str | None = None) -> LineInput:
        return cls(
            unit_price=Money.parse(data["unit_price"], currency),
            tax_rate=checked_rate(data["tax_rate"]),
            quantity=data.get("quantity", 1),
            key=data.get("key"),
            ticket_id=data.get("ticket_id"),
        )


@dataclass(frozen=True, slots=True)
class BookingFee:
    """A tax-inclusive fee charged per ticket or once per booking (with tickets)."""

    amount: Money
    tax_rate: Decimal
    basis: FeeBasis = FeeBasis.PER_TICKET
    label: str = "Booking fee"

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Money):
            raise TypeError("fee amount must be Money")
        object.__setattr__(self, "tax_rate", checked_rate(self.tax_rate))
        object.__setattr__(self, "basis", FeeBasis(self.basis))

    def to_dict(self) -> dict[str, Any]:
        return {
            "amount": str(self.amount),
            "tax_rate": rate_key(self.tax_rate),
            "basis": self.basis.value,
            "label": self.label,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], currency: str | None = None) -> BookingFee:
        return cls(
            amount=Money.parse(data["amount"], currency),
            tax_rate=checked_rate(data["tax_rate"]),
            basis=FeeBasis(data.get("basis", FeeBasis.PER_TICKET)),
            label=data.get("label", "Booking fee"),
        )


@dataclass(frozen=True, slots=True)
class Voucher:
    """A discount on ticket lines: ``percent`` (0 < p <= 100) or a fixed ``amount``.

    ``ticket_ids`` restricts it to those ticket types; ``None`` means every ticket.
    Build with :meth:`percentage` or :meth:`fixed`.
    """

    code: str
    kind: VoucherKind
    percent: Decimal | None = None
    amount: Money | None = None
    ticket_ids: frozenset[str] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", VoucherKind(self.kind))
        if isinstance(self.ticket_ids, str):
            raise TypeError("ticket_ids must be a collection of ids, not a single string")
        if self.ticket_ids is not None:
            object.__setattr__(self, "ticket_ids", frozenset(self.ticket_ids))
        if self.kind is VoucherKind.PERCENT:
            if self.percent is None or self.amount is not None:
                raise BreakdownError("a percent voucher needs a percent and no amount")
            pct = to_decimal(self.percent, "voucher percent")
            if not 0 < pct <= 100:
                raise BreakdownError(f"voucher percent must be in (0, 100], got {pct}")
            object.__setattr__(self, "percent", pct)
        else:
            if self.amount is None or self.percent is not None:
                raise BreakdownError("a fixed voucher needs an amount and no percent")
            if not isinstance(self.amount, Money):
                raise TypeError("voucher amount must be Money")
            if not self.amount.is_positive() or not self.amount.is_quantized:
                raise BreakdownError(f"voucher amount must be positive whole cents: {self.amount}")

    @classmethod
    def percentage(
        cls, code: str, percent: Decimal | int | str, ticket_ids: Iterable[str] | None = None
    ) -> Voucher:
        ids = _ids(ticket_ids)
        return cls(code, VoucherKind.PERCENT, percent=to_decimal(percent), ticket_ids=ids)

    @classmethod
    def fixed(cls, code: str, amount: Money, ticket_ids: Iterable[str] | None = None) -> Voucher:
        ids = _ids(ticket_ids)
        return cls(code, VoucherKind.FIXED, amount=amount, ticket_ids=ids)

    def applies_to(self, ticket_id: str | None) -> bool:
        return self.ticket_ids is None or ticket_id in self.ticket_ids

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind.value,
            "percent": None if self.percent is None else format(self.percent, "f"),
            "amount": None if self.amount is None else str(self.amount),
            "ticket_ids": None if self.ticket_ids is None else sorted(self.ticket_ids),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], currency: str | None = None) -> Voucher:
        ids = data.get("ticket_ids")
        kind = VoucherKind(data["kind"])
        if kind is VoucherKind.PERCENT:
            return cls.percentage(data["code"], data["percent"], ids)
        return cls.fixed(data["code"], Money.parse(data["amount"], currency), ids)
