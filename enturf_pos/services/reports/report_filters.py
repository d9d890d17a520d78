"""What a manager chose in the Reports tab, and the query each report takes from it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

SALES = "sales"
OCCUPANCY = "occupancy"
OVER_TIME = "sales-over-time"
REPORTS = (SALES, OCCUPANCY, OVER_TIME)
PATHS = {
    SALES: "api/v1/reports/sales/",
    OCCUPANCY: "api/v1/reports/occupancy/",
    OVER_TIME: "api/v1/reports/sales-over-time/",
}
ACCOUNTING_PATH = "api/v1/reports/accounting/"

# the server's `group_by` values, in the order the tab offers them, with their words
GROUPS: dict[str, str] = {
    "day": "Day",
    "event": "Event",
    "ticket": "Ticket type",
    "category": "Category",
    "channel": "Channel",
    "counter": "Counter",
    "cashier": "Cashier",
    "payment_method": "Payment method",
}


@dataclass(frozen=True, slots=True)
class ReportFilters:
    group_by: str = "event"
    date_from: date | None = None
    date_to: date | None = None
    venue: int | None = None
    event: int | None = None
    compare_event: int | None = None  # the earlier event the pace chart compares with

    def params(self, report: str) -> dict[str, Any]:
        """The query of `report` (empty filters left out): also its key in the cache."""
        if report == SALES:
            raw: dict[str, Any] = {
                "group_by": self.group_by,
                "from": self.date_from.isoformat() if self.date_from else None,
                "to": self.date_to.isoformat() if self.date_to else None,
                "venue": self.venue,
                "event": self.event,
            }
        elif report == OCCUPANCY:
            raw = {"event": self.event}
        elif report == OVER_TIME:
            raw = {"event": self.event, "compare_event": self.compare_event}
        else:
            raise ValueError(f"unknown report {report!r}")
        return {k: v for k, v in raw.items() if v is not None}

    def period_params(self) -> dict[str, Any]:
        """The accounting export's query: the date range and the venue."""
        raw = {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "venue": self.venue,
        }
        return {k: v for k, v in raw.items() if v is not None}


def params_key(params: dict[str, Any]) -> str:
    """The same filters, the same text: sorted keys, no spaces."""
    return json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
