"""Model instances read from, and written with, hand-written SQL on the hot paths.

The ORM compiles every query anew: about a millisecond of CPU for a filter with a join
on the 2-core development machine, more than the database spends answering it. The
booking path (token lookup, event + tickets + settings, booking and line inserts) uses
these helpers instead. Column lists come from the models' meta, and values pass through
the same conversions the ORM applies (`get_db_converters` when reading,
`pre_save` + `get_db_prep_save` when writing), so the instances are the ORM's own, on
PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from django.db import DatabaseError, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper


class RowReader:
    """Reads one model's concrete columns, under a table alias, out of a wider row."""

    def __init__(self, model: type[models.Model], alias: str) -> None:
        self.model = model
        self.alias = alias
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.width = len(self.fields)
        self._pk_index = self.attnames.index(model._meta.pk.attname)
        self._columns: dict[str, str] = {}  # by vendor
        self._converters: dict[str, list[tuple[int, list[Callable], Any]]] = {}

    def columns(self, connection: BaseDatabaseWrapper) -> str:
        """`alias."col", ...` in field order, for a SELECT list."""
        if connection.vendor not in self._columns:
            quote = connection.ops.quote_name
            self._columns[connection.vendor] = ", ".join(
                f"{self.alias}.{quote(f.column)}" for f in self.fields
            )
        return self._columns[connection.vendor]

    def build(
        self, row: Sequence[Any], offset: int, connection: BaseDatabaseWrapper
    ) -> models.Model | None:
        """The instance from `row[offset:offset + width]`; None when its primary key is
        NULL (the other side of a LEFT JOIN found nothing)."""
        values = list(row[offset : offset + self.width])
        if values[self._pk_index] is None:
            return None
        for index, converters, col in self._converters_for(connection):
            value = values[index]
            for convert in converters:
                value = convert(value, col, connection)
            values[index] = value
        return self.model.from_db(connection.alias, self.attnames, values)

    def _converters_for(self, connection: BaseDatabaseWrapper):
        if connection.vendor not in self._converters:
            found = []
            for index, field in enumerate(self.fields):
                col = field.get_col(self.alias)
                converters = connection.ops.get_db_converters(col) + col.get_db_converters(
                    connection
                )
                if converters:
                    found.append((index, converters, col))
            self._converters[connection.vendor] = found
        return self._converters[connection.vendor]


def read_one(
    connection: BaseDatabaseWrapper,
    readers: Sequence[RowReader],
    joins: str,
    where: str,
    params: Sequence[Any],
    *,
    for_update: bool = False,
) -> list[models.Model | None] | None:
    """`SELECT <readers' columns> FROM <joins> WHERE <where>`: the first row's instance of
    each reader, in order (None when nothing matched). `for_update` locks every joined row
    (where the database can)."""
    columns = ", ".join(reader.columns(connection) for reader in readers)
    lock = " FOR UPDATE" if for_update and connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {joins} WHERE {where}{lock}", list(params))
        row = cursor.fetchone()
    if row is None:
        return None
    objs, offset = [], 0
    for reader in readers:
        objs.append(reader.build(row, offset, connection))
        offset += reader.width
    return objs


_MAX_PARAMS = 30_000  # below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters


def insert_rows(
    objs: Sequence[models.Model],
    connection: BaseDatabaseWrapper,
    *,
    keep: Collection[str] = (),
    ignore_conflicts: bool = False,
) -> int:
    """INSERT unsaved instances of one model, as `bulk_create` would store them, without
    compiling an ORM query; one statement (more only past the databases' parameter limits).
    Primary keys are the caller's, or, for an auto-incrementing key left empty on every
    instance, the database's (not read back).

    `keep`: auto_now_add fields whose values, where the caller set them, are kept rather
    than stamped now. `ignore_conflicts`: rows whose key is already taken are skipped (`ON
    CONFLICT DO NOTHING`; on PostgreSQL after waiting for a concurrent insert of the same key
    to commit or roll back). Returns the number of rows inserted.
    """
    connection = _wrapper(connection)
    inserted = 0
    with connection.cursor() as cursor:
        for sql, params in _insert_statements(objs, connection, keep, ignore_conflicts):
            cursor.execute(sql, params)
            inserted += cursor.rowcount
    _mark_saved(objs, connection)
    return inserted


