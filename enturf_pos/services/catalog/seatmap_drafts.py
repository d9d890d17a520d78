"""Seat-map drafts: a manager's seat map being drawn, kept in the local database (it
survives restarts and works offline) until it is published as the next version of the
venue's map by a queued `seatmap_publish` op.

A draft is the seat-map file format (docs/seat-map.md, "File format"), as one JSON
object. What the server answers (`services/sync/setup_results.py`): applied, the draft
goes (the new version arrives by the feed); a newer version on the server, the draft is
in conflict and the manager decides in the conflict dialog (publish as the newer
version, or start again from the server's); refused, the draft says why.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from enturf_core.seatmap_editing import file_format
from enturf_core.wire import ops as wire
from enturf_pos.models import (
    Area,
    DraftState,
    OutboxOp,
    OutboxState,
    Seat,
    SeatMap,
    SeatMapDraft,
    Venue,
)
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import outbox_service

FORMAT = "enturf-seatmap/1"
NAME_MAX = 200
SEAT_FLAGS = ("accessible", "companion", "obstructed", "aisle")


class DraftMissing(LookupError):
    """The draft is not on this counter (published or discarded meanwhile)."""


@dataclass(frozen=True, slots=True)
class DraftInfo:
    id: uuid.UUID
    venue_id: int
    name: str
    base_seat_map_id: int | None
    base_version: int | None
    state: str  # DraftState: draft | publishing | conflict | rejected
    message: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class VenueRow:
    id: int
    name: str
    timezone: str


@dataclass(frozen=True, slots=True)
class SeatMapRow:
    id: int
    venue_id: int
    name: str
    version: int  # the layout's version (1, 2, ... per venue and name)
    seat_count: int


def _info(row: SeatMapDraft) -> DraftInfo:
    return DraftInfo(
        id=row.id,
        venue_id=row.venue_id,
        name=row.name,
        base_seat_map_id=row.base_seat_map_id,
        base_version=row.base_version,
        state=row.state,
        message=row.message,
        updated_at=row.updated_at,
    )


def venues(*, ctx: PosContext) -> list[VenueRow]:
    with ctx.db.transaction() as session:
        return [
            VenueRow(v.id, v.name, v.timezone)
            for v in session.scalars(select(Venue).order_by(Venue.name, Venue.id))
        ]


def seat_maps(*, ctx: PosContext, venue_id: int | None = None) -> list[SeatMapRow]:
    """Synced seat-map versions (of one venue), newest version first per name."""
    counts = select(Seat.seat_map_id, func.count().label("n")).group_by(Seat.seat_map_id).subquery()
    query = (
        select(SeatMap, counts.c.n)
        .outerjoin(counts, counts.c.seat_map_id == SeatMap.id)
        .order_by(SeatMap.venue_id, SeatMap.name, SeatMap.layout_version.desc())
    )
    if venue_id is not None:
        query = query.where(SeatMap.venue_id == venue_id)
    with ctx.db.transaction() as session:
        return [
            SeatMapRow(m.id, m.venue_id, m.name, m.layout_version, int(n or 0))
            for m, n in session.execute(query)
        ]


def list_drafts(*, ctx: PosContext) -> list[DraftInfo]:
    with ctx.db.transaction() as session:
        return [
            _info(d)
            for d in session.scalars(select(SeatMapDraft).order_by(SeatMapDraft.updated_at.desc()))
        ]


def document_of(session: Session, seat_map_id: int) -> dict[str, Any]:
    """A synced seat map as the file format: its seats by section and row (in their
    order), areas with their polygons, and what its drawing has."""
    seat_map = session.get(SeatMap, seat_map_id)
    if seat_map is None:
        raise LookupError(f"seat map {seat_map_id} is not on this counter")
    drawing = seat_map.drawing or {}
    outlines = drawing.get("outlines") or {}
    ranks = seat_map.section_ranks or {}
    sections: dict[str, dict[str, Any]] = {}
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for seat in session.scalars(
        select(Seat).where(Seat.seat_map_id == seat_map_id).order_by(Seat.id)
    ):
        section = sections.get(seat.section)
        if section is None:
            section = sections[seat.section] = {"name": seat.section, "rows": []}
            if seat.section in ranks:
                section["rank"] = int(ranks[seat.section])
            if seat.section in outlines:
                section["outline"] = outlines[seat.section]
        row = rows.get((seat.section, seat.row))
        if row is None:
            row = rows[(seat.section, seat.row)] = {"label": seat.row, "seats": []}
            section["rows"].append(row)
        item: dict[str, Any] = {
            "key": seat.key,
            "label": seat.label,
            "x": seat.x,
            "y": seat.y,
            "category": seat.category,
            "_position": seat.position,
        }
        item.update({flag: True for flag in SEAT_FLAGS if getattr(seat, flag)})
        row["seats"].append(item)
    for row in rows.values():
        row["seats"].sort(key=lambda s: s.pop("_position"))
    areas = []
    for area in session.scalars(
        select(Area).where(Area.seat_map_id == seat_map_id).order_by(Area.id)
    ):
        item = {
            "name": area.name,
            "capacity": area.capacity,
            "x": area.x,
            "y": area.y,
            "width": area.width,
            "height": area.height,
        }
        if area.polygon:
            item["polygon"] = area.polygon
        areas.append(item)
    document: dict[str, Any] = {
        "format": FORMAT,
        "name": seat_map.name,
        "stage_x": seat_map.stage_x,
        "stage_y": seat_map.stage_y,
        "width": seat_map.width,
        "height": seat_map.height,
        "categories": list(drawing.get("categories") or []),
        "sections": list(sections.values()),
        "areas": areas,
        "decorations": list(drawing.get("decorations") or []),
    }
    return document


def seat_map_document(*, ctx: PosContext, seat_map_id: int) -> dict[str, Any]:
    """A synced seat map in the file format (LookupError if it is not on this counter)."""
    with ctx.db.transaction() as session:
        return document_of(session, seat_map_id)


def new_draft(
    *, ctx: PosContext, venue_id: int, name: str, from_seat_map_id: int | None = None
) -> DraftInfo:
    """A new draft: empty, or a synced seat map's copy to make its next version.
    ValueError with what to fix (no such venue or map, no name)."""
    name = str(name).strip()
    if not name:
        raise ValueError("A seat map needs a name.")
    if len(name) > NAME_MAX:
        raise ValueError(f"A seat map's name has at most {NAME_MAX} characters.")
    with ctx.db.transaction() as session:
        if session.get(Venue, venue_id) is None:
            raise ValueError("Choose a venue this counter has synced.")
        base_id = base_version = None
        if from_seat_map_id is not None:
            base = session.get(SeatMap, from_seat_map_id)
            if base is None:
                raise ValueError("That seat map is not on this counter.")
            if base.venue_id != venue_id:
                raise ValueError("That seat map belongs to another venue.")
            document = document_of(session, from_seat_map_id)
            base_id, base_version = base.id, base.layout_version
            if name != base.name:  # another name is another map: its version 1
                base_id = base_version = None
        else:
            document = {"format": FORMAT, "sections": [], "areas": []}
        document["name"] = name
        draft = SeatMapDraft(
            id=uuid.uuid4(),
            venue_id=venue_id,
            name=name,
            base_seat_map_id=base_id,
            base_version=base_version,
            document=document,
            state=DraftState.DRAFT,
            message="",
        )
        session.add(draft)
        session.flush()
        return _info(draft)


def _draft(session: Session, draft_id: uuid.UUID) -> SeatMapDraft:
    draft = session.get(SeatMapDraft, draft_id)
    if draft is None:
        raise DraftMissing("This draft is no longer on this counter (published or discarded).")
    return draft


def draft_info(*, ctx: PosContext, draft_id: uuid.UUID) -> DraftInfo:
    with ctx.db.transaction() as session:
        return _info(_draft(session, draft_id))


def load_draft(*, ctx: PosContext, draft_id: uuid.UUID) -> dict[str, Any]:
    """The draft's document (a copy: change it and `save_draft` it)."""
    with ctx.db.transaction() as session:
        return dict(_draft(session, draft_id).document)


