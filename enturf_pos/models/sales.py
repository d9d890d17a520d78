"""Selling at this counter: allocations and local sales (filled in by the sales issue)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from enturf_pos.models.base import Base
from enturf_pos.models.column_types import (
    created_now,
    json_dict,
    updated_now,
    uuid_pk,
    version_counter,
)


class Allocation(Base):
    """Seats and GA quota of an event allocated to this counter (sellable offline)."""

    __tablename__ = "allocations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[int] = mapped_column(index=True)
    seats: Mapped[json_dict] = mapped_column(doc='{"ids": [seat id, ...]}')
    areas: Mapped[json_dict] = mapped_column(doc="{area id: quantity}")
    version: Mapped[version_counter]
    updated_at: Mapped[updated_now]


class LocalSale(Base):
    """A sale made at this counter; its id is the booking id on the server."""

    __tablename__ = "local_sales"

    id: Mapped[uuid_pk]
    created_at: Mapped[created_now] = mapped_column(index=True)
    payload: Mapped[json_dict]
