"""The accounting export: the server's journal CSV of a period
(`GET /api/v1/reports/accounting/?from=&to=`), saved byte for byte as it was sent (its
layout is the server's, documented in docs/reports.md). Online only: the journal is
the server's books, which no counter holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from enturf_pos.services.reports.report_filters import ACCOUNTING_PATH
from enturf_pos.services.session.api_client import ApiError, ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext


@dataclass(frozen=True, slots=True)
class SavedExport:
    ok: bool
    message: str
    path: Path | None = None
    size: int = 0


def save_accounting_csv(ctx: PosContext, params: dict[str, Any], path: Path) -> SavedExport:
    """Run off the UI thread."""
    client = ctx.user_client()
    if client is None:
        return SavedExport(False, "The accounting export needs the server: connect first.")
    try:
        body, _kind = client.get_bytes(ACCOUNTING_PATH, params=params)
    except ServerUnreachable as exc:
        return SavedExport(False, f"The accounting export needs the server. {exc.message}")
    except ApiError as exc:
        return SavedExport(False, f"The server gave no accounting export: {exc.message}")
    finally:
        client.close()
    try:
        path.write_bytes(body)
    except OSError as exc:
        return SavedExport(False, f"Could not save {path.name}: {exc.strerror or exc}.")
    return SavedExport(True, f"Accounting export saved: {path}", path, len(body))
