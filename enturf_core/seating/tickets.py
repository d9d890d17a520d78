"""The tickets on sale for an event, as the seat map prices them (the one ticket type is
`enturf_core.wire.feed.Ticket`)."""

from __future__ import annotations

from collections.abc import Sequence

from enturf_core.wire.feed import Ticket


def tickets_by_category(tickets: Sequence[Ticket]) -> dict[str, list[Ticket]]:
    out: dict[str, list[Ticket]] = {}
    for ticket in tickets:
        if ticket.category:
            out.setdefault(ticket.category, []).append(ticket)
    return out
