"""A counter's local database filled from a synthetic change-feed page (the shapes the
server sends, `enturf_core.wire.feed`), for the back-office tests without a server.

The venue "Hall" (Vienna) has seat map 10 "Main" (version 2): sections "Stalls" (rows A
and B, seats 1-8; seat 1 on the aisle, 2 accessible) and "Circle" (rows A and B, seats
9-16, category premium), the standing area 20 "Floor" with a polygon. Event 100 on it
with tickets 1000 (standard) and 1001 (Floor); its status: seat 3 sold, 4 held, 5
blocked (camera), 6 on counter 7. Counters: 7 "Box office 2", 8 "Old till" (retired).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import sync_apply, sync_push

VENUE, SEAT_MAP, EVENT, AREA = 1, 10, 100, 20
STANDARD_TICKET, FLOOR_TICKET = 1000, 1001
SOLD, HELD, BLOCKED, ALLOCATED = 3, 4, 5, 6
COUNTER, RETIRED_COUNTER = 7, 8
FLOOR_POLYGON = [[0, -200], [300, -200], [250, -100], [0, -100]]
STALLS_OUTLINE = [[-5, -5], [40, -5], [40, 20], [-5, 20]]


def _seat(seat_id: int, label: str, x: float, y: float, category: str, flags: list[str]):
    return [seat_id, f"k{seat_id}", label, x, y, category, flags]


def layout(offset: int = 0) -> dict[str, Any]:
    """Seat ids from 1 + `offset` (another version of the map has seats of its own)."""
    sections = []
    seat_id = 1 + offset
    for s, (name, category) in enumerate((("Stalls", "standard"), ("Circle", "premium"))):
        rows = []
        for r, row_label in enumerate("AB"):
            seats = []
            for n in range(4):
                flags = ["aisle"] if seat_id == 1 else ["accessible"] if seat_id == 2 else []
                seats.append(
                    _seat(seat_id, str(n + 1), n * 10.0, s * 100 + r * 12.0, category, flags)
                )
                seat_id += 1
            rows.append({"id": s * 10 + r, "label": row_label, "seats": seats})
        sections.append({"id": s + 1, "name": name, "rank": s + 1, "rows": rows})
    return {
        "seat_columns": ["id", "key", "label", "x", "y", "category", "flags"],
        "sections": sections,
    }


def entry(entity: str, entity_id: Any, data: dict[str, Any], version: int = 1) -> dict:
    return {
        "entity": entity,
        "id": str(entity_id),
        "version": version,
        "op": "upsert",
        "data": data,
    }


def seat_map_entry(
    seat_map_id: int = SEAT_MAP,
    *,
    name: str = "Main",
    version: int = 2,
    revision: int = 1,
    seats_layout: dict[str, Any] | None = None,
) -> dict:
    """Seat map `seat_map_id` (another than 10: seats from 100 * (id - 10) + 1)."""
    return entry(
        "seatmap",
        seat_map_id,
        {
            "id": seat_map_id,
            "venue": VENUE,
            "name": name,
            "version": version,
            "width": 400,
            "height": 300,
            "stage_x": 20,
            "stage_y": -300,
            "areas": [
                {
                    "id": AREA + seat_map_id - SEAT_MAP,
                    "name": "Floor",
                    "capacity": 100,
                    "x": 0,
                    "y": -200,
                    "width": 300,
                    "height": 100,
                }
            ],
            "layout": seats_layout or layout(100 * (seat_map_id - SEAT_MAP)),
            "drawing": {
                "categories": [{"name": "premium", "colour": "#B03A2E"}],
                "outlines": {"Stalls": STALLS_OUTLINE},
                "area_polygons": {"Floor": FLOOR_POLYGON},
                "decorations": [
                    {"kind": "stage", "points": [[0, -300], [40, -300], [40, -280], [0, -280]]}
                ],
            },
        },
        revision,
    )


def page() -> list[dict]:
    return [
        entry("settings", "site", {"currency": "EUR"}),
        entry("venue", VENUE, {"id": VENUE, "name": "Hall", "timezone": "Europe/Vienna"}),
        seat_map_entry(),
        entry(
            "event",
            EVENT,
            {
                "id": EVENT,
                "seat_map": SEAT_MAP,
                "venue": VENUE,
                "name": "Hamlet",
                "starts_at": "2031-05-02T17:30:00+00:00",
                "sales_start": "2031-04-01T08:00:00+00:00",
                "state": "on_sale",
            },
            3,
        ),
        entry(
            "ticket",
            STANDARD_TICKET,
            {
                "id": STANDARD_TICKET,
                "event": EVENT,
                "name": "Stalls",
                "price": "30.00",
                "tax_rate": "10.00",
                "category": "standard",
            },
        ),
        entry(
            "ticket",
            FLOOR_TICKET,
            {
                "id": FLOOR_TICKET,
                "event": EVENT,
                "name": "Standing",
                "price": "15.00",
                "tax_rate": "10.00",
                "area": AREA,
                "position": 1,
            },
        ),
        entry(
            "seat_status",
            EVENT,
            {
                "full": True,
                "seats": {
                    str(SOLD): "sold",
                    str(HELD): "held",
                    str(BLOCKED): "blocked",
                    str(ALLOCATED): "allocated",
                },
                "areas": {str(AREA): 100},
                "blocked": {str(BLOCKED): "camera"},
            },
            5,
        ),
        entry("device", COUNTER, {"id": COUNTER, "name": "Box office 2", "active": True}),
        entry(
            "device", RETIRED_COUNTER, {"id": RETIRED_COUNTER, "name": "Old till", "active": False}
        ),
        entry(
            "allocation",
            31,
            {"id": 31, "event": EVENT, "device": COUNTER, "seats": [ALLOCATED], "areas": {}},
        ),
    ]


def seed(ctx: PosContext, entries: list[dict] | None = None) -> None:
    with ctx.db.transaction() as session:
        sync_apply.apply_page(session, page() if entries is None else entries)


def apply(ctx: PosContext, *entries: dict) -> None:
    with ctx.db.transaction() as session:
        sync_apply.apply_page(session, list(entries))


Answer = Callable[[dict[str, Any]], dict[str, Any]]


class PushEndpoint:
    """Stands in for the server's push endpoint: answers each op with `answer(op)` (its
    result without the id), the way `POST /api/v1/sync/push/` does."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.sent: list[dict[str, Any]] = []

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        assert path == sync_push.PUSH_PATH
        self.sent.extend(body["ops"])
        return {"results": [{"id": op["id"], **self.answer(op)} for op in body["ops"]]}


def answer_pushes(ctx: PosContext, answer: Answer) -> PushEndpoint:
    """Push this counter's outbox through the real push code, answered by `answer`."""
    endpoint = PushEndpoint(answer)
    sync_push.push(ctx=ctx, client=endpoint)  # type: ignore[arg-type]
    return endpoint
