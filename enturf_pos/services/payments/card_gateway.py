"""The card gateway of this counter: its settings (from registration), a terminal on
its reader, and whether card payments work now."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from enturf_core.gateway import (
    GatewayConfig,
    GatewayError,
    GatewayErrorCode,
    StripeRestClient,
    StripeTerminal,
)
from enturf_pos.models import Device
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.session.secret_store import Secret


def gateway_config(ctx: PosContext) -> GatewayConfig | str:
    """This counter's gateway settings (from registration), or why card is unavailable."""
    with ctx.db.transaction() as session:
        device = session.get(Device, 1)
        base_url, reader_id = (device.gateway_base_url, device.reader_id) if device else ("", "")
    if device is None:
        return "This counter is not registered, so it cannot take cards."
    if not reader_id:
        return "No card reader is set up for this counter (an administrator sets its reader)."
    key = ctx.secrets.get(Secret.GATEWAY_KEY)
    if not key:
        return "The card gateway key of this counter is missing; register the counter again."
    try:
        return GatewayConfig(
            api_key=key,
            base_url=base_url.rstrip("/"),
            reader_id=reader_id,
            connect_timeout=3.0,
            read_timeout=15.0,
            max_retries=1,
            backoff_base=0.2,
            backoff_max=1.0,
            poll_interval=0.25,
        )
    except ValueError as exc:
        return f"The card gateway settings of this counter are not usable: {exc}."


@contextmanager
def open_terminal(config: GatewayConfig) -> Iterator[StripeTerminal]:
    """A terminal on this counter's reader; its HTTP client is closed afterwards."""
    client = StripeRestClient(config)
    try:
        yield StripeTerminal(client, config.reader_id or "")
    finally:
        client.close()


@dataclass(frozen=True, slots=True)
class CardAvailability:
    ok: bool
    message: str


def check_card(ctx: PosContext) -> CardAvailability:
    """Whether card payments work now: gateway reachable, reader known and online."""
    config = gateway_config(ctx)
    if isinstance(config, str):
        return CardAvailability(False, f"Card payments are unavailable: {config}")
    try:
        with open_terminal(replace(config, max_retries=0)) as terminal:
            reader = terminal.client.retrieve_reader(terminal.reader_id)
    except GatewayError as exc:
        return CardAvailability(False, f"Card payments are unavailable: {exc.message}")
    if reader.get("status") == "offline":
        offline = GatewayError(GatewayErrorCode.READER_OFFLINE).message
        return CardAvailability(False, f"Card payments are unavailable: {offline}")
    return CardAvailability(True, "The card reader is ready.")
