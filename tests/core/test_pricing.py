"""Pricing: tax-inclusive lines, vouchers, fees, tax summary, refunds, dict round trip."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enturf_core.money import CurrencyMismatchError, Money
from enturf_core.pricing.breakdown import LineKind, PriceBreakdown, compute_breakdown
from enturf_core.pricing.refunds import (
    RefundError,
    RefundExceedsPaidError,
    refundable,
    refundable_for_lines,
)
from enturf_core.pricing.tax import BreakdownError, tax_of_gross
from enturf_core.pricing.terms import BookingFee, FeeBasis, LineInput, Voucher


def eur(text: str) -> Money:
    return Money(text, "EUR")


def line(price: str, rate: str = "19", qty: int = 1, ticket: str = "adult") -> LineInput:
    return LineInput(eur(price), Decimal(rate), qty, key=f"seat-{price}", ticket_id=ticket)


# -- examples -------------------------------------------------------------------------------


def test_tax_of_gross_rounds_per_line_half_up() -> None:
    assert tax_of_gross(eur("11.90"), Decimal("19")) == eur("1.90")
    assert tax_of_gross(eur("10.00"), Decimal("19")) == eur("1.60")  # 1.596...
    assert tax_of_gross(eur("10.70"), Decimal("7")) == eur("0.70")
    assert tax_of_gross(eur("0.00"), Decimal("19")) == eur("0.00")
    assert tax_of_gross(eur("5.00"), Decimal("0")) == eur("0.00")
    assert tax_of_gross(eur("2.10"), Decimal("5")) == eur("0.10")  # exact
    # exactly half a minor unit rounds up: 0.01 * 100 / 200 = 0.005, 5 JPY * 100 / 200 = 2.5
    assert tax_of_gross(eur("0.01"), Decimal("100")) == eur("0.01")
    assert tax_of_gross(Money("5", "JPY"), Decimal("100")) == Money("3", "JPY")
    assert tax_of_gross(eur("0.21"), Decimal("10.5")) == eur("0.02")  # 0.01995... -> 0.02


def test_simple_booking_expands_quantity_into_ticket_lines() -> None:
    b = compute_breakdown([line("12.50", qty=2), line("8.00", "7")], currency="EUR")
    assert [ln.line_no for ln in b.lines] == [1, 2, 3]
    assert all(ln.kind is LineKind.TICKET for ln in b.lines)
    assert b.lines[0].key == b.lines[1].key == "seat-12.50"
    assert b.lines[0].tax == eur("2.00")  # 12.50 * 19 / 119 = 1.9958
    assert b.totals.gross == b.total == eur("33.00")
    assert b.totals.tax == eur("4.00") + eur("0.52")
    assert [str(t.rate) for t in b.taxes] == ["7", "19"]
    assert b.taxes[1].gross == eur("25.00") and b.taxes[1].tax == eur("4.00")
    assert b.voucher_code is None


def test_same_rate_written_differently_is_one_summary_row() -> None:
    b = compute_breakdown([line("10.00", "19"), line("5.00", "19.00")], currency="EUR")
    assert len(b.taxes) == 1 and b.taxes[0].gross == eur("15.00")


def test_per_ticket_and_per_booking_fees() -> None:
    fee = BookingFee(eur("1.50"), Decimal("19"), FeeBasis.PER_TICKET, "Service fee")
    b = compute_breakdown([line("10.00", "7", qty=2)], currency="EUR", booking_fee=fee)
    fees = b.fee_lines()
    assert [f.for_line for f in fees] == [1, 2]
    assert fees[0].label == "Service fee" and fees[0].tax == eur("0.24")
    assert b.totals.fees == eur("3.00") and b.totals.subtotal == eur("20.00")
    assert b.totals.gross == eur("23.00")
    assert [len(b.lines_for([1])), len(b.lines_for([1], include_fees=False))] == [2, 1]

    once = BookingFee(eur("2.00"), Decimal("19"), FeeBasis.PER_BOOKING)
    b = compute_breakdown([line("10.00", qty=3)], currency="EUR", booking_fee=once)
    assert len(b.fee_lines()) == 1 and b.fee_lines()[0].for_line is None
    assert compute_breakdown([], currency="EUR", booking_fee=once).lines == ()


def test_percent_voucher_restricted_to_ticket_ids() -> None:
    voucher = Voucher.percentage("KIDS10", 10, ticket_ids=["child"])
    b = compute_breakdown(
        [line("10.00", ticket="adult"), line("8.05", "7", qty=2, ticket="child")],
        currency="EUR",
        voucher=voucher,
    )
    # 10 % of 16.10 = 1.61, spread over two equal child tickets: 0.81 + 0.80
    assert [ln.discount for ln in b.lines] == [eur("0"), eur("0.81"), eur("0.80")]
    assert b.totals.discount == eur("1.61") and b.voucher_code == "KIDS10"
    assert b.lines[1].gross == eur("7.24")


def test_fixed_voucher_is_spread_proportionally_and_capped() -> None:
    voucher = Voucher.fixed("TEN", eur("10.00"))
    b = compute_breakdown([line("30.00"), line("10.00")], currency="EUR", voucher=voucher)
    assert [ln.discount for ln in b.lines] == [eur("7.50"), eur("2.50")]
    big = Voucher.fixed("BIG", eur("100.00"))
    fee = BookingFee(eur("1.00"), Decimal("19"), FeeBasis.PER_BOOKING)
    b = compute_breakdown([line("30.00")], currency="EUR", voucher=big, booking_fee=fee)
    assert b.lines[0].gross == eur("0.00") and b.lines[0].tax == eur("0.00")
    assert b.total == eur("1.00")  # fees are never discounted


def test_voucher_that_applies_to_nothing_discounts_nothing() -> None:
    voucher = Voucher.percentage("X", 50, ticket_ids=["vip"])
    b = compute_breakdown([line("10.00")], currency="EUR", voucher=voucher)
    assert b.totals.discount == eur("0")


def test_invalid_inputs_are_refused() -> None:
    with pytest.raises(BreakdownError):
        LineInput(eur("1.00"), Decimal("19"), 0)
    with pytest.raises(TypeError):
        LineInput(eur("1.00"), 19.0)  # type: ignore[arg-type]
    with pytest.raises(BreakdownError):
        compute_breakdown([line("1.005")], currency="EUR")
    with pytest.raises(BreakdownError):
        compute_breakdown([line("-1.00")], currency="EUR")
    with pytest.raises(CurrencyMismatchError):
        compute_breakdown([LineInput(Money("1", "USD"), Decimal("0"))], currency="EUR")
    with pytest.raises(TypeError):
        Voucher.percentage("X", 10, ticket_ids="adult")
    with pytest.raises(BreakdownError):
        Voucher.percentage("X", 101)
    with pytest.raises(BreakdownError):
        Voucher.fixed("X", eur("0"))
    with pytest.raises(CurrencyMismatchError):
        compute_breakdown([line("1")], currency="EUR", voucher=Voucher.fixed("X", Money(1, "USD")))


def test_dict_round_trip_through_json_and_tamper_detection() -> None:
    b = compute_breakdown(
        [line("12.50", qty=2), line("8.00", "7", ticket="child")],
        currency="EUR",
        booking_fee=BookingFee(eur("1.00"), Decimal("19")),
        voucher=Voucher.fixed("V", eur("3.00"), ["child"]),
    )
    data = json.loads(json.dumps(b.to_dict()))
    assert data["lines"][0]["gross"] == "12.50" and data["totals"]["gross"] == b.total.amount_text()
    assert PriceBreakdown.from_dict(data) == b

    tampered = json.loads(json.dumps(data))
    tampered["lines"][0]["tax"] = "1.99"
    with pytest.raises(BreakdownError, match="tax"):
        PriceBreakdown.from_dict(tampered)
    tampered = json.loads(json.dumps(data))
    tampered["totals"]["gross"] = "0.01"
    with pytest.raises(BreakdownError, match="totals"):
        PriceBreakdown.from_dict(tampered)
    tampered = json.loads(json.dumps(data))
    tampered["lines"][-1]["for_line"] = 99
    with pytest.raises(BreakdownError, match="not a ticket"):
        PriceBreakdown.from_dict(tampered)
    with pytest.raises(BreakdownError):
        PriceBreakdown.from_dict({"currency": "EUR"})


def test_inputs_round_trip_through_dicts() -> None:
    item = line("12.50", qty=2)
    assert LineInput.from_dict(item.to_dict()) == item
    fee = BookingFee(eur("1.00"), Decimal("19"), FeeBasis.PER_BOOKING)
    assert BookingFee.from_dict(fee.to_dict()) == fee
    for voucher in (Voucher.percentage("P", "12.5", ["a"]), Voucher.fixed("F", eur("2"))):
        assert Voucher.from_dict(voucher.to_dict()) == voucher


def test_refundable() -> None:
    assert refundable(eur("50.00"), eur("20.00")) == eur("30.00")
    assert refundable(eur("50.00"), eur("20.00"), eur("30.00")) == eur("30.00")
    with pytest.raises(RefundExceedsPaidError) as info:
        refundable(eur("50.00"), eur("20.00"), eur("30.01"))
    assert info.value.available == eur("30.00")
    with pytest.raises(RefundError):
        refundable(eur("50.00"), eur("0"), eur("0"))
    with pytest.raises(RefundError):
        refundable(eur("50.00"), eur("60.00"))
    with pytest.raises(CurrencyMismatchError):
        refundable(eur("50.00"), eur("0"), Money("1", "USD"))

    b = compute_breakdown(
        [line("10.00", qty=2)],
        currency="EUR",
        booking_fee=BookingFee(eur("1.00"), Decimal("19")),
    )
    assert refundable_for_lines(b.lines_for([1])) == eur("11.00")
    assert refundable_for_lines(b.lines_for([1]), {1: eur("4.00"), 2: eur("10.00")}) == eur("7.00")
    with pytest.raises(RefundError):
        refundable_for_lines(b.lines_for([1]), {1: eur("10.01")})


# -- properties -----------------------------------------------------------------------------

RATES = [Decimal(r) for r in ("0", "5", "7", "7.7", "10", "19", "20", "21", "25.5")]
TICKETS = ["adult", "child", "senior"]


@st.composite
def line_inputs(draw: st.DrawFn, currency: str) -> LineInput:
    return LineInput(
        unit_price=Money.from_minor_units(draw(st.integers(0, 50_000)), currency),
        tax_rate=draw(st.sampled_from(RATES)),
        quantity=draw(st.integers(1, 4)),
        key=draw(st.none() | st.text("ABC123-", min_size=1, max_size=5)),
        ticket_id=draw(st.sampled_from(TICKETS)),
    )


@st.composite
def vouchers(draw: st.DrawFn, currency: str) -> Voucher | None:
    ids = draw(st.none() | st.frozensets(st.sampled_from(TICKETS), min_size=1))
    kind = draw(st.sampled_from(["none", "percent", "fixed"]))
    if kind == "percent":
        pct = draw(st.decimals(min_value="0.01", max_value=100, places=2))
        return Voucher.percentage("P", pct, ids)
    if kind == "fixed":
        amount = Money.from_minor_units(draw(st.integers(1, 200_000)), currency)
        return Voucher.fixed("F", amount, ids)
    return None


@st.composite
def bookings(draw: st.DrawFn) -> tuple[list[LineInput], str, BookingFee | None, Voucher | None]:
    currency = draw(st.sampled_from(["EUR", "JPY", "KWD"]))
    lines = draw(st.lists(line_inputs(currency), max_size=8))
    fee = draw(
        st.none()
        | st.builds(
            BookingFee,
            st.integers(0, 500).map(lambda u: Money.from_minor_units(u, currency)),
            st.sampled_from(RATES),
            st.sampled_from(list(FeeBasis)),
        )
    )
    return lines, currency, fee, draw(vouchers(currency))


def assert_nearest_half_up(tax: Money, gross: Money, rate: Decimal) -> None:
    """Independent oracle: the tax is the exact rational tax rounded once, half up, to
    the minor unit (so a double rounding or a float anywhere shows up as a wrong cent)."""
    from fractions import Fraction

    unit = Fraction(1, 10**gross.exponent)
    exact = Fraction(gross.amount) * Fraction(rate) / (100 + Fraction(rate))
    error = Fraction(tax.amount) - exact
    assert -unit / 2 < error <= unit / 2, (tax, gross, rate, exact)


def _sum(items: list[Money], currency: str) -> Money:
    return Money.total(items, currency)


@settings(max_examples=150, deadline=None)
@given(bookings())
def test_breakdown_invariants(
    booking: tuple[list[LineInput], str, BookingFee | None, Voucher | None],
) -> None:
    lines, cur, fee, voucher = booking
    b = compute_breakdown(lines, currency=cur, booking_fee=fee, voucher=voucher)
    tickets, fees = b.ticket_lines(), b.fee_lines()

    # one ticket line per ticket, in order
    assert len(tickets) == sum(item.quantity for item in lines)

    for ln in b.lines:
        assert ln.net + ln.tax == ln.gross
        assert ln.gross == ln.price - ln.discount
        assert Money.zero(cur) <= ln.discount <= ln.price  # never negative, never above price
        assert not ln.gross.is_negative() and not ln.tax.is_negative()
        assert ln.tax == tax_of_gross(ln.gross, ln.tax_rate)
        assert_nearest_half_up(ln.tax, ln.gross, ln.tax_rate)

    # totals equal the sums of the lines
    t = b.totals
    assert t.gross == _sum([ln.gross for ln in b.lines], cur)
    assert t.tax == _sum([ln.tax for ln in b.lines], cur)
    assert t.net == _sum([ln.net for ln in b.lines], cur)
    assert t.discount == _sum([ln.discount for ln in b.lines], cur)
    assert t.subtotal == _sum([ln.price for ln in tickets], cur)
    assert t.fees == _sum([ln.gross for ln in fees], cur)
    assert t.net + t.tax == t.gross == t.subtotal - t.discount + t.fees

    # the tax summary never drifts from the lines by a cent
    assert _sum([s.gross for s in b.taxes], cur) == t.gross
    assert _sum([s.tax for s in b.taxes], cur) == t.tax
    for summary in b.taxes:
        same_rate = [ln for ln in b.lines if ln.tax_rate == summary.rate]
        assert summary.tax == _sum([ln.tax for ln in same_rate], cur)
        assert summary.gross == _sum([ln.gross for ln in same_rate], cur)
        assert summary.net + summary.tax == summary.gross

    # vouchers: never more than the eligible list prices, fees untouched
    assert all(ln.discount.is_zero() for ln in fees)
    if voucher is None:
        assert t.discount.is_zero()
    else:
        eligible = [ln for ln in tickets if voucher.applies_to(ln.ticket_id)]
        base = _sum([ln.price for ln in eligible], cur)
        assert t.discount <= base
        assert all(ln.discount.is_zero() for ln in tickets if ln not in eligible)
        if voucher.amount is not None:
            assert t.discount == min(voucher.amount, base)

    # fees
    if fee is None or fee.amount.is_zero() or not tickets:
        assert not fees
    elif fee.basis is FeeBasis.PER_TICKET:
        assert [f.for_line for f in fees] == [ln.line_no for ln in tickets]
    else:
        assert len(fees) == 1

    # exchange through JSON loses nothing
    assert PriceBreakdown.from_dict(json.loads(json.dumps(b.to_dict()))) == b


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, 10**7),
    st.integers(0, 10**7),
    st.integers(-(10**7), 10**7),
)
def test_refunds_never_exceed_what_was_paid(paid_u: int, refunded_u: int, request_u: int) -> None:
    paid = Money.from_minor_units(paid_u, "EUR")
    refunded = Money.from_minor_units(refunded_u, "EUR")
    requested = Money.from_minor_units(request_u, "EUR")
    try:
        granted = refundable(paid, refunded, requested)
    except RefundError:
        assert refunded > paid or request_u <= 0 or refunded + requested > paid
    else:
        assert granted == requested
        assert refunded + granted <= paid


@settings(max_examples=60, deadline=None)
@given(bookings(), st.data())
def test_refunding_lines_one_by_one_never_exceeds_the_total(
    booking: tuple[list[LineInput], str, BookingFee | None, Voucher | None], data: st.DataObject
) -> None:
    lines, cur, fee, voucher = booking
    b = compute_breakdown(lines, currency=cur, booking_fee=fee, voucher=voucher)
    if not b.lines:
        return
    done: dict[int, Money] = {}
    for ln in b.lines:
        left = refundable_for_lines([ln], done)
        if left.is_positive():
            part = Money.from_minor_units(data.draw(st.integers(1, left.to_minor_units())), cur)
            done[ln.line_no] = done.get(ln.line_no, Money.zero(cur)) + refundable(
                ln.gross, done.get(ln.line_no, Money.zero(cur)), part
            )
    assert _sum(list(done.values()), cur) <= b.total
    assert refundable_for_lines(b.lines, done) == b.total - _sum(list(done.values()), cur)
