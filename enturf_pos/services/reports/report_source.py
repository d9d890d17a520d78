"""A report from the server when it answers, else the last answer kept on this counter.

Each report is one GET of the server's aggregate endpoints (`report_filters.PATHS`).
An answer is kept per (report, filters) with the time it came (`report_cache`); when
the server cannot be reached, or refuses, the kept answer comes back with that time and
why (`ReportAnswer.message`): the tab shows figures, never an error box."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from enturf_pos.services.reports import report_cache
from enturf_pos.services.reports.report_filters import PATHS
from enturf_pos.services.reports.report_tables import server_time
from enturf_pos.services.session.api_client import ApiError, ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext


@dataclass(frozen=True, slots=True)
class ReportAnswer:
    report: str
    params: dict[str, Any]
    data: dict[str, Any] | None  # None: nothing fetched yet for these filters
    fetched_at: datetime | None
    live: bool  # just fetched; False: the kept answer (or none)
    offline: bool = False  # not live because the server cannot be reached
    message: str = ""  # why it is not live

    @property
    def as_of(self) -> datetime | None:
        """When the server read the figures (`generated_at`), else when they came."""
        generated = server_time((self.data or {}).get("generated_at"))
        return generated or self.fetched_at


def fetch(ctx: PosContext, report: str, params: dict[str, Any]) -> ReportAnswer:
    """Run off the UI thread."""
    client = ctx.user_client()
    if client is None:
        return _kept(ctx, report, params, "Not connected to the server.", offline=True)
    try:
        data = client.request("GET", PATHS[report], params=params)
    except ServerUnreachable as exc:
        return _kept(ctx, report, params, exc.message, offline=True)
    except ApiError as exc:
        return _kept(ctx, report, params, exc.message)
    finally:
        client.close()
    if not isinstance(data, dict):
        return _kept(ctx, report, params, "The server's answer was not a report.")
    at = datetime.now(UTC)
    report_cache.keep(ctx.db, report, params, data, at)
    return ReportAnswer(report, dict(params), data, at, live=True)


def kept(ctx: PosContext, report: str, params: dict[str, Any]) -> ReportAnswer:
    """The kept answer without asking the server (what the tab shows first)."""
    return _kept(ctx, report, params, "")


def _kept(
    ctx: PosContext, report: str, params: dict[str, Any], message: str, *, offline: bool = False
) -> ReportAnswer:
    found = report_cache.kept(ctx.db, report, params)
    if found is None:
        return ReportAnswer(report, dict(params), None, None, False, offline, message)
    return ReportAnswer(report, dict(params), found.data, found.fetched_at, False, offline, message)
