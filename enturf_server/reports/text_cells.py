"""Cells of a CSV file written as text by the database, exactly as Python would format
them, so that the rows need no `Decimal`, `UUID` or datetime built per row in Python.

SQLite stores decimals as integers or floats (a sum of them is a float): `printf('%.2f')`
rounds them as Django's converter does (to two places). PostgreSQL's `numeric` rounded to
two places prints its two places.
"""

from __future__ import annotations

from django.db.models import CharField, Func, Value


class MoneyText(Func):
    """An amount with two places and a `.` (`-12.50`): `f"{amount:.2f}"`."""

    output_field = CharField()
    template = "CAST(ROUND(%(expressions)s, 2) AS text)"

    def as_sqlite(self, compiler, connection, **extra):
        # the format is a parameter: a literal `%` would be taken for a placeholder
        return Func(Value("%.2f"), *self.source_expressions, function="printf").as_sql(
            compiler, connection
        )


class RateText(Func):
    """A tax rate in percent without trailing zeros (`19`, `7`, `5.5`):
    `f"{rate:.2f}".rstrip("0").rstrip(".")`."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        two_places = MoneyText(*self.source_expressions)
        trimmed = Func(Func(two_places, Value("0"), function="RTRIM"), Value("."), function="RTRIM")
        return compiler.compile(trimmed)


class UuidText(Func):
    """A uuid in its usual form (`str(uuid)`: lower case, with dashes)."""

    output_field = CharField()
    template = "CAST(%(expressions)s AS text)"

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores a uuid on SQLite as its 32 hex digits: 8-4-4-4-12 of them
        sql, params = compiler.compile(self.source_expressions[0])
        groups = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
        dashed = " || '-' || ".join(f"substr({sql}, {start}, {size})" for start, size in groups)
        return dashed, [*params] * len(groups)
