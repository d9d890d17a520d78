"""Calls into invoicing and ticketing, which billing triggers but does not own.

`issue_invoice(booking=)` and `sign_lines(booking=)` run in the transaction in which a
booking becomes paid; `issue_credit_note(refund=)` in the one in which a refund completes.
Imported lazily: until an app provides its function the call is skipped (never an error
that would block a payment); once it exists it always runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def _service(module: str, name: str) -> Callable[..., Any] | None:
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return None
        raise
    return getattr(loaded, name, None)


def sign_lines(*, booking) -> None:
    if (sign := _service("enturf_server.ticketing.services", "sign_lines")) is not None:
        sign(booking=booking)


def issue_invoice(*, booking) -> Any:
    if (issue := _service("enturf_server.invoicing.services", "issue_invoice")) is not None:
        return issue(booking=booking)
    return None


def issue_credit_note(*, refund) -> Any:
    if (issue := _service("enturf_server.invoicing.services", "issue_credit_note")) is not None:
        return issue(refund=refund)
    return None
