"""A manager's edits of an event's check-in lists (the Door tab of the manager window).

There is no push op for check-in lists, so they are edited on the server, online only,
through the API (`/api/v1/events/{id}/checkin-lists/`); offline, the lists the feed
brought are shown and an edit says that it needs the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from enturf_core.wire import feed
from enturf_core.wire.model import WireError
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.door import local_door_data
from enturf_pos.services.session.api_client import ApiError, ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext

NEEDS_SERVER = (
    "Check-in lists are kept on the server: connect to it to change them "
    "(the door devices keep the lists they have)."
)
NOT_REGISTERED = "This device is not registered with a server."


@dataclass(frozen=True, slots=True)
class ListDraft:
    """What the list form holds; `tickets` empty: every ticket of the event, `gates`
    empty: any gate."""

    name: str
    tickets: tuple[int, ...] = ()
    gates: tuple[str, ...] = ()
    exits: bool = False
    reentry: bool = False
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    @classmethod
    def of(cls, lst: feed.CheckinList) -> ListDraft:
        return cls(
            lst.name, lst.tickets, lst.gates, lst.exits, lst.reentry, lst.starts_at, lst.ends_at
        )

    def problem(self) -> str | None:
        """What to fix before it can be saved, in words; None when it can."""
        if not self.name.strip():
            return "Give the list a name, e.g. “Main entrance”."
        if len(self.name.strip()) > 100:
            return "The name is too long: 100 characters at most."
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            return "The time window ends before it starts: check the two times."
        if self.reentry and not self.exits:
            return "Re-entry needs exits to be scanned: tick “Exits scanned” too."
        return None

    def payload(self) -> dict[str, Any]:
        return {
            "name": self.name.strip(),
            "tickets": list(self.tickets),
            "gates": list(self.gates),
            "exits": self.exits,
            "reentry": self.reentry,
            "starts_at": self.starts_at.isoformat() if self.starts_at else None,
            "ends_at": self.ends_at.isoformat() if self.ends_at else None,
        }


def parse_gates(text: str) -> tuple[str, ...]:
    """`"North, South ,north"` -> `("North", "South")`: trimmed, blanks and repeats dropped
    (case-insensitively, the first spelling kept)."""
    seen: set[str] = set()
    gates: list[str] = []
    for part in text.split(","):
        gate = " ".join(part.split())
        if gate and gate.casefold() not in seen:
            seen.add(gate.casefold())
            gates.append(gate)
    return tuple(gates)


@dataclass(frozen=True, slots=True)
class ListsResult:
    lists: tuple[feed.CheckinList, ...]
    online: bool  # from the server now; False: what this device holds from the feed
    message: str = ""  # why not from the server
    offline: bool = False  # the server cannot be reached


def lists_of(ctx: PosContext, event_id: int) -> ListsResult:
    """The event's lists: the server's when it answers, else this device's copy."""
    client = ctx.user_client()
    offline = True
    if client is not None:
        try:
            data = client.request("GET", f"api/v1/events/{event_id}/checkin-lists/")
            lists = tuple(_parse(item) for item in _items(data))
            return ListsResult(tuple(sorted(lists, key=lambda x: x.name.casefold())), True)
        except ServerUnreachable as exc:
            message = exc.message
        except ApiError as exc:
            message, offline = exc.message, False
        except WireError as exc:
            message, offline = f"The server's lists could not be read: {exc}", False
        finally:
            client.close()
    else:
        message = NOT_REGISTERED
    return ListsResult(local_door_data.local_lists(ctx, event_id), False, message, offline)


def create_list(ctx: PosContext, event_id: int, draft: ListDraft) -> EditResult:
    return _write(ctx, "POST", f"api/v1/events/{event_id}/checkin-lists/", draft, "created")


def update_list(ctx: PosContext, event_id: int, list_id: int, draft: ListDraft) -> EditResult:
    path = f"api/v1/events/{event_id}/checkin-lists/{list_id}/"
    return _write(ctx, "PATCH", path, draft, "saved")


def delete_list(ctx: PosContext, event_id: int, list_id: int, name: str) -> EditResult:
    client = ctx.user_client()
    if client is None:
        return EditResult(False, NEEDS_SERVER)
    try:
        client.request("DELETE", f"api/v1/events/{event_id}/checkin-lists/{list_id}/")
    except ServerUnreachable:
        return EditResult(False, NEEDS_SERVER)
    except ApiError as exc:
        return EditResult(False, f"The server did not delete “{name}”: {exc.message}")
    finally:
        client.close()
    return EditResult(True, f"Check-in list “{name}” deleted.")


def _write(ctx: PosContext, method: str, path: str, draft: ListDraft, done: str) -> EditResult:
    problem = draft.problem()
    if problem:
        return EditResult(False, problem)
    client = ctx.user_client()
    if client is None:
        return EditResult(False, NEEDS_SERVER)
    try:
        client.request(method, path, json=draft.payload())
    except ServerUnreachable:
        return EditResult(False, NEEDS_SERVER)
    except ApiError as exc:
        return EditResult(False, f"The server refused the list: {_reason(exc)}")
    finally:
        client.close()
    return EditResult(True, f"Check-in list “{draft.name.strip()}” {done}.")


def _reason(exc: ApiError) -> str:
    """The server's message, with the fields it names (a 400's details)."""
    fields = "; ".join(
        f"{key}: {' '.join(map(str, v)) if isinstance(v, list) else v}"
        for key, v in exc.details.items()
    )
    return f"{exc.message} ({fields})" if fields else exc.message


def _items(data: Any) -> list[Any]:
    if isinstance(data, dict):
        data = data.get("results", data.get("lists", []))
    return list(data or [])


def _parse(item: Any) -> feed.CheckinList:
    return feed.CheckinList.from_wire(item, ignore_unknown=True)
