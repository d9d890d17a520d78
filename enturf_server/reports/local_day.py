"""Times and money computed by the database: the calendar day (and the wall time) of a
stored time in a venue's zone, epoch seconds, whole cents.

PostgreSQL converts in the database (`TruncDate` with the zone: `AT TIME ZONE`). SQLite
has no time zones, and Django's `TruncDate` there calls a Python function for every row
(a tenth of a second for the 20,000 tickets of an arena); instead the zone's UTC offsets
over the rows' time span (a few, changing at daylight-saving transitions) become a `CASE`
of SQLite's own `date(<time>, '+N seconds')`: the same days, computed natively.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Case, CharField, F, Func, IntegerField, Value, When
from django.db.models.functions import Substr, TruncDate


def offsets(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime | None, int]]:
    """[(until, offset seconds)]: the zone's offset for instants before `until`, in time
    order from `start` to `end`; the last one's `until` is None (open)."""
    spans: list[tuple[datetime | None, int]] = []

    def offset_at(epoch: int) -> int:
        moment = datetime.fromtimestamp(epoch, UTC).astimezone(zone)
        return int(moment.utcoffset().total_seconds())

    t, stop = int(start.timestamp()), int(end.timestamp()) + 1
    current = offset_at(t)
    while t < stop:
        step = min(t + 86400, stop)
        if offset_at(step) != current:
            low, high = t, step  # the change is in (low, high]: find its first second
            while high - low > 1:
                middle = (low + high) // 2
                if offset_at(middle) == current:
                    low = middle
                else:
                    high = middle
            spans.append((datetime.fromtimestamp(high, UTC), current))
            current = offset_at(high)
            t = high
        else:
            t = step
    spans.append((None, current))
    return spans


def _sqlite_date(field: str, seconds: int) -> Func:
    return Func(F(field), Value(f"{seconds:+d} seconds"), function="date", output_field=CharField())


def local_day(field: str, zone: ZoneInfo, start: datetime | None, end: datetime | None):
    """An expression for the local day (`date`, or `YYYY-MM-DD` text on SQLite) of the
    time `field`, whose values lie between `start` and `end`."""
    if connection.vendor != "sqlite" or start is None or end is None:
        return TruncDate(field, tzinfo=zone)
    spans = offsets(zone, start, end)
    *changes, (_open, last) = spans
    if not changes:
        return _sqlite_date(field, last)
    return Case(
        *[
            When(**{f"{field}__lt": until}, then=_sqlite_date(field, seconds))
            for until, seconds in changes
        ],
        default=_sqlite_date(field, last),
        output_field=CharField(),
    )


class _PgLocalText(Func):
    """`to_char(<time> AT TIME ZONE <zone>, <format>)`: PostgreSQL's wall time as text."""

    arg_joiner = " AT TIME ZONE "
    output_field = CharField()

    def __init__(self, field: str, zone: ZoneInfo, text_format: str):
        # the format is a literal (not a parameter): PostgreSQL needs it typed as text
        super().__init__(
            F(field), Value(zone.key), template=f"to_char(%(expressions)s, '{text_format}')"
        )


def local_date_and_time(
    field: str, zone: ZoneInfo, span: Callable[[], tuple[datetime, datetime]]
) -> tuple[Func | Case, Func | Case]:
    """Expressions for the local `YYYY-MM-DD` and `HH:MM:SS` (seconds truncated, as
    `isoformat(timespec="seconds")`) of the time `field`. `span` answers the first and the
    last of its values: SQLite's offsets are those of that span (asked only there)."""
    if connection.vendor != "sqlite":
        return (
            _PgLocalText(field, zone, "YYYY-MM-DD"),
            _PgLocalText(field, zone, "HH24:MI:SS"),
        )
    *changes, (_open, last) = offsets(zone, *span())
    # stored as `YYYY-MM-DD HH:MM:SS[.ffffff]`: the fraction is cut first, as Python does
    whole_seconds = Substr(F(field), 1, 19)

    def shifted(function: str) -> Func | Case:
        def at(seconds: int) -> Func:
            return Func(
                whole_seconds,
                Value(f"{seconds:+d} seconds"),
                function=function,
                output_field=CharField(),
            )

        if not changes:
            return at(last)
        return Case(
            *[When(**{f"{field}__lt": until}, then=at(seconds)) for until, seconds in changes],
            default=at(last),
            output_field=CharField(),
        )

    return shifted("date"), shifted("time")


class SortableTime(Func):
    """A stored time as text that sorts as the times do (cheaper to send than a time):
    SQLite's own (`YYYY-MM-DD HH:MM:SS[.ffffff]`, in UTC), PostgreSQL's in that form
    with all six decimals."""

    output_field = CharField()
    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"

    def as_sqlite(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])


class EpochSeconds(Func):
    """Whole seconds since 1970 of a stored time (truncated, as `int(dt.timestamp())`),
    computed by the database (no datetime built per row in Python)."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        # the format is a parameter: a literal `%s` would be taken for a placeholder
        return f"CAST(strftime(%s, {sql}) AS INTEGER)", ["%s", *params]

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(FLOOR(EXTRACT(EPOCH FROM %(expressions)s)) AS BIGINT)",
        )


class Cents(Func):
    """An amount of money as whole cents, rounded by the database."""

    template = "CAST(ROUND(%(expressions)s * 100) AS BIGINT)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(ROUND(%(expressions)s * 100) AS INTEGER)"
        )
