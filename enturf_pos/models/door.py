"""The door: check-in lists, the booking lines a door admits, and who went in or out.

Synced from the server (feed entities `checkin_list`, `admission`, `checkin`): the lists
of an event, each booking line as the door needs it offline (`Admission`) and every scan
the server recorded (`CheckinRecord`, any device). Local only: this device's own scans
(`DoorScan`), which the server learns by the `checkin` op (offline) or the online API.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from enturf_pos.models.base import Base
from enturf_pos.models.column_types import (
    bool_false,
    created_now,
    json_list,
    name_str,
    server_id,
    updated_now,
    uuid_pk,
    version_counter,
)


class CheckinList(Base):
    """Who a door lets in for an event (feed `checkin_list`): `tickets` (ticket ids; empty:
    every ticket of the event), `gates` (empty: any), exits scanned, re-entry allowed, the
    time window (either end open)."""

    __tablename__ = "checkin_lists"

    id: Mapped[server_id]
    event_id: Mapped[int] = mapped_column(index=True)
    name: Mapped[name_str]
    tickets: Mapped[json_list]
    gates: Mapped[json_list]
    exits: Mapped[bool_false]
    reentry: Mapped[bool_false]
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    version: Mapped[version_counter]
    updated_at: Mapped[updated_now]


class Admission(Base):
    """A booking line as the door needs it (feed `admission`; `id` is the line id as text):
    its event, ticket and place, `state` (valid, refunded, cancelled, not_paid) and the
    nonce of its current code (an older code of a reissued line does not admit)."""

    __tablename__ = "admissions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[int] = mapped_column(index=True)
    ticket_id: Mapped[int]
    seat_id: Mapped[int | None]
    area_id: Mapped[int | None]
    state: Mapped[str] = mapped_column(String(16))
    nonce: Mapped[str] = mapped_column(String(32), default="", server_default="")
    version: Mapped[version_counter]


class CheckinRecord(Base):
    """A scan the server recorded (feed `checkin`), from any device; `double_entry` marks
    an entry the server found after another one without an exit between."""

    __tablename__ = "checkin_records"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    line_id: Mapped[str] = mapped_column(String(64), index=True)
    list_id: Mapped[int] = mapped_column(index=True)
    gate: Mapped[str] = mapped_column(String(100), default="", server_default="")
    kind: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime]
    verdict: Mapped[str] = mapped_column(String(20))
    device_id: Mapped[int | None]
    double_entry: Mapped[bool_false]


class DoorScan(Base):
    """One scan at this device: what it showed (`verdict`, in `mode` online or offline),
    a supervisor's override, and what the server answered (`server_verdict`,
    `double_entry`) once it has the scan. `line_id` is empty for a code that is not
    genuine. An offline scan's `checkin` op has the scan's id."""

    __tablename__ = "door_scans"

    id: Mapped[uuid_pk]
    at: Mapped[created_now] = mapped_column(index=True)
    code: Mapped[str] = mapped_column(String(1024))
    line_id: Mapped[str] = mapped_column(String(64), index=True, default="", server_default="")
    event_id: Mapped[int | None]
    ticket_id: Mapped[int | None]
    list_id: Mapped[int] = mapped_column(index=True)
    gate: Mapped[str] = mapped_column(String(100), default="", server_default="")
    kind: Mapped[str] = mapped_column(String(8))
    verdict: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(300), default="", server_default="")
    ticket_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    place: Mapped[str] = mapped_column(String(300), default="", server_default="")
    previous: Mapped[str] = mapped_column(String(200), default="", server_default="")
    mode: Mapped[str] = mapped_column(String(8))
    user: Mapped[str] = mapped_column(String(150), default="", server_default="")
    overridden: Mapped[bool_false]
    override_reason: Mapped[str] = mapped_column(String(300), default="", server_default="")
    override_by: Mapped[str] = mapped_column(String(150), default="", server_default="")
    override_of: Mapped[uuid.UUID | None] = mapped_column(doc="the refused scan it overrides")
    server_verdict: Mapped[str | None] = mapped_column(String(20))
    double_entry: Mapped[bool_false]
