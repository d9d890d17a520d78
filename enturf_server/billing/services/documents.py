"""The documents a paid booking or a completed refund gets from the apps above billing:
ticketing signs the lines' ticket codes, invoicing issues the invoice or credit note.

Billing triggers them without knowing them: those apps register here from their
`AppConfig.ready()` (`TicketingConfig`, `InvoicingConfig`), and billing calls
:func:`booking_paid` in the transaction in which a booking becomes paid and
:func:`refund_completed` in the one in which a refund completes. Registered steps run
in `order` (ticket codes before the invoice); with none registered, nothing runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_on_paid: list[tuple[int, Callable[..., Any]]] = []
_on_refund: list[tuple[int, Callable[..., Any]]] = []


def _add(steps: list[tuple[int, Callable[..., Any]]], order: int, fn: Callable[..., Any]) -> None:
    if all(step is not fn for _order, step in steps):
        steps.append((order, fn))
        steps.sort(key=lambda entry: entry[0])


def when_booking_paid(fn: Callable[..., Any], *, order: int) -> None:
    """Run `fn(booking=)` whenever a booking becomes paid."""
    _add(_on_paid, order, fn)


def when_refund_completed(fn: Callable[..., Any], *, order: int) -> None:
    """Run `fn(refund=)` whenever a refund of a paid booking completes."""
    _add(_on_refund, order, fn)


def booking_paid(*, booking) -> None:
    for _order, step in _on_paid:
        step(booking=booking)


def refund_completed(*, refund) -> None:
    for _order, step in _on_refund:
        step(refund=refund)
