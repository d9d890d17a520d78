"""Changing a role's grant on the live test server while a counter is signed in, as an
administrator does in the back office (`PUT /api/v1/roles/{role}/`), and putting every
changed grant back afterwards: the server's database is shared by the whole session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from enturf_pos.ui.window_flow import WindowFlow
from support.pos_windows import WAIT
from support.sync_support import AdminApi


class RoleGrants:
    def __init__(self, api: AdminApi) -> None:
        self._api = api
        self._before: dict[str, dict] = {}

    def change(
        self,
        role: str,
        *,
        add: tuple[str, ...] = (),
        remove: tuple[str, ...] = (),
        refund_limit_cents: int | str | None = "keep",
    ) -> None:
        current = self._api.get(f"roles/{role}/")
        self._before.setdefault(role, current)
        rights = (set(current["rights"]) | set(add)) - set(remove)
        limit = (
            current["refund_limit_cents"] if refund_limit_cents == "keep" else refund_limit_cents
        )
        self._api.call(
            "PUT", f"roles/{role}/", {"rights": sorted(rights), "refund_limit_cents": limit}
        )

    def restore(self) -> None:
        for role, before in self._before.items():
            self._api.call(
                "PUT",
                f"roles/{role}/",
                {"rights": before["rights"], "refund_limit_cents": before["refund_limit_cents"]},
            )
        self._before.clear()


@contextmanager
def role_grants(api: AdminApi) -> Iterator[RoleGrants]:
    grants = RoleGrants(api)
    try:
        yield grants
    finally:
        grants.restore()


def sync_until(qtbot, flow: WindowFlow, done: Callable[[], bool]) -> None:
    """Sync now (as F5 does) and wait until `done` holds."""
    qtbot.waitUntil(lambda: not flow.sync.worker.running, timeout=WAIT)
    flow.sync.sync_now()
    qtbot.waitUntil(done, timeout=WAIT)
