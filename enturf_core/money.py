"""Money: a Decimal amount with an ISO 4217 currency, never a float.

Rules (shared by server and POS, see ``docs/money-and-pricing.md``):

* The amount is a :class:`~decimal.Decimal`. ``int`` and ``str`` are accepted and converted;
  ``float`` is refused with a :class:`TypeError`, because a float cannot represent most
  cent values exactly.
* A ``Money`` may carry more decimals than its currency has while a computation is in
  progress; :meth:`Money.quantize` rounds it to the currency's exponent with
  :data:`ROUNDING` (``ROUND_HALF_UP``: half a minor unit rounds away from zero, so
  ``0.125 -> 0.13`` and ``-0.125 -> -0.13``). Nothing rounds implicitly: operations that
  need whole minor units (:meth:`Money.to_minor_units`, :meth:`Money.allocate`) refuse an
  unrounded amount instead of rounding it silently.
* Arithmetic and ordering work only between amounts of the same currency; mixing raises
  :class:`CurrencyMismatchError`. Equality between different currencies is simply ``False``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

__all__ = [
    "CURRENCY_EXPONENTS",
    "ROUNDING",
    "CurrencyMismatchError",
    "Money",
    "currency_exponent",
    "round_fraction",
    "to_decimal",
]

#: The one rounding mode used for money in Enturf: half a minor unit rounds away from zero.
ROUNDING = ROUND_HALF_UP

_ZERO_DECIMAL = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE_DECIMAL = "BHD IQD JOD KWD LYD OMR TND"
_FOUR_DECIMAL = "CLF UYW"
_TWO_DECIMAL = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN "
    "BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS "
    "GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR "
    "LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD "
    "PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN "
    "SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD XCG YER ZAR ZMW "
    "ZWG ZWL"
)

#: ISO 4217 minor-unit exponents of the currencies Enturf accepts.
CURRENCY_EXPONENTS: dict[str, int] = {
    **{code: 2 for code in _TWO_DECIMAL.split()},
    **{code: 0 for code in _ZERO_DECIMAL.split()},
    **{code: 3 for code in _THREE_DECIMAL.split()},
    **{code: 4 for code in _FOUR_DECIMAL.split()},
}

# Receipt symbols; every other currency is written after the amount ("12.50 CHF").
_SYMBOLS: dict[str, str] = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}

_AMOUNT_RE = re.compile(r"[+-]?\d+(?:\.\d+)?")
_PARSE_RE = re.compile(
    r"^\s*(?:(?P<pre>[A-Za-z]{3})\s+)?"
    r"(?P<amount>[+-]?\d+(?:\.\d+)?)"
    r"(?:\s+(?P<post>[A-Za-z]{3}))?\s*$"
)


class CurrencyMismatchError(ValueError):
    """Raised when amounts of different currencies are combined or compared."""


def currency_exponent(currency: str) -> int:
    """Return the number of minor-unit digits of ``currency`` (EUR 2, JPY 0, KWD 3).

    Raises :class:`ValueError` for a code Enturf does not know.
    """
    code = _normalise_currency(currency)
    return CURRENCY_EXPONENTS[code]


def _normalise_currency(currency: object) -> str:
    if not isinstance(currency, str):
        raise TypeError(f"currency must be an ISO 4217 code string, not {type(currency).__name__}")
    code = currency.strip().upper()
    if code not in CURRENCY_EXPONENTS:
        raise ValueError(f"unknown currency {currency!r}: expected an ISO 4217 code such as EUR")
    return code


def to_decimal(value: object, what: str = "amount") -> Decimal:
    """Convert an ``int``, ``str`` or ``Decimal`` to a finite Decimal; refuse floats (and bools)
    with a :class:`TypeError` and text that is not a plain decimal with a :class:`ValueError`."""
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a Decimal, int or str, not bool")
    if isinstance(value, float):
        raise TypeError(
            f"{what} must not be a float ({value!r}): floats cannot hold money exactly; "
            f"pass a Decimal or a string such as Decimal('12.50')"
        )
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if not _AMOUNT_RE.fullmatch(text):
            raise ValueError(f"{what} {value!r} is not a plain decimal number like '12.50'")
        result = Decimal(text)
    else:
        raise TypeError(f"{what} must be a Decimal, int or str, not {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"{what} must be a finite number, not {value!r}")
    return result


def round_fraction(value: Fraction, exponent: int) -> Decimal:
    """Round an exact rational ``value`` to ``exponent`` decimals with :data:`ROUNDING`.

    Used where a quotient must be rounded exactly once (taxes, percentages), so that no
    intermediate Decimal rounding can change the result.
    """
    scaled = abs(value) * 10**exponent
    units = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)
    if value < 0:
        units = -units
    return Decimal(units).scaleb(-exponent)


@dataclass(frozen=True, slots=True, init=False, repr=False)
class Money:
    """An immutable amount of money in one currency.

    >>> Money("12.50", "EUR") + Money("0.75", "EUR")
    Money('13.25', 'EUR')
    """

    amount: Decimal
    currency: str

    def __init__(self, amount: Decimal | int | str, currency: str) -> None:
        value = to_decimal(amount)
        if value.is_zero() and value.is_signed():
            value = value.copy_abs()  # no "-0.00" on a receipt
        object.__setattr__(self, "amount", value)
        object.__setattr__(self, "currency", _normalise_currency(currency))

    # -- construction -----------------------------------------------------------------------

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero in ``currency``."""
        return cls(0, currency).quantize()

    @classmethod
    def from_minor_units(cls, units: int, currency: str) -> Money:
        """Build from integer minor units (cents), as card gateways speak: ``1250`` -> 12.50."""
        if isinstance(units, bool) or not isinstance(units, int):
            raise TypeError(f"minor units must be an int, not {type(units).__name__}")
        code = _normalise_currency(currency)
        return cls(Decimal(units).scaleb(-CURRENCY_EXPONENTS[code]), code).quantize()

    @classmethod
    def parse(cls, text: str, currency: str | None = None) -> Money:
        """Parse ``"12.50 EUR"``, ``"EUR 12.50"`` or ``"12.50"`` (with ``currency`` given).

        Strict on purpose, for data crossing a boundary: no thousands separators, no
        exponents, no symbols, and no more decimals than the currency has.
        """
        if not isinstance(text, str):
            raise TypeError(f"Money.parse expects a string, not {type(text).__name__}")
        match = _PARSE_RE.match(text)
        if match is None or (match["pre"] and match["post"]):
            raise ValueError(f"cannot read {text!r} as money: expected e.g. '12.50 EUR'")
        found = match["pre"] or match["post"]
        if found and currency and _normalise_currency(found) != _normalise_currency(currency):
            raise CurrencyMismatchError(f"{text!r} is not in the expected currency {currency}")
        code = found or currency
        if not code:
            raise ValueError(f"{text!r} has no currency: write e.g. '{text.strip()} EUR'")
        money = cls(match["amount"], code)
        if not money.is_quantized:
            raise ValueError(
                f"{text!r} has more decimals than {money.currency} allows "
                f"({CURRENCY_EXPONENTS[money.currency]})"
            )
        return money.quantize()

    @classmethod
    def total(cls, items: Iterable[Money], currency: str) -> Money:
        """Sum ``items`` (all in ``currency``); the sum of nothing is zero."""
        result = cls.zero(currency)
        for item in items:
            result = result + item
        return result

    # -- rounding and minor units ------------------------------------------------------------

    @property
    def exponent(self) -> int:
        """Minor-unit digits of this amount's currency."""
        return CURRENCY_EXPONENTS[self.currency]

    def quantize(self) -> Money:
        """Round to the currency's minor unit with :data:`ROUNDING` (ROUND_HALF_UP)."""
        exp = Decimal(1).scaleb(-self.exponent)
        return Money(self.amount.quantize(exp, rounding=ROUNDING), self.currency)

    @property
    def is_quantized(self) -> bool:
        """True when the amount is a whole number of minor units (no rounding needed)."""
        return self.amount == self.amount.quantize(
            Decimal(1).scaleb(-self.exponent), rounding=ROUNDING
        )

    def to_minor_units(self) -> int:
        """Return the amount in integer minor units (12.50 EUR -> 1250, 500 JPY -> 500).

        Raises :class:`ValueError` when the amount is not a whole number of minor units:
        call :meth:`quantize` first if rounding is intended.
        """
        if not self.is_quantized:
            raise ValueError(f"{self} is not a whole number of minor units; quantize() it first")
        return int(self.amount.scaleb(self.exponent))

    # -- arithmetic --------------------------------------------------------------------------

    def _same_currency(self, other: Money, op: str) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(
                f"cannot {op} {self.currency} and {other.currency} amounts: {self} vs {other}"
            )

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "add")
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "subtract")
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: object) -> Money:
        if isinstance(factor, Money):
            raise TypeError("cannot multiply money by money")
        if isinstance(factor, float):
            raise TypeError(f"cannot multiply money by a float ({factor!r}); use a Decimal")
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal):
            return NotImplemented
        return Money(self.amount * to_decimal(factor, "factor"), self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    # -- ordering ----------------------------------------------------------------------------

    def _compare(self, other: object, op: str) -> Any:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "compare")
        return getattr(self.amount, op)(other.amount)

    def __lt__(self, other: object) -> bool:
        return self._compare(other, "__lt__")

    def __le__(self, other: object) -> bool:
        return self._compare(other, "__le__")

    def __gt__(self, other: object) -> bool:
        return self._compare(other, "__gt__")

    def __ge__(self, other: object) -> bool:
        return self._compare(other, "__ge__")

    def is_zero(self) -> bool:
        return self.amount == 0

    def is_negative(self) -> bool:
        return self.amount < 0

    def is_positive(self) -> bool:
        return self.amount > 0

    # -- splitting ---------------------------------------------------------------------------

    def allocate(self, weights: Sequence[int | Decimal]) -> list[Money]:
        """Split into ``len(weights)`` parts proportional to ``weights`` that sum exactly.

        Largest-remainder method in minor units: every part first gets the floor of its
        exact share, then the leftover minor units go one each to the parts with the largest
        fractional remainders (ties to the earlier part). ``Money("10.00", "EUR")
        .allocate([1, 1, 1])`` gives 3.34, 3.33, 3.33. A part with weight 0 gets nothing.
        A negative amount is split like its absolute value and negated.
        """
        if not weights:
            raise ValueError("allocate needs at least one weight")
        fractions: list[Fraction] = []
        for weight in weights:
            dec = to_decimal(weight, "weight")
            if dec < 0:
                raise ValueError(f"allocation weights must not be negative, got {weight}")
            fractions.append(Fraction(dec))
        total_weight = sum(fractions, Fraction(0))
        if total_weight == 0:
            raise ValueError("allocation weights must not all be zero")
        units = self.to_minor_units()
        sign = -1 if units < 0 else 1
        units = abs(units)
        exact = [units * w / total_weight for w in fractions]
        shares = [share.numerator // share.denominator for share in exact]
        leftover = units - sum(shares)
        order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
        for i in order[:leftover]:
            shares[i] += 1
        return [Money.from_minor_units(sign * share, self.currency) for share in shares]

    # -- text --------------------------------------------------------------------------------

    def amount_text(self) -> str:
        """The exact amount without currency, padded to the minor unit: ``"12.50"``,
        ``"1.234"`` (an unrounded amount keeps its digits). Used for dicts and JSON."""
        quantized = self.quantize().amount
        value = quantized if quantized == self.amount else self.amount
        return format(value, "f")

    def format(self) -> str:
        """Receipt text, locale-free, rounded to the minor unit: ``€12.50``, ``-$3.00``,
        ``¥1250``, ``12.50 CHF``."""
        quantized = self.quantize().amount
        digits = format(abs(quantized), "f")
        sign = "-" if quantized < 0 else ""
        symbol = _SYMBOLS.get(self.currency)
        if symbol:
            return f"{sign}{symbol}{digits}"
        return f"{sign}{digits} {self.currency}"

    def __str__(self) -> str:
        """Exact, parseable text: ``12.50 EUR``."""
        return f"{self.amount_text()} {self.currency}"

    def __repr__(self) -> str:
        return f"Money({self.amount_text()!r}, {self.currency!r})"

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else format(str(self), spec)
