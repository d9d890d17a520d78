"""Column types shared by the local models: one place that knows how a value is stored.

SQLite has no time zones and no decimals: datetimes are stored as naive UTC and come
back aware (UTC); money and rates are stored as text and come back as `Decimal`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import JSON, DateTime, String, TypeDecorator, Uuid
from sqlalchemy.orm import mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; naive input is refused."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store aware datetimes (UTC) only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class DecimalText(TypeDecorator[Decimal]):
    """`Decimal` stored as its exact text (SQLite's NUMERIC would round through float)."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"expected Decimal, got {type(value).__name__}")
        return str(value)

    def process_result_value(self, value: str | None, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)


JsonDict = dict[str, Any]
JsonList = list[Any]

# The declarative base's type map: a plain annotation picks its column type here.
TYPE_ANNOTATION_MAP: dict[Any, Any] = {
    datetime: UTCDateTime(),
    Decimal: DecimalText(),
    uuid.UUID: Uuid(as_uuid=True),
    JsonDict: JSON(),
    JsonList: JSON(),
    str: String(),
}

# Reusable annotated column types.
server_id = Annotated[int, mapped_column(primary_key=True, autoincrement=False)]
"""A primary key assigned by the server (never generated locally)."""
uuid_pk = Annotated[uuid.UUID, mapped_column(primary_key=True, default=uuid.uuid4)]
"""A client-generated UUID primary key (survives offline creation and retries)."""
created_now = Annotated[datetime, mapped_column(default=lambda: datetime.now(UTC))]
updated_now = Annotated[
    datetime,
    mapped_column(default=lambda: datetime.now(UTC), onupdate=lambda: datetime.now(UTC)),
]
version_counter = Annotated[int, mapped_column(default=0, server_default="0")]
"""The server's version of a synced row (optimistic concurrency and conflict detection)."""
json_dict = Annotated[JsonDict, mapped_column(default=dict)]
json_list = Annotated[JsonList, mapped_column(default=list)]
bool_false = Annotated[bool, mapped_column(default=False, server_default="0")]
bool_true = Annotated[bool, mapped_column(default=True, server_default="1")]
name_str = Annotated[str, mapped_column(String(200))]
code_str = Annotated[str, mapped_column(String(64))]

__all__ = [
    "TYPE_ANNOTATION_MAP",
    "DecimalText",
    "JsonDict",
    "JsonList",
    "UTCDateTime",
    "bool_false",
    "bool_true",
    "code_str",
    "created_now",
    "json_dict",
    "json_list",
    "name_str",
    "server_id",
    "updated_now",
    "uuid_pk",
    "version_counter",
]
