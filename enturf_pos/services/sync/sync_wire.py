"""Values between the server's wire form (JSON of the API) and the local columns.

One place that knows how an event's or a ticket's fields travel: the change feed, the
push ops of managers' edits and the conflict dialog all convert through here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

EVENT_TIME_FIELDS = ("starts_at", "ends_at", "sales_start", "sales_end")
TICKET_DECIMAL_FIELDS = ("price", "tax_rate")


def parse_time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_decimal(value: Any) -> Decimal:
    if isinstance(value, float):
        raise TypeError("money travels as text, never as a float")
    return Decimal(str(value))


def to_wire(value: Any) -> Any:
    """A local value in the API's form (times ISO 8601, decimals as text)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def event_field(name: str, value: Any) -> Any:
    """A wire value of an event field as the local column holds it."""
    return parse_time(value) if name in EVENT_TIME_FIELDS else value


def ticket_field(name: str, value: Any) -> Any:
    if name in TICKET_DECIMAL_FIELDS:
        return parse_decimal(value)
    if name == "area":
        return None if value is None else int(value)
    return value


def ticket_column(name: str) -> str:
    """The local column of a ticket's API field (`area` is stored as `area_id`)."""
    return "area_id" if name == "area" else name
