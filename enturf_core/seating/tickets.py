"""The tickets on sale for an event, as the seat map prices them."""

from __future__ import annotations

from collections.abc import Sequence

from enturf_core.wire.feed import Ticket

__all__ = ["TicketInfo", "tickets_by_category"]

# The one ticket type is `enturf_core.wire.feed.Ticket`; this name stays while the cashier
# window (ui/cashier/window.py) still builds one from the cart's tickets.
TicketInfo = Ticket


def tickets_by_category(tickets: Sequence[Ticket]) -> dict[str, list[Ticket]]:
    out: dict[str, list[Ticket]] = {}
    for ticket in tickets:
        if ticket.category:
            out.setdefault(ticket.category, []).append(ticket)
    return out