def save_draft(*, ctx: PosContext, draft_id: uuid.UUID, document: dict[str, Any]) -> None:
    """Keep the editor's document. A rejected draft becomes a draft again (being fixed);
    one being published cannot change (DraftMissing / ValueError say why)."""
    if not isinstance(document, dict):
        raise ValueError("A seat map is one JSON object.")
    with ctx.db.transaction() as session:
        draft = _draft(session, draft_id)
        if draft.state == DraftState.PUBLISHING:
            raise ValueError("This draft is being published: wait for the server's answer.")
        draft.document = dict(document)
        if isinstance(document.get("name"), str) and document["name"].strip():
            draft.name = document["name"].strip()[:NAME_MAX]
        if draft.state == DraftState.REJECTED:
            draft.state, draft.message = DraftState.DRAFT, ""


def _layout(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in ("venue", "name")}


def _problem(document: dict[str, Any]) -> str | None:
    """What the server would refuse: the file's first problem, with where it is (the
    same checker as the server's, `enturf_core.seatmap_editing.file_format`)."""
    found = file_format.problems(document, limit=1)
    if found:
        return f"{found[0].message} (at {found[0].path})" if found[0].path else found[0].message
    sections = document.get("sections") or []
    seats = sum(len(r.get("seats") or []) for s in sections for r in s.get("rows") or [])
    if not seats and not document.get("areas"):
        return "The seat map has no seats and no standing areas yet."
    return None


