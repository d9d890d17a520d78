"""How much may be refunded: never more than was paid, per booking or per line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from enturf_core.money import CurrencyMismatchError, Money
from enturf_core.pricing.breakdown import PricedLine

__all__ = ["RefundError", "RefundExceedsPaidError", "refundable", "refundable_for_lines"]


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
