"""A manager's edits of tickets on this counter: written locally with their outbox op.

Like `event_edits`: the op carries the ticket's version and the old values of the
edited fields, so the server merges other fields and reports a conflict on the same one.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from enturf_core.wire import ops as wire
from enturf_pos.models import Ticket
from enturf_pos.services.catalog.local_edits import EditResult, record_edit
from enturf_pos.services.session.pos_context import PosContext

EDITABLE_FIELDS = ("name", "price", "tax_rate", "active")
OP_TYPE = wire.TICKET_UPDATE
NAME_MAX = 100
PRICE_MAX = Decimal("9999999999.99")
CENT = Decimal("0.01")


def parse_amount(text: Any, what: str) -> Decimal:
    """A price or rate typed by a person ("12,50" too); ValueError with a clear message."""
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, float):
        raise ValueError(f"{what} must be given exactly, not as a float.")
    else:
        raw = str(text).strip().replace(" ", "")
        if raw.count(",") == 1 and "." not in raw:
            raw = raw.replace(",", ".")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ValueError(f"{what} must be a number, such as 12.50.") from None
    if not value.is_finite():
        raise ValueError(f"{what} must be a number, such as 12.50.")
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"{what} has at most two decimals.")
    return value.quantize(CENT)  # "27" is stored and sent as 27.00, as the server has it


def _problem(changes: dict[str, Any]) -> str | None:
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        return f"These fields cannot be edited here: {', '.join(unknown)}."
    if "name" in changes:
        name = str(changes["name"]).strip()
        if not name:
            return "A ticket needs a name."
        if len(name) > NAME_MAX:
            return f"A ticket's name has at most {NAME_MAX} characters."
    if "price" in changes and not (Decimal(0) <= changes["price"] <= PRICE_MAX):
        return "The price cannot be negative."
    if "tax_rate" in changes and not (Decimal(0) <= changes["tax_rate"] <= Decimal(100)):
        return "The tax rate is a percentage from 0 to 100."
    if "active" in changes and not isinstance(changes["active"], bool):
        return "Active is yes or no."
    return None


def edit_ticket(*, ctx: PosContext, ticket_id: int, changes: dict[str, Any]) -> EditResult:
    """Change fields of a ticket here and queue the change for the server, atomically.

    `price` and `tax_rate` may be text as typed ("12,50") or `Decimal`."""
    changes = dict(changes)
    try:
        for name, what in (("price", "The price"), ("tax_rate", "The tax rate")):
            if name in changes:
                changes[name] = parse_amount(changes[name], what)
    except ValueError as exc:
        return EditResult(False, str(exc))
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
    if problem := _problem(changes):
        return EditResult(False, problem)
    return record_edit(
        ctx=ctx,
        model=Ticket,
        row_id=ticket_id,
        changes=changes,
        op_type=OP_TYPE,
        missing="This ticket is no longer on this counter.",
    )