def publish_draft(*, ctx: PosContext, draft_id: uuid.UUID, as_newer: bool = False) -> EditResult:
    """Queue the draft's publishing (`seatmap_publish`); it is sent at the next sync.
    `as_newer`: publish over a newer version the server has (after a conflict)."""
    with ctx.db.transaction() as session:
        draft = session.get(SeatMapDraft, draft_id)
        if draft is None:
            return EditResult(False, "This draft is no longer on this counter.")
        if draft.state == DraftState.PUBLISHING:
            return EditResult(False, "This draft is already being published.")
        if problem := _problem(draft.document):
            return EditResult(False, problem)
        base = draft.base_seat_map_id
        if as_newer and draft.server and draft.server.get("seat_map"):
            base = int(draft.server["seat_map"])
        op = wire.SeatMapPublish(
            draft=draft.id,
            venue=draft.venue_id,
            name=draft.name,
            layout=_layout(draft.document),
            base_seat_map=base,
            as_newer=as_newer,
        )
        _close_open_ops(session, draft)
        draft.op_id = outbox_service.enqueue(
            session, type=wire.SEATMAP_PUBLISH, payload=op.to_wire()
        )
        draft.state, draft.message = DraftState.PUBLISHING, ""
    return EditResult(True, "Queued: the new version is published at the next sync.")


def _close_open_ops(session: Session, draft: SeatMapDraft) -> None:
    """The draft's earlier conflict or refusal is dealt with by what the manager does now."""
    if draft.op_id is None:
        return
    op = session.get(OutboxOp, draft.op_id)
    if op is not None and op.state in (OutboxState.CONFLICT, OutboxState.REJECTED):
        op.state = OutboxState.RESOLVED
        op.result = {**(op.result or {}), "resolution": "draft_changed"}


def discard_draft(*, ctx: PosContext, draft_id: uuid.UUID) -> None:
    """Forget the draft (a queued publishing of it is withdrawn if not yet sent)."""
    with ctx.db.transaction() as session:
        draft = session.get(SeatMapDraft, draft_id)
        if draft is None:
            return
        if draft.op_id is not None:
            op = session.get(OutboxOp, draft.op_id)
            if op is not None and op.state in (
                OutboxState.PENDING,
                OutboxState.CONFLICT,
                OutboxState.REJECTED,
            ):
                op.state = OutboxState.RESOLVED
                op.result = {**(op.result or {}), "resolution": "discarded"}
        session.delete(draft)


def start_again_from_server(*, ctx: PosContext, draft_id: uuid.UUID) -> EditResult:
    """After a conflict: the draft becomes a copy of the server's newest version (the
    manager's drawing is dropped). The server's version must have been synced."""
    with ctx.db.transaction() as session:
        draft = session.get(SeatMapDraft, draft_id)
        if draft is None:
            return EditResult(False, "This draft is no longer on this counter.")
        server_map = int((draft.server or {}).get("seat_map") or 0)
        if session.get(SeatMap, server_map) is None:
            return EditResult(False, "The server's version has not arrived yet: sync first.")
        document = document_of(session, server_map)
        _close_open_ops(session, draft)
        seat_map = session.get(SeatMap, server_map)
        assert seat_map is not None
        draft.document = document
        draft.name = seat_map.name
        draft.base_seat_map_id, draft.base_version = seat_map.id, seat_map.layout_version
        draft.state, draft.message, draft.server = DraftState.DRAFT, "", None
    return EditResult(True, "The draft is now the server's version.")
