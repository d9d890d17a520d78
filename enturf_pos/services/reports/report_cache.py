"""The last answer of each report and filters, kept in the local database (table
`report_cache`) with the time this counter received it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from enturf_pos.models import ReportCacheEntry
from enturf_pos.models.database import Database
from enturf_pos.services.reports.report_filters import params_key


@dataclass(frozen=True, slots=True)
class Kept:
    data: dict[str, Any]
    fetched_at: datetime


def keep(db: Database, report: str, params: dict[str, Any], data: Any, at: datetime) -> None:
    key = params_key(params)
    with db.transaction() as session:
        entry = session.get(ReportCacheEntry, (report, key)) or ReportCacheEntry(
            report=report, filters_key=key
        )
        entry.filters = dict(params)
        entry.data = data if isinstance(data, dict) else {"value": data}
        entry.fetched_at = at
        session.add(entry)


def kept(db: Database, report: str, params: dict[str, Any]) -> Kept | None:
    with db.transaction() as session:
        entry = session.get(ReportCacheEntry, (report, params_key(params)))
        if entry is None:
            return None
        return Kept(dict(entry.data or {}), entry.fetched_at)
