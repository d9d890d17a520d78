"""The priced booking (:class:`PriceBreakdown`) and how it is computed
(:func:`compute_breakdown`); the rules are in the package's docstring."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from enturf_core.money import Money, round_fraction
from enturf_core.pricing.tax import (
    BreakdownError,
    checked_price,
    checked_rate,
    rate_key,
    tax_of_gross,
)
from enturf_core.pricing.terms import BookingFee, FeeBasis, LineInput, Voucher, VoucherKind

__all__ = [
    "LineKind",
    "PriceBreakdown",
    "PricedLine",
    "TaxSummary",
    "Totals",
    "compute_breakdown",
    "priced_line",
]


class LineKind(StrEnum):
    TICKET = "ticket"
    FEE = "fee"


@dataclass(frozen=True, slots=True)
class PricedLine:
    """One priced line: a single ticket, or a fee.

    ``price`` is the list price, ``discount`` the voucher's share, ``gross = price -
    discount`` what is paid for the line (tax included), ``tax`` the tax in ``gross`` and
    ``net = gross - tax``. ``for_line`` is, for a per-ticket fee, the ``line_no`` of its
    ticket. ``line_no`` counts from 1 in breakdown order.
    """

    line_no: int
    kind: LineKind
    tax_rate: Decimal
    price: Money
    discount: Money
    gross: Money
    tax: Money
    net: Money
    key: str | None = None
    ticket_id: str | None = None
    for_line: int | None = None
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "line_no": self.line_no,
            "kind": self.kind.value,
            "key": self.key,
            "ticket_id": self.ticket_id,
            "for_line": self.for_line,
            "label": self.label,
            "tax_rate": rate_key(self.tax_rate),
            "price": self.price.amount_text(),
            "discount": self.discount.amount_text(),
            "gross": self.gross.amount_text(),
            "tax": self.tax.amount_text(),
            "net": self.net.amount_text(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], currency: str) -> PricedLine:
        def money(name: str) -> Money:
            return Money.parse(data[name], currency)

        return cls(
            line_no=data["line_no"],
            kind=LineKind(data["kind"]),
            tax_rate=checked_rate(data["tax_rate"]),
            price=money("price"),
            discount=money("discount"),
            gross=money("gross"),
            tax=money("tax"),
            net=money("net"),
            key=data.get("key"),
            ticket_id=data.get("ticket_id"),
            for_line=data.get("for_line"),
            label=data.get("label"),
        )


@dataclass(frozen=True, slots=True)
class TaxSummary:
    """Totals of one tax rate over all lines (tickets and fees): ``net + tax == gross``."""

    rate: Decimal
    gross: Money
    net: Money
    tax: Money

    def to_dict(self) -> dict[str, Any]:
        return {
            "rate": rate_key(self.rate),
            "gross": self.gross.amount_text(),
            "net": self.net.amount_text(),
            "tax": self.tax.amount_text(),
        }


@dataclass(frozen=True, slots=True)
class Totals:
    """``subtotal`` (ticket list prices) - ``discount`` + ``fees`` = ``gross`` (to pay);
    ``gross = net + tax``."""

    subtotal: Money
    discount: Money
    fees: Money
    gross: Money
    tax: Money
    net: Money

    def to_dict(self) -> dict[str, Any]:
        return {
            name: getattr(self, name).amount_text()
            for name in ("subtotal", "discount", "fees", "gross", "tax", "net")
        }


@dataclass(frozen=True, slots=True)
class PriceBreakdown:
    """The priced booking: lines, tax summary per rate (ascending) and totals.

    Construction checks every invariant (line arithmetic, per-line tax rounding, summary
    and totals equal the sums of the lines) and raises :class:`BreakdownError` otherwise, so
    a breakdown read with :meth:`from_dict` from another party is consistent or refused.
    """

    currency: str
    lines: tuple[PricedLine, ...]
    taxes: tuple[TaxSummary, ...]
    totals: Totals
    voucher_code: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "taxes", tuple(self.taxes))
        self._check(*_summarise(self.currency, self.lines))

    @classmethod
    def from_lines(
        cls, currency: str, lines: Sequence[PricedLine], voucher_code: str | None = None
    ) -> PriceBreakdown:
        """Build a breakdown from priced lines, deriving the tax summary and totals."""
        taxes, totals = _summarise(currency, lines)
        return cls(currency, tuple(lines), taxes, totals, voucher_code)

    def _check(self, taxes: tuple[TaxSummary, ...], totals: Totals) -> None:
        seen: set[int] = set()
        ticket_nos = {line.line_no for line in self.lines if line.kind is LineKind.TICKET}
        for line in self.lines:
            where = f"line {line.line_no}"
            if isinstance(line.line_no, bool) or not isinstance(line.line_no, int):
                raise BreakdownError(f"{where}: line_no must be an int")
            if not isinstance(line.kind, LineKind):
                raise BreakdownError(f"{where}: kind must be a LineKind")
            if line.line_no in seen:
                raise BreakdownError(f"{where}: duplicate line number")
            seen.add(line.line_no)
            for name in ("price", "discount", "gross", "tax", "net"):
                checked_price(getattr(line, name), f"{where} {name}", self.currency)
            if line.discount > line.price:
                raise BreakdownError(f"{where}: discount exceeds the price")
            if line.kind is LineKind.FEE and not line.discount.is_zero():
                raise BreakdownError(f"{where}: fees are never discounted")
            if line.gross != line.price - line.discount:
                raise BreakdownError(f"{where}: gross is not price minus discount")
            if line.tax != tax_of_gross(line.gross, line.tax_rate):
                raise BreakdownError(f"{where}: tax is not the rounded tax of its gross")
            if line.net != line.gross - line.tax:
                raise BreakdownError(f"{where}: net is not gross minus tax")
            if line.for_line is not None and line.kind is not LineKind.FEE:
                raise BreakdownError(f"{where}: only fee lines belong to another line")
            if line.for_line is not None and line.for_line not in ticket_nos:
                raise BreakdownError(f"{where}: belongs to line {line.for_line}, not a ticket")
        if self.taxes != taxes:
            raise BreakdownError("tax summary does not equal the sums of the lines")
        if self.totals != totals:
            raise BreakdownError("totals do not equal the sums of the lines")

    # -- queries -----------------------------------------------------------------------------

    @property
    def total(self) -> Money:
        """What the customer pays (``totals.gross``)."""
        return self.totals.gross

    def ticket_lines(self) -> tuple[PricedLine, ...]:
        return tuple(line for line in self.lines if line.kind is LineKind.TICKET)

    def fee_lines(self) -> tuple[PricedLine, ...]:
        return tuple(line for line in self.lines if line.kind is LineKind.FEE)

    def line(self, line_no: int) -> PricedLine:
        for line in self.lines:
            if line.line_no == line_no:
                return line
        raise KeyError(line_no)

    def lines_for(self, line_nos: Iterable[int], include_fees: bool = True) -> list[PricedLine]:
        """The given ticket lines and, with ``include_fees``, their per-ticket fee lines."""
        wanted = set(line_nos)
        unknown = wanted - {line.line_no for line in self.lines}
        if unknown:
            raise KeyError(f"no such lines: {sorted(unknown)}")
        return [
            line
            for line in self.lines
            if line.line_no in wanted or (include_fees and line.for_line in wanted)
        ]

    # -- dicts -------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict; amounts are strings in the breakdown's currency."""
        return {
            "currency": self.currency,
            "voucher_code": self.voucher_code,
            "lines": [line.to_dict() for line in self.lines],
            "taxes": [summary.to_dict() for summary in self.taxes],
            "totals": self.totals.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PriceBreakdown:
        """Read :meth:`to_dict` output; refuses (BreakdownError) anything inconsistent."""
        try:
            currency = Money.zero(data["currency"]).currency
            lines = tuple(PricedLine.from_dict(item, currency) for item in data["lines"])
            taxes = tuple(
                TaxSummary(
                    rate=checked_rate(item["rate"]),
                    gross=Money.parse(item["gross"], currency),
                    net=Money.parse(item["net"], currency),
                    tax=Money.parse(item["tax"], currency),
                )
                for item in data["taxes"]
            )
            t = data["totals"]
            totals = Totals(
                *(
                    Money.parse(t[name], currency)
                    for name in ("subtotal", "discount", "fees", "gross", "tax", "net")
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise BreakdownError(f"not a valid price breakdown: {exc}") from exc
        return cls(currency, lines, taxes, totals, data.get("voucher_code"))


def _summarise(currency: str, lines: Sequence[PricedLine]) -> tuple[tuple[TaxSummary, ...], Totals]:
    by_rate: dict[str, list[PricedLine]] = {}
    for line in lines:
        by_rate.setdefault(rate_key(line.tax_rate), []).append(line)
    taxes = tuple(
        TaxSummary(
            rate=Decimal(key),
            gross=Money.total((line.gross for line in group), currency),
            net=Money.total((line.net for line in group), currency),
            tax=Money.total((line.tax for line in group), currency),
        )
        for key, group in sorted(by_rate.items(), key=lambda item: Decimal(item[0]))
    )
    tickets = [line for line in lines if line.kind is LineKind.TICKET]
    fees = [line for line in lines if line.kind is LineKind.FEE]
    totals = Totals(
        subtotal=Money.total((line.price for line in tickets), currency),
        discount=Money.total((line.discount for line in lines), currency),
        fees=Money.total((line.gross for line in fees), currency),
        gross=Money.total((line.gross for line in lines), currency),
        tax=Money.total((line.tax for line in lines), currency),
        net=Money.total((line.net for line in lines), currency),
    )
    return taxes, totals


# -- the computation --------------------------------------------------------------------------


def priced_line(
    line_no: int,
    kind: LineKind,
    price: Money,
    discount: Money,
    rate: Decimal,
    **extra: Any,
) -> PricedLine:
    """A line at list ``price`` less ``discount``: gross, tax and net follow from them."""
    gross = price - discount
    tax = tax_of_gross(gross, rate)
    return PricedLine(
        line_no=line_no,
        kind=kind,
        tax_rate=rate,
        price=price,
        discount=discount,
        gross=gross,
        tax=tax,
        net=gross - tax,
        **extra,
    )


def _voucher_discounts(
    voucher: Voucher | None, currency: str, tickets: Sequence[tuple[LineInput, Money]]
) -> list[Money]:
    zero = Money.zero(currency)
    discounts = [zero] * len(tickets)
    if voucher is None:
        return discounts
    eligible = [i for i, (line, _) in enumerate(tickets) if voucher.applies_to(line.ticket_id)]
    base = Money.total((tickets[i][1] for i in eligible), currency)
    if not base.is_positive():
        return discounts
    if voucher.kind is VoucherKind.PERCENT:
        assert voucher.percent is not None
        exact = Fraction(base.amount) * Fraction(voucher.percent) / 100
        total = Money(round_fraction(exact, base.exponent), currency)
    else:
        assert voucher.amount is not None
        amount = checked_price(voucher.amount, "voucher amount", currency)
        total = min(amount, base)
    shares = total.allocate([tickets[i][1].to_minor_units() for i in eligible])
    for i, share in zip(eligible, shares, strict=True):
        discounts[i] = share
    return discounts


def compute_breakdown(
    lines: Sequence[LineInput],
    *,
    currency: str,
    booking_fee: BookingFee | None = None,
    voucher: Voucher | None = None,
) -> PriceBreakdown:
    """Price a booking.

    Output order: one ticket line per ticket (inputs in order, each expanded by its
    quantity), then fee lines (per-ticket fees in ticket order, or one per-booking fee).
    No ticket lines means no fee. A zero fee produces no fee lines.
    """
    currency = Money.zero(currency).currency
    tickets: list[tuple[LineInput, Money]] = []
    for index, item in enumerate(lines):
        if not isinstance(item, LineInput):
            raise TypeError(f"line {index} must be a LineInput, not {type(item).__name__}")
        price = checked_price(item.unit_price, f"unit price of line {index}", currency)
        tickets.extend((item, price) for _ in range(item.quantity))

    discounts = _voucher_discounts(voucher, currency, tickets)
    priced: list[PricedLine] = []
    for n, ((item, price), discount) in enumerate(zip(tickets, discounts, strict=True), 1):
        priced.append(
            priced_line(
                n,
                LineKind.TICKET,
                price,
                discount,
                item.tax_rate,
                key=item.key,
                ticket_id=item.ticket_id,
            )
        )

    if booking_fee is not None and tickets:
        fee = checked_price(booking_fee.amount, "booking fee", currency)
        if fee.is_positive():
            owners: list[int | None] = (
                [line.line_no for line in priced]
                if booking_fee.basis is FeeBasis.PER_TICKET
                else [None]
            )
            zero = Money.zero(currency)
            for owner in owners:
                priced.append(
                    priced_line(
                        len(priced) + 1,
                        LineKind.FEE,
                        fee,
                        zero,
                        booking_fee.tax_rate,
                        for_line=owner,
                        label=booking_fee.label,
                    )
                )

    return PriceBreakdown.from_lines(currency, priced, None if voucher is None else voucher.code)
