"""The back office's reports as last fetched from the server, for offline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from enturf_pos.models.base import Base
from enturf_pos.models.column_types import json_dict


class ReportCacheEntry(Base):
    """The server's last answer to one report with one set of filters.

    `report` is the report's name (``sales``, ``occupancy``, ``sales-over-time``);
    `filters_key` the filters as canonical JSON (sorted keys, empty ones left out), so
    the same choice in the Reports tab finds the same row; `fetched_at` when this counter
    received it (the "as of" shown offline)."""

    __tablename__ = "report_cache"

    report: Mapped[str] = mapped_column(String(40), primary_key=True)
    filters_key: Mapped[str] = mapped_column(String(500), primary_key=True)
    filters: Mapped[json_dict]
    data: Mapped[json_dict]
    fetched_at: Mapped[datetime] = mapped_column(index=True)
