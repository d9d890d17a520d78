"""The start of a POS child process of the crash tests (`tests/support/*_child.py`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from enturf_pos.services.session.pos_context import PosContext


def open_child_context(order: dict[str, Any]) -> PosContext:
    """The counter of `order["data_dir"]`, its secrets (from stdin, never a file or the
    command line) in an in-memory keyring."""
    import keyring

    from support.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    from enturf_pos.config import PosConfig
    from enturf_pos.services.session.pos_context import open_context
    from enturf_pos.services.session.secret_store import Secret

    ctx = open_context(PosConfig(data_dir=Path(order["data_dir"])))
    for name, value in order["secrets"].items():
        ctx.secrets.set(Secret(name), value)
    return ctx