def insert_together(
    groups: Sequence[Sequence[models.Model]], connection: BaseDatabaseWrapper
) -> None:
    """`insert_rows` for each group, in order (parents before the rows that refer to them);
    on PostgreSQL in one statement (each earlier INSERT a `WITH` clause), one round trip."""
    connection = _wrapper(connection)
    statements = [
        statement
        for objs in groups
        for statement in _insert_statements(objs, connection, (), False)
    ]
    if connection.vendor == "postgresql" and len(statements) > 1:
        heads = ", ".join(f"w{n} AS ({sql})" for n, (sql, _p) in enumerate(statements[:-1]))
        statements = [
            (
                f"WITH {heads} {statements[-1][0]}",
                [value for _sql, params in statements for value in params],
            )
        ]
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
    for objs in groups:
        _mark_saved(objs, connection)


def _wrapper(connection: BaseDatabaseWrapper) -> BaseDatabaseWrapper:
    """The connection itself rather than `django.db.connection`'s proxy, which looks the
    thread's connection up again at every attribute read (each field's value preparation
    reads `connection.ops`: thousands of look-ups for a statement of many rows)."""
    if isinstance(connection, BaseDatabaseWrapper):
        return connection
    return connections[connection.alias]


def _insert_statements(
    objs: Sequence[models.Model],
    connection: BaseDatabaseWrapper,
    keep: Collection[str],
    ignore_conflicts: bool,
) -> list[tuple[str, list[Any]]]:
    if not objs:
        return []
    meta = type(objs[0])._meta
    fields = list(meta.concrete_fields)
    if isinstance(meta.pk, models.AutoField) and all(obj.pk is None for obj in objs):
        fields.remove(meta.pk)
    stamped = [f.attname not in keep for f in fields]
    rows: list[list[Any]] = []
    for obj in objs:
        if obj.pk is None and meta.pk in fields:
            raise ValueError(f"insert_rows needs primary keys: {obj!r} has none")
        row = []
        for field, stamp in zip(fields, stamped, strict=True):
            value = None if stamp else getattr(obj, field.attname)
            if value is None:
                value = field.pre_save(obj, True)
            row.append(field.get_db_prep_save(value, connection=connection))
        rows.append(row)
    quote = connection.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
    tail = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    per_statement = max(1, _MAX_PARAMS // len(fields))
    return [
        (
            f"{head}VALUES {', '.join([one] * len(chunk))}{tail}",
            [value for row in chunk for value in row],
        )
        for chunk in (rows[i : i + per_statement] for i in range(0, len(rows), per_statement))
    ]


def _mark_saved(objs: Sequence[models.Model], connection: BaseDatabaseWrapper) -> None:
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def update_row(obj: models.Model, fields: Sequence[str], connection: BaseDatabaseWrapper) -> None:
    """`obj.save(update_fields=fields)` without compiling an ORM query: one
    `UPDATE ... WHERE pk = ...` of those fields (auto_now fields stamped as `save()`
    stamps them). Like `save(update_fields=...)`, a row that no longer exists is an error."""
    meta = obj._meta
    targets = [meta.get_field(name) for name in fields]
    params = [
        field.get_db_prep_save(field.pre_save(obj, False), connection=connection)
        for field in targets
    ]
    params.append(meta.pk.get_db_prep_value(obj.pk, connection))
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in targets)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount != 1:
            raise DatabaseError(f"{meta.label} {obj.pk} no longer exists; nothing was updated.")


class ColumnsReader:
    """Reads chosen columns (`alias`, model field) as `values_list` would give them: each
    value through Django's database converters, without building model instances."""

    def __init__(self, columns: Sequence[tuple[str, models.Field]]) -> None:
        self._columns = list(columns)
        self._sql: dict[str, str] = {}
        self._converters: dict[str, list[tuple[int, list[Callable], Any]]] = {}

    def columns(self, connection: BaseDatabaseWrapper) -> str:
        if connection.vendor not in self._sql:
            quote = connection.ops.quote_name
            self._sql[connection.vendor] = ", ".join(
                f"{alias}.{quote(field.column)}" for alias, field in self._columns
            )
        return self._sql[connection.vendor]

    def convert(self, rows: Sequence[Sequence[Any]], connection: BaseDatabaseWrapper) -> list:
        if connection.vendor not in self._converters:
            found = []
            for index, (alias, field) in enumerate(self._columns):
                col = field.get_col(alias)
                converters = connection.ops.get_db_converters(col) + col.get_db_converters(
                    connection
                )
                if converters:
                    found.append((index, converters, col))
            self._converters[connection.vendor] = found
        plan = self._converters[connection.vendor]
        if not plan:
            return [tuple(row) for row in rows]
        out = []
        for row in rows:
            values = list(row)
            for index, converters, col in plan:
                value = values[index]
                for convert in converters:
                    value = convert(value, col, connection)
                values[index] = value
            out.append(tuple(values))
        return out
