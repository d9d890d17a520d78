"""Tax in a tax-inclusive amount, and the checks every pricing module applies to tax
rates and prices."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from enturf_core.money import CurrencyMismatchError, Money, round_fraction, to_decimal

__all__ = ["BreakdownError", "checked_price", "checked_rate", "rate_key", "tax_of_gross"]


class BreakdownError(ValueError):
    """A breakdown (or its input) is invalid or internally inconsistent."""


def checked_rate(value: object) -> Decimal:
    """A tax rate as a Decimal percentage in [0, 1000), else BreakdownError."""
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
    rate_f = Fraction(checked_rate(rate))
    exact = Fraction(gross.amount) * rate_f / (100 + rate_f)
    return Money(round_fraction(exact, gross.exponent), gross.currency)


def checked_price(value: object, what: str, currency: str) -> Money:
    """``value`` if it is a non-negative whole-cent Money in ``currency``; ``what`` names
    it in the error."""
    if not isinstance(value, Money):
        raise TypeError(f"{what} must be Money, not {type(value).__name__}")
    if value.currency != currency:
        raise CurrencyMismatchError(f"{what} is in {value.currency}, the booking in {currency}")
    if not value.is_quantized:
        raise BreakdownError(f"{what} {value} has more decimals than {value.currency} allows")
    if value.is_negative():
        raise BreakdownError(f"{what} must not be negative, got {value}")
    return value
