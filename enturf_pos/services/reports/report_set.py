"""Every figure the Reports tab shows for one choice of filters, fetched together off
the UI thread: the sales by the chosen group, the channel mix, and for one event its
occupancy and sales over time (with the event it is compared with); each from the
server or, when it cannot answer, as last kept; and what this counter sold since the
oldest of those figures."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from enturf_pos.services.reports import counter_since, report_source
from enturf_pos.services.reports.counter_since import CounterSince
from enturf_pos.services.reports.report_filters import OCCUPANCY, OVER_TIME, SALES, ReportFilters
from enturf_pos.services.reports.report_source import ReportAnswer
from enturf_pos.services.session.pos_context import PosContext


@dataclass(frozen=True)
class ReportSet:
    filters: ReportFilters
    sales: ReportAnswer
    channels: ReportAnswer
    occupancy: ReportAnswer | None  # None: no event chosen
    over_time: ReportAnswer | None
    since: CounterSince

    def answers(self) -> list[ReportAnswer]:
        return [a for a in (self.sales, self.channels, self.occupancy, self.over_time) if a]

    @property
    def live(self) -> bool:
        return all(a.live for a in self.answers())

    @property
    def offline(self) -> bool:
        return any(a.offline for a in self.answers())

    @property
    def as_of(self) -> datetime | None:
        """The time of the oldest figures shown (None: some were never fetched)."""
        times = [a.as_of for a in self.answers()]
        return None if not times or None in times else min(times)  # type: ignore[type-var]

    @property
    def message(self) -> str:
        return next((a.message for a in self.answers() if a.message), "")

    @property
    def currency(self) -> str:
        data = self.sales.data or {}
        return str(data.get("currency") or self.since.currency)


def load(ctx: PosContext, filters: ReportFilters, *, ask_server: bool = True) -> ReportSet:
    """Run off the UI thread. `ask_server` False: only what is kept (instant)."""

    def get(report: str, chosen: ReportFilters) -> ReportAnswer:
        params = chosen.params(report)
        if ask_server:
            return report_source.fetch(ctx, report, params)
        return report_source.kept(ctx, report, params)

    sales = get(SALES, filters)
    if filters.group_by == "channel":
        channels = sales
    else:
        channels = get(SALES, replace(filters, group_by="channel"))
        if sales.offline and not channels.offline:  # the server went away meanwhile
            channels = replace(channels, offline=True)
    occupancy = over_time = None
    if filters.event is not None:
        occupancy = get(OCCUPANCY, filters)
        over_time = get(OVER_TIME, filters)
    answers = [a for a in (sales, channels, occupancy, over_time) if a is not None]
    times = [a.as_of for a in answers if a.as_of is not None]
    since = counter_since.sold_since(
        ctx,
        min(times) if times else None,
        event_id=filters.event,
        venue_id=filters.venue,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    return ReportSet(filters, sales, channels, occupancy, over_time, since)
