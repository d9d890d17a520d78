"""The tickets on sale for an event, as the seat map prices them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

__all__ = ["TicketInfo", "tickets_by_category"]


@dataclass(frozen=True)
class TicketInfo:
    """A ticket on sale: the price of seats of one category (or places in one GA area)."""

    id: int
    name: str
    price: Decimal
    currency: str
    category: str | None = None
    area: int | None = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> TicketInfo:
        return cls(
            id=int(data["id"]),
            name=str(data["name"]),
            price=Decimal(str(data["price"])),
            currency=str(data.get("currency") or "EUR"),
            category=data.get("category") or None,
            area=data.get("area"),
        )


def tickets_by_category(tickets: Sequence[TicketInfo]) -> dict[str, list[TicketInfo]]:
    out: dict[str, list[TicketInfo]] = {}
    for ticket in tickets:
        if ticket.category:
            out.setdefault(ticket.category, []).append(ticket)
    return out
