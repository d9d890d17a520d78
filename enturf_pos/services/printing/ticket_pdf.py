"""The counter's ticket layouts: its printer setting chooses ticket stock or A4 sheets;
the drawing is `enturf_core.ticket_pdf`, the one the server's e-mailed tickets use."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from enturf_core.ticket_pdf import TicketDocument, render_ticket_stock, render_tickets_a4


class TicketLayout(StrEnum):
    STOCK = "stock"  # 2 x 5.5 in ticket stock, one per page
    A4 = "a4"  # print-at-home, three per page


def render_tickets(
    tickets: Sequence[TicketDocument], layout: TicketLayout = TicketLayout.STOCK
) -> bytes:
    """The tickets in the chosen layout."""
    if TicketLayout(layout) is TicketLayout.A4:
        return render_tickets_a4(tickets)
    return render_ticket_stock(tickets)
