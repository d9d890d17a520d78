"""A door device's local data without a server: what the change feed would bring (keys,
an event with seats and a standing area, tickets, check-in lists, admissions), applied
through `sync_apply.apply_page` as a sync applies it, and ticket codes signed by the
"server" or by a "counter" of this module.

Shared by the door services' tests and `bench/door_scan_bench.py`.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from enturf_core.ticket_codes import SigningKey, TicketPayload, sign
from enturf_pos.models import Device
from enturf_pos.services.door import door_cache
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import sync_apply, sync_state_store

EVENT_ID = 40
OTHER_EVENT_ID = 41
SEAT_MAP_ID = 4
AREA_ID = 9
ADULT, VIP = 400, 401
MAIN_LIST, VIP_LIST, EXIT_LIST = 70, 71, 72
COUNTER_DEVICE = 12
SEATS = range(1, 21)  # Stalls, row C, seats 1..20 (ids 1..20)

_seq = itertools.count(1)


@dataclass
class DoorShop:
    server_key: SigningKey = field(default_factory=SigningKey.generate)
    counter_key: SigningKey = field(default_factory=SigningKey.generate)
    lines: dict[str, dict[str, Any]] = field(default_factory=dict)

    def code(
        self,
        line_id: str | None = None,
        *,
        seat: int | None = None,
        area: int | None = None,
        event: int = EVENT_ID,
        by_counter: bool = False,
        key: SigningKey | None = None,
    ) -> str:
        """A signed code for a line (a new line id when none is given)."""
        line_id = line_id or str(uuid.uuid4())
        if seat is None and area is None:
            area = AREA_ID
        payload = TicketPayload(line_id=line_id, event_id=event, seat_id=seat, area_id=area)
        signer = key or (self.counter_key if by_counter else self.server_key)
        return sign(payload, signer)


def entry(entity: str, entity_id: Any, data: dict[str, Any], op: str = "upsert") -> dict:
    return {
        "seq": next(_seq),
        "entity": entity,
        "id": str(entity_id),
        "version": next(_seq),
        "op": op,
        "data": data if op == "upsert" else {},
    }


def apply(ctx: PosContext, *entries: dict) -> None:
    """Apply feed entries as one sync page would (the cursor moves too)."""
    with ctx.db.transaction() as session:
        sync_apply.apply_page(session, list(entries))
        sync_state_store.set_cursor(session, str(next(_seq)))


def checkin_list(list_id: int, name: str, **rules: Any) -> dict:
    data = {"id": list_id, "event": EVENT_ID, "name": name, **rules}
    for moment in ("starts_at", "ends_at"):
        if isinstance(data.get(moment), datetime):
            data[moment] = data[moment].isoformat()
    return entry("checkin_list", list_id, data)


def admission(
    line_id: str,
    *,
    ticket: int = ADULT,
    state: str = "valid",
    nonce: str = "",
    seat: int | None = None,
    area: int | None = None,
    event: int = EVENT_ID,
) -> dict:
    if seat is None and area is None:
        area = AREA_ID
    data = {
        "id": line_id,
        "event": event,
        "ticket": ticket,
        "state": state,
        "seat": seat,
        "area": area,
        "nonce": nonce,
    }
    return entry("admission", line_id, data)


def record(
    scan_id: uuid.UUID,
    line_id: str,
    *,
    list_id: int = MAIN_LIST,
    gate: str = "A",
    kind: str = "entry",
    verdict: str = "admitted",
    device: int | None = 99,
    at: datetime | None = None,
    double_entry: bool = False,
) -> dict:
    data = {
        "id": str(scan_id),
        "line": line_id,
        "list": list_id,
        "gate": gate,
        "kind": kind,
        "at": (at or datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
        "verdict": verdict,
        "device": device,
        "double_entry": double_entry,
    }
    return entry("checkin", scan_id, data)


def seed_door(ctx: PosContext, *, device_id: int = 30, seats: int = len(SEATS)) -> DoorShop:
    """This device registered (door duty), and the feed's data of one event's door (a row
    C of `seats` seats, ids 1..seats)."""
    shop = DoorShop()
    with ctx.db.transaction() as s:
        s.add(Device(server_url="http://127.0.0.1:9", device_id=str(device_id), name="Gate 1"))
    layout = {
        "seat_columns": ["id", "key", "label", "x", "y", "category", "flags"],
        "sections": [
            {
                "name": "Stalls",
                "rows": [
                    {
                        "label": "C",
                        "seats": [
                            [i, f"Stalls/C/{i}", str(i), i, 0, "standard", []]
                            for i in range(1, seats + 1)
                        ],
                    }
                ],
            }
        ],
    }
    now = datetime.now(UTC)
    apply(
        ctx,
        entry(
            "ticket_key",
            shop.server_key.key_id,
            {
                "key_id": shop.server_key.key_id,
                "public_key": shop.server_key.public_key_base64(),
                "owner": "server",
            },
        ),
        entry(
            "ticket_key",
            shop.counter_key.key_id,
            {
                "key_id": shop.counter_key.key_id,
                "public_key": shop.counter_key.public_key_base64(),
                "owner": f"device:{COUNTER_DEVICE}",
                "device": COUNTER_DEVICE,
                "device_name": "Box office 1",
            },
        ),
        entry("device", COUNTER_DEVICE, {"id": COUNTER_DEVICE, "name": "Box office 1"}),
        entry("device", device_id, {"id": device_id, "name": "Gate 1", "duty": "door"}),
        entry("venue", 1, {"id": 1, "name": "Arena", "timezone": "Europe/Berlin"}),
        entry(
            "seatmap",
            SEAT_MAP_ID,
            {
                "id": SEAT_MAP_ID,
                "venue": 1,
                "name": "Main",
                "version": 1,
                "layout": layout,
                "areas": [{"id": AREA_ID, "name": "Standing floor", "capacity": 500}],
            },
        ),
        *(
            entry(
                "event",
                eid,
                {
                    "id": eid,
                    "seat_map": SEAT_MAP_ID,
                    "venue": 1,
                    "name": name,
                    "starts_at": (now + timedelta(hours=1)).isoformat(),
                    "state": "on_sale",
                },
            )
            for eid, name in ((EVENT_ID, "Arena night"), (OTHER_EVENT_ID, "Matinee"))
        ),
        *(
            entry(
                "ticket",
                tid,
                {
                    "id": tid,
                    "event": EVENT_ID,
                    "name": name,
                    "price": "30.00",
                    "currency": "EUR",
                    "tax_rate": "7.00",
                    "category": "standard",
                },
            )
            for tid, name in ((ADULT, "Adult"), (VIP, "VIP"))
        ),
        checkin_list(MAIN_LIST, "Main entrance"),
        checkin_list(VIP_LIST, "VIP lounge", tickets=[VIP], gates=["V"]),
        checkin_list(EXIT_LIST, "Hall with pass-outs", exits=True, reentry=True),
    )
    door_cache.forget(ctx.db)
    return shop
