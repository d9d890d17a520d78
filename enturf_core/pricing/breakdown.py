"""Tax-inclusive pricing: the one place where server and POS compute booking totals.

Both sides call :func:`compute_breakdown` with the same inputs and get the same
:class:`PriceBreakdown`, cent for cent. The rules (also in ``docs/money-and-pricing.md``):

* Prices are tax-inclusive. Every amount is a whole number of minor units.
* One output line per ticket: an input line with ``quantity=3`` becomes three ticket lines
  with the same key, so breakdown lines map one-to-one onto booking lines and a single
  ticket can be refunded on its own.
* A voucher's total discount is computed once (``percent`` of the eligible tickets' list
  prices, rounded ROUND_HALF_UP; or the fixed amount, capped at the eligible total) and
  spread over the eligible ticket lines in proportion to their list prices with
  :meth:`Money.allocate`, so the line discounts add up to the voucher's discount exactly
  and no line goes below zero. Vouchers never discount fees.
* Fees are their own lines (kind ``fee``) with their own tax rate: one per ticket
  (``for_line`` points at the ticket line) or one per booking.
* Per line: ``gross = price - discount`` (what the customer pays for it, tax included),
  ``tax = round(gross * rate / (100 + rate))`` (ROUND_HALF_UP, per line) and
  ``net = gross - tax``. The tax summary per rate and the totals are plain sums of the
  lines, so they never drift from the lines by a cent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from enturf_core.money import CurrencyMismatchError, Money, round_fraction, to_decimal

__all__ = [
    "BookingFee",
    "BreakdownError",
    "FeeBasis",
    "LineInput",
    "LineKind",
    "PriceBreakdown",
    "PricedLine",
    "RefundError",
    "RefundExceedsPaidError",
    "TaxSummary",
    "Totals",
    "Voucher",
    "VoucherKind",
    "compute_breakdown",
    "manual_price",
    "override_prices",
    "rate_key",
    "refundable",
    "refundable_for_lines",
    "tax_of_gross",
]

_HUNDRED = Decimal(100)


class BreakdownError(ValueError):
    """A breakdown (or its input) is invalid or internally inconsistent."""


class RefundError(ValueError):
    """A refund request cannot be honoured."""


class RefundExceedsPaidError(RefundError):
    """The requested refund is more than what is left to refund."""

    def __init__(self, requested: Money, available: Money) -> None:
        super().__init__(
            f"refund of {requested} exceeds the refundable amount of {available}"
            " (paid minus already refunded)"
        )
        self.requested = requested
        self.available = available


class FeeBasis(StrEnum):
    PER_TICKET = "per_ticket"
    PER_BOOKING = "per_booking"


class VoucherKind(StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"


class LineKind(StrEnum):
    TICKET = "ticket"
    FEE = "fee"


# -- helpers ----------------------------------------------------------------------------------


def _tax_rate(value: object) -> Decimal:
    rate = to_decimal(value, "tax rate")
    if rate < 0 or rate >= 1000:
        raise BreakdownError(f"tax rate must be a percentage between 0 and 1000, got {value}")
    return rate


def rate_key(rate: Decimal) -> str:
    """Canonical text of a tax rate: ``Decimal("19.0")`` and ``Decimal("19")`` -> ``"19"``."""
    text = format(rate.normalize(), "f")
    return text


def tax_of_gross(gross: Money, rate: Decimal) -> Money:
    """Tax contained in a tax-inclusive ``gross``: ``gross * rate / (100 + rate)``, rounded
    once to the minor unit with ROUND_HALF_UP (exact rational arithmetic, no double rounding).
    """
    rate_f = Fraction(_tax_rate(rate))
    exact = Fraction(gross.amount) * rate_f / (100 + rate_f)
    return Money(round_fraction(exact, gross.exponent), gross.currency)


def _price(value: object, what: str, currency: str) -> Money:
    if not isinstance(value, Money):
        raise TypeError(f"{what} must be Money, not {type(value).__name__}")
    if value.currency != currency:
        raise CurrencyMismatchError(f"{what} is in {value.currency}, the booking in {currency}")
    if not value.is_quantized:
        raise BreakdownError(f"{what} {value} has more decimals than {value.currency} allows")
    if value.is_negative():
        raise BreakdownError(f"{what} must not be negative, got {value}")
    return value


def _ids(ticket_ids: Iterable[str] | None) -> frozenset[str] | None:
    if isinstance(ticket_ids, str):
        raise TypeError("ticket_ids must be a collection of ids, not a single string")
    return None if ticket_ids is None else frozenset(ticket_ids)


# -- inputs -----------------------------------------------------------------------------------


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
        object.__setattr__(self, "tax_rate", _tax_rate(self.tax_rate))
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
            tax_rate=_tax_rate(data["tax_rate"]),
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
        object.__setattr__(self, "tax_rate", _tax_rate(self.tax_rate))
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
            tax_rate=_tax_rate(data["tax_rate"]),
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


# -- outputs ----------------------------------------------------------------------------------


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
            tax_rate=_tax_rate(data["tax_rate"]),
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
                _price(getattr(line, name), f"{where} {name}", self.currency)
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
                    rate=_tax_rate(item["rate"]),
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


def _make_line(
    line_no: int,
    kind: LineKind,
    price: Money,
    discount: Money,
    rate: Decimal,
    **extra: Any,
) -> PricedLine:
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
        amount = _price(voucher.amount, "voucher amount", currency)
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
        price = _price(item.unit_price, f"unit price of line {index}", currency)
        tickets.extend((item, price) for _ in range(item.quantity))

    discounts = _voucher_discounts(voucher, currency, tickets)
    priced: list[PricedLine] = []
    for n, ((item, price), discount) in enumerate(zip(tickets, discounts, strict=True), 1):
        priced.append(
            _make_line(
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
        fee = _price(booking_fee.amount, "booking fee", currency)
        if fee.is_positive():
            owners: list[int | None] = (
                [line.line_no for line in priced]
                if booking_fee.basis is FeeBasis.PER_TICKET
                else [None]
            )
            zero = Money.zero(currency)
            for owner in owners:
                priced.append(
                    _make_line(
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


# -- supervisor's price overrides --------------------------------------------------------------


def manual_price(
    listed: Money,
    *,
    price: Money | None = None,
    percent: Decimal | None = None,
    amount_off: Money | None = None,
) -> Money:
    """A ticket's price after a supervisor's override, from its ``listed`` price (what it
    costs now, voucher included): exactly one of a new ``price``, a ``percent`` off
    (rounded once, ROUND_HALF_UP) or an ``amount_off``. Never below zero."""
    if sum(x is not None for x in (price, percent, amount_off)) != 1:
        raise BreakdownError("give exactly one of a new price, a percent off or an amount off")
    currency = listed.currency
    if price is not None:
        new = _price(price, "new price", currency)
    elif percent is not None:
        pct = to_decimal(percent, "percent off")
        if not 0 < pct <= 100:
            raise BreakdownError(f"the percent off must be above 0 and at most 100, got {pct}")
        off = round_fraction(Fraction(listed.amount) * Fraction(pct) / 100, listed.exponent)
        new = listed - Money(off, currency)
    else:
        assert amount_off is not None
        off_money = _price(amount_off, "amount off", currency)
        if not off_money.is_positive():
            raise BreakdownError("the amount off must be more than zero")
        if off_money > listed:
            raise BreakdownError(f"the amount off is more than the price of {listed.format()}")
        new = listed - off_money
    if new.is_negative():
        raise BreakdownError("a price cannot be below zero")
    return new


def override_prices(breakdown: PriceBreakdown, prices: Mapping[int, Money]) -> PriceBreakdown:
    """``breakdown`` with the ticket lines numbered in ``prices`` (``line_no``) paid at
    those tax-inclusive prices: below the list price the difference is the line's
    discount (a voucher's share included); above it, the line's price with no discount.
    Tax is recomputed per line, so the totals stay the sums of the lines."""
    lines = []
    for line in breakdown.lines:
        new = prices.get(line.line_no)
        if new is None or line.kind is not LineKind.TICKET:
            lines.append(line)
            continue
        new = _price(new, f"new price of line {line.line_no}", breakdown.currency)
        if new.is_negative():
            raise BreakdownError(f"line {line.line_no}: a price cannot be below zero")
        list_price = max(line.price, new)
        lines.append(
            _make_line(
                line.line_no,
                LineKind.TICKET,
                list_price,
                list_price - new,
                line.tax_rate,
                key=line.key,
                ticket_id=line.ticket_id,
            )
        )
    return PriceBreakdown.from_lines(breakdown.currency, lines, breakdown.voucher_code)


# -- refunds ----------------------------------------------------------------------------------


def refundable(paid: Money, already_refunded: Money, requested: Money | None = None) -> Money:
    """How much may be refunded now: ``requested`` if it fits, else raise.

    ``paid`` is what was paid for the booking (or the lines in question), ``already_refunded``
    what went back before. Without ``requested`` the whole remainder is returned.
    Raises :class:`RefundExceedsPaidError` when ``requested`` is more than
    ``paid - already_refunded``, and :class:`RefundError` for negative, zero or unrounded
    requests or inconsistent history.
    """
    currency = paid.currency
    for name, value in (("paid", paid), ("already refunded", already_refunded)):
        if value.currency != currency:
            raise CurrencyMismatchError(f"{name} is in {value.currency}, paid in {currency}")
        if value.is_negative() or not value.is_quantized:
            raise RefundError(f"{name} must be a non-negative whole-cent amount, got {value}")
    available = paid - already_refunded
    if available.is_negative():
        raise RefundError(f"already refunded {already_refunded}, more than the {paid} paid")
    if requested is None:
        return available
    if requested.currency != currency:
        raise CurrencyMismatchError(f"refund is in {requested.currency}, payment in {currency}")
    if not requested.is_positive() or not requested.is_quantized:
        raise RefundError(f"a refund must be a positive whole-cent amount, got {requested}")
    if requested > available:
        raise RefundExceedsPaidError(requested, available)
    return requested


def refundable_for_lines(
    lines: Iterable[PricedLine], already_refunded: Mapping[int, Money] | None = None
) -> Money:
    """What is left to refund on ``lines``: the sum of each line's ``gross`` minus what was
    already refunded on it (``already_refunded`` maps ``line_no`` to an amount; lines not in
    ``lines`` are ignored).

    Use :meth:`PriceBreakdown.lines_for` to include the per-ticket fees of tickets; whether
    fees are refundable is the caller's policy. Raises :class:`RefundError` for a line
    refunded beyond its gross.
    """
    refunded = already_refunded or {}
    line_list = list(lines)
    if not line_list:
        raise RefundError("no lines to refund")
    currency = line_list[0].gross.currency
    left = Money.zero(currency)
    for line in line_list:
        done = refunded.get(line.line_no, Money.zero(currency))
        left = left + refundable(line.gross, done)
    return left
