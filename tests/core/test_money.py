"""Money: exact amounts, explicit rounding, same-currency arithmetic, exact allocation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enturf_core.money import (
    CURRENCY_EXPONENTS,
    CurrencyMismatchError,
    Money,
    currency_exponent,
)

CURRENCIES = ["EUR", "USD", "GBP", "JPY", "KWD", "CHF"]


def eur(text: str) -> Money:
    return Money(text, "EUR")


def test_floats_are_refused_with_a_clear_type_error() -> None:
    with pytest.raises(TypeError, match="float"):
        Money(12.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        eur("1.00") * 1.5
    with pytest.raises(TypeError):
        Money(True, "EUR")  # type: ignore[arg-type]


def test_construction_and_validation() -> None:
    assert Money(12, "eur") == eur("12.00")
    assert Money(Decimal("12.5"), "EUR").currency == "EUR"
    with pytest.raises(ValueError, match="unknown currency"):
        Money("1", "XXY")
    with pytest.raises(ValueError, match="finite"):
        Money(Decimal("NaN"), "EUR")
    with pytest.raises(ValueError, match="plain decimal"):
        Money("1e3", "EUR")
    assert str(-eur("0.00")) == "0.00 EUR"  # never a negative zero


def test_currency_exponents() -> None:
    assert currency_exponent("EUR") == 2
    assert currency_exponent("usd") == 2
    assert currency_exponent("GBP") == 2
    assert currency_exponent("JPY") == 0
    assert currency_exponent("KWD") == 3
    assert all(exp in (0, 2, 3, 4) for exp in CURRENCY_EXPONENTS.values())


def test_quantize_rounds_half_up_away_from_zero() -> None:
    assert eur("0.125").quantize() == eur("0.13")
    assert eur("0.124").quantize() == eur("0.12")
    assert eur("-0.125").quantize() == eur("-0.13")
    assert Money("12.5", "JPY").quantize() == Money("13", "JPY")
    assert Money("1.0005", "KWD").quantize() == Money("1.001", "KWD")


def test_arithmetic_and_comparisons_within_one_currency() -> None:
    assert eur("12.50") + eur("0.75") == eur("13.25")
    assert eur("1.00") - eur("2.50") == eur("-1.50")
    assert eur("2.50") * 3 == eur("7.50") == 3 * eur("2.50")
    assert eur("10.00") * Decimal("0.19") == eur("1.9")
    assert -eur("1.00") == eur("-1") and abs(eur("-1")) == eur("1")
    assert eur("1.00") < eur("1.01") <= eur("1.01") and eur("2") > eur("1") >= eur("1")
    assert Money.total([eur("1.10"), eur("2.20")], "EUR") == eur("3.30")
    assert Money.total([], "EUR") == Money.zero("EUR")
    assert eur("12.5") == eur("12.50") and hash(eur("12.5")) == hash(eur("12.50"))


def test_mixing_currencies_raises() -> None:
    usd = Money("1.00", "USD")
    for op in (
        lambda: eur("1.00") + usd,
        lambda: eur("1.00") - usd,
        lambda: eur("1.00") < usd,
        lambda: eur("1.00") >= usd,
    ):
        with pytest.raises(CurrencyMismatchError):
            op()
    assert eur("1.00") != usd
    with pytest.raises(TypeError):
        eur("1.00") * eur("1.00")


def test_minor_units() -> None:
    assert eur("12.50").to_minor_units() == 1250
    assert Money("500", "JPY").to_minor_units() == 500
    assert Money.from_minor_units(1250, "EUR") == eur("12.50")
    assert Money.from_minor_units(-7, "KWD") == Money("-0.007", "KWD")
    with pytest.raises(ValueError, match="quantize"):
        eur("0.125").to_minor_units()
    with pytest.raises(TypeError):
        Money.from_minor_units("12", "EUR")  # type: ignore[arg-type]


def test_parse() -> None:
    assert Money.parse("12.50 EUR") == eur("12.50")
    assert Money.parse("EUR 12.5") == eur("12.50")
    assert Money.parse("12.5", "eur") == eur("12.50")
    assert Money.parse(" -3 USD ") == Money("-3.00", "USD")
    assert str(Money.parse("1250 JPY")) == "1250 JPY"
    for bad in ("12,50 EUR", "1e2 EUR", "€12.50", "EUR 1 EUR", "12.50", ""):
        with pytest.raises(ValueError):
            Money.parse(bad)
    with pytest.raises(ValueError, match="decimals"):
        Money.parse("12.505 EUR")
    with pytest.raises(CurrencyMismatchError):
        Money.parse("12.50 USD", "EUR")


def test_format_and_str() -> None:
    assert eur("12.5").format() == "€12.50"
    assert Money("-3", "USD").format() == "-$3.00"
    assert Money("7.25", "GBP").format() == "£7.25"
    assert Money("1250", "JPY").format() == "¥1250"
    assert Money("12.5", "CHF").format() == "12.50 CHF"
    assert eur("0.125").format() == "€0.13"
    assert str(eur("12.5")) == "12.50 EUR"
    assert str(eur("1.234")) == "1.234 EUR"  # str is exact, format rounds
    assert repr(eur("12.5")) == "Money('12.50', 'EUR')"
    assert f"{eur('1')}" == "1.00 EUR"


def test_allocate_examples() -> None:
    assert eur("10.00").allocate([1, 1, 1]) == [eur("3.34"), eur("3.33"), eur("3.33")]
    assert eur("0.05").allocate([3, 7]) == [eur("0.02"), eur("0.03")]
    assert eur("-10.00").allocate([1, 1, 1]) == [eur("-3.34"), eur("-3.33"), eur("-3.33")]
    assert eur("5.00").allocate([0, 1]) == [eur("0.00"), eur("5.00")]
    assert Money("100", "JPY").allocate([Decimal("1.5"), 1]) == [
        Money("60", "JPY"),
        Money("40", "JPY"),
    ]
    with pytest.raises(ValueError):
        eur("1").allocate([])
    with pytest.raises(ValueError):
        eur("1").allocate([0, 0])
    with pytest.raises(ValueError):
        eur("1").allocate([1, -1])
    with pytest.raises(ValueError):
        eur("0.005").allocate([1])


@st.composite
def money(draw: st.DrawFn, currency: str | None = None) -> Money:
    code = currency or draw(st.sampled_from(CURRENCIES))
    return Money.from_minor_units(draw(st.integers(-(10**9), 10**9)), code)


@settings(max_examples=200, deadline=None)
@given(money(), st.lists(st.integers(0, 10_000), min_size=1, max_size=12))
def test_allocate_sums_exactly_and_is_fair(amount: Money, weights: list[int]) -> None:
    if sum(weights) == 0:
        weights[0] = 1
    parts = amount.allocate(weights)
    assert len(parts) == len(weights)
    assert Money.total(parts, amount.currency) == amount
    unit = Money.from_minor_units(1, amount.currency)
    total_w = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = amount.amount * weight / total_w
        assert abs(part.amount - exact) < unit.amount  # within one minor unit of fair
        if weight == 0:
            assert part.is_zero()


@settings(max_examples=200, deadline=None)
@given(money(), money())
def test_minor_units_roundtrip_and_parse_roundtrip(a: Money, b: Money) -> None:
    assert Money.from_minor_units(a.to_minor_units(), a.currency) == a
    assert Money.parse(str(a)) == a
    if a.currency == b.currency:
        assert (a + b) - b == a
        assert (a < b) == (a.to_minor_units() < b.to_minor_units())


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-(10**6), max_value=10**6, allow_nan=False, places=6))
def test_quantize_is_within_half_a_minor_unit(value: Decimal) -> None:
    rounded = Money(value, "EUR").quantize()
    assert rounded.is_quantized
    assert abs(rounded.amount - value) <= Decimal("0.005")
    assert Money(-value, "EUR").quantize() == -rounded  # symmetric around zero


def test_core_modules_import_neither_django_nor_qt() -> None:
    import subprocess
    import sys

    script = (
        "import sys, enturf_core.money, enturf_core.ticket_codes;"
        "import enturf_core.pricing.overrides, enturf_core.pricing.refunds;"
        "import enturf_core.seating.best_available, enturf_core.seating.grid;"
        "bad = [m for m in sys.modules"
        " if m.split('.')[0] in ('django', 'PySide6', 'rest_framework')];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
