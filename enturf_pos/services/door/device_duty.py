"""Which window each registered device opens: the counter's (sales) or the door's
(scanning). Read from the feed's `device` entity; set online
(`PATCH /api/v1/devices/{id}/ {"duty"}`), the devices learn it at their next sync."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from enturf_pos.models import CounterDevice
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.session.api_client import ApiError, ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext

DUTIES = {"counter": "Counter (sales)", "door": "Door (check-in)"}
NEEDS_SERVER = "A device's duty is set on the server: connect to it and try again."


@dataclass(frozen=True, slots=True)
class DeviceDuty:
    id: int
    name: str
    active: bool
    duty: str


def devices(ctx: PosContext) -> list[DeviceDuty]:
    """The registered devices, active ones first."""
    with ctx.db.transaction() as session:
        return [
            DeviceDuty(d.id, d.name, d.active, getattr(d, "duty", None) or "counter")
            for d in session.scalars(
                select(CounterDevice).order_by(CounterDevice.active.desc(), CounterDevice.name)
            )
        ]


def set_duty(ctx: PosContext, device_id: int, duty: str) -> EditResult:
    if duty not in DUTIES:
        return EditResult(False, f"Choose one of: {', '.join(DUTIES.values())}.")
    client = ctx.user_client()
    if client is None:
        return EditResult(False, NEEDS_SERVER)
    try:
        answer = client.request("PATCH", f"api/v1/devices/{device_id}/", json={"duty": duty})
    except ServerUnreachable:
        return EditResult(False, NEEDS_SERVER)
    except ApiError as exc:
        return EditResult(False, f"The server did not change the duty: {exc.message}")
    finally:
        client.close()
    with ctx.db.transaction() as session:
        device = session.get(CounterDevice, device_id)
        if device is not None and hasattr(device, "duty"):  # until the next sync brings it
            device.duty = duty
        name = device.name if device is not None else (answer or {}).get("name", device_id)
    return EditResult(True, f"{name} is now on {DUTIES[duty].split(' ')[0].lower()} duty.")
