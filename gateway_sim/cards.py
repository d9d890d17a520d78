"""Stripe's test payment methods and test card numbers, and what each one does.

Only the outcome and the few card facts a receipt needs are kept: brand, last
four digits, expiry. A card number given to the simulator's test helper is
used to pick the outcome and is never stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Decline:
    code: str  # error code, e.g. card_declined or expired_card
    decline_code: str
    message: str
    param: str | None = None


@dataclass(frozen=True)
class TestCard:
    brand: str
    last4: str
    funding: str = "credit"
    country: str = "US"
    decline: Decline | None = None

    @property
    def exp_month(self) -> int:
        return 12

    @property
    def exp_year(self) -> int:
        return dt.date.today().year + 3


GENERIC = Decline("card_declined", "generic_decline", "Your card was declined.")
INSUFFICIENT = Decline("card_declined", "insufficient_funds", "Your card has insufficient funds.")
EXPIRED = Decline("expired_card", "expired_card", "Your card has expired.", "exp_month")
INCORRECT_CVC = Decline(
    "incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect.", "cvc"
)
PROCESSING = Decline(
    "processing_error",
    "processing_error",
    "An error occurred while processing your card. Try again in a little bit.",
)
LOST = Decline("card_declined", "lost_card", "Your card was declined.")
STOLEN = Decline("card_declined", "stolen_card", "Your card was declined.")
FRAUDULENT = Decline("card_declined", "fraudulent", "Your card was declined.")

VISA = TestCard("visa", "4242")

# Test PaymentMethod ids and legacy token ids (tok_...) Stripe accepts in test mode.
_PAYMENT_METHODS: dict[str, TestCard] = {
    "visa": VISA,
    "visa_debit": TestCard("visa", "5556", funding="debit"),
    "mastercard": TestCard("mastercard", "4444"),
    "amex": TestCard("amex", "8431"),
    "chargeDeclined": TestCard("visa", "0002", decline=GENERIC),
    "visa_chargeDeclined": TestCard("visa", "0002", decline=GENERIC),
    "chargeDeclinedInsufficientFunds": TestCard("visa", "9995", decline=INSUFFICIENT),
    "visa_chargeDeclinedInsufficientFunds": TestCard("visa", "9995", decline=INSUFFICIENT),
    "chargeDeclinedExpiredCard": TestCard("visa", "0069", decline=EXPIRED),
    "visa_chargeDeclinedExpiredCard": TestCard("visa", "0069", decline=EXPIRED),
    "chargeDeclinedIncorrectCvc": TestCard("visa", "0127", decline=INCORRECT_CVC),
    "visa_chargeDeclinedIncorrectCvc": TestCard("visa", "0127", decline=INCORRECT_CVC),
    "chargeDeclinedProcessingError": TestCard("visa", "0119", decline=PROCESSING),
    "visa_chargeDeclinedProcessingError": TestCard("visa", "0119", decline=PROCESSING),
    "chargeDeclinedLostCard": TestCard("visa", "9987", decline=LOST),
    "visa_chargeDeclinedLostCard": TestCard("visa", "9987", decline=LOST),
    "chargeDeclinedStolenCard": TestCard("visa", "9979", decline=STOLEN),
    "visa_chargeDeclinedStolenCard": TestCard("visa", "9979", decline=STOLEN),
    "chargeDeclinedFraudulent": TestCard("visa", "0019", decline=FRAUDULENT),
    "visa_chargeDeclinedFraudulent": TestCard("visa", "0019", decline=FRAUDULENT),
}

# Physical test cards for card-present payments (present_payment_method).
_CARD_NUMBERS: dict[str, TestCard] = {
    "4242424242424242": VISA,
    "4000056655665556": TestCard("visa", "5556", funding="debit"),
    "5555555555554444": TestCard("mastercard", "4444"),
    "378282246310005": TestCard("amex", "0005"),
    "4000000000000002": TestCard("visa", "0002", decline=GENERIC),
    "4000000000009995": TestCard("visa", "9995", decline=INSUFFICIENT),
    "4000000000000069": TestCard("visa", "0069", decline=EXPIRED),
    "4000000000000119": TestCard("visa", "0119", decline=PROCESSING),
    "4000000000009987": TestCard("visa", "9987", decline=LOST),
    "4000000000009979": TestCard("visa", "9979", decline=STOLEN),
}


def card_for_payment_method(payment_method: str) -> TestCard | None:
    """The test card behind ``pm_card_visa``, ``tok_chargeDeclined`` and friends."""
    for prefix in ("pm_card_", "tok_"):
        if payment_method.startswith(prefix):
            return _PAYMENT_METHODS.get(payment_method[len(prefix) :])
    return None


def card_for_number(number: str) -> TestCard | None:
    """The outcome of presenting a physical test card; ``None`` if the number is not valid."""
    digits = number.replace(" ", "")
    if digits in _CARD_NUMBERS:
        return _CARD_NUMBERS[digits]
    if not digits.isdigit() or not 13 <= len(digits) <= 19 or not _luhn_ok(digits):
        return None
    # Any other valid number approves, as on Stripe's simulated readers.
    return TestCard(_brand(digits), digits[-4:])


def _brand(digits: str) -> str:
    if digits.startswith("4"):
        return "visa"
    if digits[:2] in {"34", "37"}:
        return "amex"
    if digits[:2] in {"51", "52", "53", "54", "55"} or 2221 <= int(digits[:4]) <= 2720:
        return "mastercard"
    if digits.startswith(("6011", "65")):
        return "discover"
    return "unknown"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0
