"""Online selling: holding the cart's seats on the server, live availability, vouchers.

Every function here talks to the server and is meant for a worker thread; each opens its
own `ApiClient` and answers a result object (never raises for a network or server
problem). Offline, none of this is used: the counter sells from its allocation.

* :func:`sync_hold` makes the server's hold match the cart: created on the first pick
  (`POST /api/v1/holds/`), changed with `PATCH` (seats added and removed, GA quantities
  absolute), released with `DELETE` when the cart empties. A seat someone else
  took is refused at once (`409 details.unavailable_seats`): the result names it, and the
  window takes it out of the cart.
* :func:`fetch_availability` reads `GET /api/v1/events/{id}/availability/?since=v`.
* :func:`check_voucher` asks the server whether a code may be used for these tickets.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from enturf_core.pricing.terms import Voucher
from enturf_pos.services.session.api_client import ApiError, ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync.sync_wire import parse_time

log = logging.getLogger(__name__)

HOLDS = "/api/v1/holds/"


class HoldError(StrEnum):
    """Why a hold was refused (`HoldResult.code`): match on this, not on the message.
    Another refusal by the server carries the server's code as it is
    (`ApiError.code_as`)."""

    NO_SESSION = "no_session"  # not signed in to the server
    UNREACHABLE = "unreachable"
    TAKEN = "conflict"  # seats or GA places were taken meanwhile (the server's conflict)
    EXPIRED = "hold_expired"
    RELEASED = "hold_released"


GONE = (HoldError.EXPIRED, HoldError.RELEASED)  # start a new hold
NOT_SIGNED_IN = "Not signed in to the server; the counter works offline until sync logs in."


@dataclass(frozen=True, slots=True)
class HoldState:
    id: str
    expires_at: datetime | None
    seats: tuple[int, ...] = ()
    areas: Mapping[int, int] = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> HoldState:
        return cls(
            id=str(data["id"]),
            expires_at=parse_time(data.get("expires_at")),
            seats=tuple(int(s) for s in data.get("seats") or ()),
            areas={int(a["area"]): int(a["quantity"]) for a in data.get("areas") or ()},
        )


@dataclass(frozen=True, slots=True)
class HoldResult:
    ok: bool
    message: str
    hold: HoldState | None = None  # the hold as the server has it now (None: no hold)
    unavailable_seats: tuple[int, ...] = ()
    unavailable_areas: Mapping[int, int] = field(default_factory=dict)  # area -> places left
    reachable: bool = True
    code: HoldError | str = ""


def _taken_message(seats: Sequence[int], areas: Mapping[int, int], labels: Mapping[int, str]):
    parts = []
    if seats:
        names = ", ".join(labels.get(s, f"seat {s}") for s in seats)
        verb = "was" if len(seats) == 1 else "were"
        parts.append(f"{names} {verb} just taken by another counter or customer")
    for area_id, left in areas.items():
        parts.append(f"only {left} place{'s' if left != 1 else ''} left in area {area_id}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def sync_hold(
    *,
    ctx: PosContext,
    event_id: int,
    hold: HoldState | None,
    seats: Sequence[int],
    areas: Mapping[int, int],
    labels: Mapping[int, str] | None = None,
) -> HoldResult:
    """Make the server's hold hold exactly `seats` and `areas` (creating, changing or
    releasing it). On a refusal nothing of the request was applied: the result keeps
    the previous hold and names what is taken."""
    labels = labels or {}
    wanted_areas = {a: q for a, q in areas.items() if q > 0}
    if hold is None and not seats and not wanted_areas:
        return HoldResult(True, "", None)  # nothing held, nothing wanted
    client = ctx.user_client()
    if client is None:
        return HoldResult(False, NOT_SIGNED_IN, hold, reachable=False, code=HoldError.NO_SESSION)
    try:
        if hold is not None and not seats and not wanted_areas:
            client.request("DELETE", f"{HOLDS}{hold.id}/")
            return HoldResult(True, "", None)
        if hold is not None:
            body: dict[str, Any] = {
                "add_seats": [s for s in seats if s not in hold.seats],
                "remove_seats": [s for s in hold.seats if s not in seats],
                "areas": [
                    {"area": a, "quantity": wanted_areas.get(a, 0)}
                    for a in sorted(set(hold.areas) | set(wanted_areas))
                    if wanted_areas.get(a, 0) != hold.areas.get(a, 0)
                ],
            }
            try:
                data = client.request("PATCH", f"{HOLDS}{hold.id}/", json=body)
                return HoldResult(True, "", HoldState.from_api(data))
            except ApiError as exc:
                if exc.code not in GONE:
                    raise
                hold = None  # it expired: hold everything again
        data = client.post(
            HOLDS,
            {
                "event": event_id,
                "seats": list(seats),
                "areas": [{"area": a, "quantity": q} for a, q in sorted(wanted_areas.items())],
            },
        )
        return HoldResult(True, "", HoldState.from_api(data))
    except ServerUnreachable as exc:
        return HoldResult(False, exc.message, hold, reachable=False, code=HoldError.UNREACHABLE)
    except ApiError as exc:
        taken = tuple(int(s) for s in exc.details.get("unavailable_seats") or ())
        short = {
            int(a["area"]): int(a.get("remaining") or 0)
            for a in exc.details.get("unavailable_areas") or ()
        }
        if taken or short:
            return HoldResult(
                False,
                _taken_message(taken, short, labels),
                hold,
                unavailable_seats=taken,
                unavailable_areas=short,
                code=exc.code_as(HoldError),
            )
        if exc.status == 401:
            return HoldResult(
                False, NOT_SIGNED_IN, hold, reachable=False, code=HoldError.NO_SESSION
            )
        return HoldResult(False, exc.message, hold, code=exc.code_as(HoldError))
    finally:
        client.close()


def release_hold(*, ctx: PosContext, hold_id: str) -> bool:
    """Give the seats back (a new sale, or the window closes); False if not reached."""
    client = ctx.user_client()
    if client is None:
        return False
    try:
        client.request("DELETE", f"{HOLDS}{hold_id}/")
        return True
    except (ServerUnreachable, ApiError) as exc:
        log.info("hold %s not released: %s", hold_id, exc)
        return False
    finally:
        client.close()


@dataclass(frozen=True, slots=True)
class Availability:
    ok: bool
    version: int | None = None
    seats: Mapping[int, str] = field(default_factory=dict)  # seat id -> status
    areas: Mapping[int, int] = field(default_factory=dict)  # area id -> places left
    full: bool = False  # everything, not only changes
    message: str = ""


def fetch_availability(*, ctx: PosContext, event_id: int, since: int | None) -> Availability:
    client = ctx.user_client()
    if client is None:
        return Availability(False, message=NOT_SIGNED_IN)
    params = {"since": since} if since is not None else None
    try:
        data = client.get(f"/api/v1/events/{event_id}/availability/", params=params)
    except (ServerUnreachable, ApiError) as exc:
        return Availability(False, message=exc.message)
    finally:
        client.close()
    return Availability(
        True,
        version=int(data.get("version") or 0),
        seats={int(s["id"]): str(s["status"]) for s in data.get("seats") or ()},
        areas={int(a["id"]): int(a.get("remaining") or 0) for a in data.get("areas") or ()},
        full=since is None,
    )


@dataclass(frozen=True, slots=True)
class VoucherCheck:
    ok: bool
    message: str
    voucher: Voucher | None = None


def check_voucher(
    *, ctx: PosContext, event_id: int, ticket_ids: Sequence[int], code: str
) -> VoucherCheck:
    """Whether the server accepts `code` for these tickets now; the voucher to price with.
    The server counts its use when the sale arrives."""
    code = code.strip()
    if not code:
        return VoucherCheck(False, "Enter a voucher code.")
    client = ctx.user_client()
    if client is None:
        return VoucherCheck(False, "Vouchers can only be checked while the counter is online.")
    try:
        data = client.post(
            "/api/v1/vouchers/check/",
            {"code": code, "event": event_id, "tickets": list(ticket_ids)},
        )
        voucher = Voucher.from_dict(data["voucher"])
    except ServerUnreachable:
        return VoucherCheck(False, "Vouchers can only be checked while the counter is online.")
    except ApiError as exc:
        return VoucherCheck(False, exc.message)
    except (KeyError, TypeError, ValueError):
        return VoucherCheck(False, "The server's answer about the voucher could not be read.")
    finally:
        client.close()
    return VoucherCheck(True, f"Voucher {voucher.code} applied.", voucher)
