"""Updates of the counter: is a newer counter version published, and do this counter's and
the server's sync wire formats still meet (plain Python, no Qt).

At login (online) the counter reads ``GET /api/v1/counter-version/`` (:func:`check`): the
version the server expects, where to get it, and the wire formats it serves. A newer
version is said once a day at most (the day and version said are kept in `sync_state`);
the wire range is kept too, and :func:`sync_refusal` stops a sync before it sends
anything when the formats do not meet (the server refuses such a counter as well:
HTTP 426 ``wire_version_unsupported``, :func:`remember_refusal`). Nothing queued is touched:
the outbox waits for the update, and the counter sells offline meanwhile.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from typing import Any

from enturf_core.wire import version as wire
from enturf_pos.services import venue_time
from enturf_pos.services.session.api_client import ApiClient, ApiError
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import sync_state_store

log = logging.getLogger(__name__)

VERSION_PATH = "/api/v1/counter-version/"
SERVER_KEY = "server_versions"  # the last answer of the counter-version endpoint
NOTICE_KEY = "update_notice"  # {"version", "day"}: the newer version said last, and when
PACKAGE = "enturf"


def counter_version() -> str:
    """This counter's own version (the package's metadata, also in a packaged build)."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "0"


def _tuple(text: str) -> tuple[int, ...]:
    """The numeric release parts of a version ("1.2.3rc1" -> (1, 2, 3)); a fallback when
    `packaging` is not installed."""
    parts = []
    for piece in text.strip().lstrip("vV").split("."):
        digits = re.match(r"\d+", piece)
        if digits is None:
            break
        parts.append(int(digits.group()))
        if digits.group() != piece:
            break
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def is_newer(candidate: str, current: str) -> bool:
    """Whether version `candidate` is newer than `current` (PEP 440 order when
    `packaging` is there: 0.10 > 0.9, 1.0 > 1.0rc1; a version that does not parse is
    never newer)."""
    try:
        from packaging.version import InvalidVersion, Version
    except ImportError:  # pragma: no cover - packaging is in the venv; kept for a lean build
        return _tuple(candidate) > _tuple(current)
    try:
        return Version(candidate) > Version(current)
    except InvalidVersion:
        return False


@dataclass(frozen=True)
class ServerVersions:
    latest: str
    download_url: str
    wire_version: int
    min_wire_version: int

    @classmethod
    def from_json(cls, data: Any) -> ServerVersions:
        if not isinstance(data, dict):
            raise ValueError("not an object")
        newest = int(data.get("wire_version", 1))
        return cls(
            latest=str(data.get("latest") or ""),
            download_url=str(data.get("download_url") or ""),
            wire_version=newest,
            min_wire_version=int(data.get("min_wire_version", newest)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "latest": self.latest,
            "download_url": self.download_url,
            "wire_version": self.wire_version,
            "min_wire_version": self.min_wire_version,
        }

    def refusal(self) -> str:
        """Why this counter cannot sync with that server ("" when it can)."""
        why = wire.refusal(
            wire.WIRE_VERSION, newest=self.wire_version, oldest=self.min_wire_version
        )
        return sync_stopped(why, self.download_url) if why else ""


def sync_stopped(why: str, download_url: str = "") -> str:
    where = f" ({download_url})" if download_url else ""
    return (
        f"Sync stopped: {why}{where} Sales are kept on this counter and sent after the "
        "update; selling goes on offline."
    )


@dataclass(frozen=True)
class UpdateCheck:
    versions: ServerVersions | None
    notice: str = ""  # a newer counter version, to say (once a day at most)
    refusal: str = ""  # why sync is stopped ("" when the wire formats meet)


def how_to_get(versions: ServerVersions) -> str:
    if versions.download_url:
        return f"download it from {versions.download_url}"
    return "ask your administrator to install it"


def check(*, ctx: PosContext, today: date | None = None) -> UpdateCheck:
    """Ask the server (at login, online; on a worker thread). Never raises for a network
    or server problem: without an answer there is nothing to say."""
    client = ctx.api_client()
    if client is None:
        return UpdateCheck(None)
    try:
        versions = fetch(client)
    except Exception as exc:
        log.info("counter version check failed: %s", exc)
        return UpdateCheck(None)
    finally:
        client.close()
    day = (today or venue_time.now().date()).isoformat()
    notice = ""
    with ctx.db.transaction() as session:
        sync_state_store.set_value(session, SERVER_KEY, versions.to_json())
        said = sync_state_store.get_value(session, NOTICE_KEY) or {}
        if is_newer(versions.latest, counter_version()) and said.get("day") != day:
            notice = (
                f"A newer counter version {versions.latest} is available "
                f"(this counter runs {counter_version()}): {how_to_get(versions)}."
            )
            sync_state_store.set_value(
                session, NOTICE_KEY, {"version": versions.latest, "day": day}
            )
    return UpdateCheck(versions, notice=notice, refusal=versions.refusal())


def fetch(client: ApiClient) -> ServerVersions:
    """The server's answer; a server from before this endpoint (404) speaks format 1."""
    try:
        return ServerVersions.from_json(client.get(VERSION_PATH))
    except ApiError as exc:
        if exc.status == 404:
            return ServerVersions("", "", 1, 1)
        raise


def stored(ctx: PosContext) -> ServerVersions | None:
    with ctx.db.transaction() as session:
        data = sync_state_store.get_value(session, SERVER_KEY)
    try:
        return ServerVersions.from_json(data) if data else None
    except (TypeError, ValueError):
        return None


def sync_refusal(ctx: PosContext, client: ApiClient) -> str:
    """Before a sync sends anything: why it must not ("" to go on). Only when the last
    known answer says the formats do not meet is the server asked again (it may have
    been updated since); raises ServerUnreachable / ApiError like any request."""
    known = stored(ctx)
    if known is None or not known.refusal():
        return ""
    fresh = fetch(client)
    with ctx.db.transaction() as session:
        sync_state_store.set_value(session, SERVER_KEY, fresh.to_json())
    return fresh.refusal()


def remember_refusal(ctx: PosContext, error: ApiError) -> str:
    """The server refused this counter's wire format (426): keep its range, say why."""
    details = error.details
    known = stored(ctx)
    try:
        versions = ServerVersions(
            latest=known.latest if known else "",
            download_url=known.download_url if known else "",
            wire_version=int(details["wire_version"]),
            min_wire_version=int(details["min_wire_version"]),
        )
    except (KeyError, TypeError, ValueError):
        return sync_stopped(error.message)
    with ctx.db.transaction() as session:
        sync_state_store.set_value(session, SERVER_KEY, versions.to_json())
    return versions.refusal() or sync_stopped(error.message)


def wire_refused(ctx: PosContext) -> bool:
    """Whether the last known answer says this counter cannot sync (the probe: such a
    counter sells as if offline, from its allocation)."""
    known = stored(ctx)
    return known is not None and bool(known.refusal())
