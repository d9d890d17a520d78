"""Reports API: read-only aggregates for the POS Reports tab (docs/reports.md)."""

from __future__ import annotations

from itertools import chain

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from enturf_core.staff_rights import Right
from enturf_server.accounts.rights import HasRight
from enturf_server.api.inputs import validated
from enturf_server.reports.accounting import accounting_csv_chunks
from enturf_server.reports.occupancy import occupancy_report
from enturf_server.reports.pace import sales_over_time
from enturf_server.reports.queries import (
    GROUPS,
    AccountingQuery,
    OccupancyQuery,
    SalesOverTimeQuery,
    SalesQuery,
)
from enturf_server.reports.sales import sales_report
from enturf_server.reports.scope import Period, report_zone
from enturf_server.reports.serializers import (
    OccupancyOutput,
    SalesOverTimeOutput,
    SalesReportOutput,
)

_PERIOD = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="first day (venue's zone)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last day, inclusive"),
    OpenApiParameter("venue", int),
]


class ReportView(APIView):
    permission_classes = [HasRight(Right.VIEW_REPORTS)]


class SalesReportView(ReportView):
    @extend_schema(
        parameters=[
            OpenApiParameter("group_by", str, enum=list(GROUPS), required=True),
            *_PERIOD,
            OpenApiParameter("event", int),
        ],
        responses=SalesReportOutput,
    )
    def get(self, request):
        q = validated(SalesQuery, request.query_params)
        report = sales_report(
            group_by=q["group_by"],
            start=q.get("from"),
            end=q.get("to"),
            venue=q.get("venue"),
            event=q.get("event"),
        )
        return Response(SalesReportOutput(report).data)


class OccupancyReportView(ReportView):
    @extend_schema(
        parameters=[OpenApiParameter("event", int, required=True)], responses=OccupancyOutput
    )
    def get(self, request):
        q = validated(OccupancyQuery, request.query_params)
        # the seat columns are 3 x 20,000 numbers for an arena: rendered as they are (the
        # serializer describes them for the schema; a field per number costs 100+ ms)
        return Response(occupancy_report(event=q["event"]))


class SalesOverTimeView(ReportView):
    @extend_schema(
        parameters=[
            OpenApiParameter("event", int, required=True),
            OpenApiParameter("compare_event", int, description="an earlier event: its pace"),
        ],
        responses=SalesOverTimeOutput,
    )
    def get(self, request):
        q = validated(SalesOverTimeQuery, request.query_params)
        report = sales_over_time(event=q["event"], compare_event=q.get("compare_event"))
        return Response(SalesOverTimeOutput(report).data)


class AccountingExportView(ReportView):
    """The accountant's journal as CSV (docs/accounting-export.md)."""

    @extend_schema(
        parameters=_PERIOD,
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV")},
    )
    def get(self, request):
        q = validated(AccountingQuery, request.query_params)
        venue = q.get("venue")
        period = Period(report_zone(venue=venue), q.get("from"), q.get("to"))
        chunks = accounting_csv_chunks(period=period, venue=venue)
        # the query runs here, so that one that fails answers an error, not a cut file
        first = next(chunks)
        name = f"accounting-{_day(q.get('from'), 'start')}-{_day(q.get('to'), 'end')}.csv"
        response = StreamingHttpResponse(
            chain([first], chunks), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _day(value, open_end: str) -> str:
    return value.isoformat() if value is not None else open_end
