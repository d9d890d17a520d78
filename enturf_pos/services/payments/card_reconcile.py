"""Reconciliation of card attempts after a crash or a lost answer (start-up, login,
any time): every open attempt is looked up at the gateway, captured where a local sale
paid with it exists (unless the server refused the sale), canceled where none does.
The customer is charged at most once and no paid sale is lost."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from enturf_core.gateway import GatewayError, PaymentResult, PaymentState, StripeTerminal
from enturf_core.wire.ops import CARD
from enturf_pos.models import CardAttempt, LocalSale, OutboxOp, OutboxState
from enturf_pos.services.payments.card_attempts import (
    CANCELED,
    CAPTURED,
    OPEN,
    busy,
    finish,
    open_attempts,
)
from enturf_pos.services.payments.card_gateway import gateway_config, open_terminal
from enturf_pos.services.session.pos_context import PosContext


@dataclass(frozen=True, slots=True)
class _Ref:
    local_id: str
    payment_id: str


@dataclass
class ReconcileReport:
    captured: int = 0
    canceled: int = 0
    left_open: int = 0
    messages: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        done = f"Card payments checked: {self.captured} captured, {self.canceled} canceled"
        if self.left_open:
            done += f", {self.left_open} left for later"
        return done + "." + ("".join(f" {m}" for m in self.messages))


def _sale_for(session, attempt: CardAttempt) -> tuple[bool, bool]:
    """(a local sale paid with this attempt's intent exists, the server refused it)."""
    sale = session.get(LocalSale, attempt.sale_id)
    if sale is None or not attempt.payment_intent:
        return False, False
    intents = {p.payment_intent for p in sale.sale.payments if p.method == CARD}
    if attempt.payment_intent not in intents:
        return False, False
    op = session.get(OutboxOp, sale.op_id) if sale.op_id else None
    return True, op is not None and op.state in (OutboxState.REJECTED, OutboxState.RESOLVED)


def settle(ctx: PosContext, terminal: StripeTerminal, attempt_id: uuid.UUID) -> str:
    """Settle one open attempt; its new state (``open`` if it must wait)."""
    with ctx.db.transaction() as session:
        attempt = session.get(CardAttempt, attempt_id)
        if attempt is None or attempt.state != OPEN:
            return attempt.state if attempt else CANCELED
        local_id, intent_id = str(attempt.id), attempt.payment_intent
        has_sale, refused = _sale_for(session, attempt)
    if intent_id:
        result: PaymentResult | None = terminal.status(_Ref(local_id, intent_id))
    else:
        result = terminal.recover(local_id)
    if result is None:
        finish(ctx, attempt_id, CANCELED, "no payment at the gateway")
        return CANCELED
    ref = _Ref(local_id, result.payment_id)
    if result.state is PaymentState.CAPTURED:
        note = "captured" if has_sale else "captured without a local sale: refund it"
        finish(ctx, attempt_id, CAPTURED, note)
        return CAPTURED
    if result.state is PaymentState.CANCELED:
        finish(ctx, attempt_id, CANCELED, "canceled at the gateway")
        return CANCELED
    if has_sale and not refused and result.state is PaymentState.AUTHORISED:
        captured = terminal.capture(ref)
        if captured.state is PaymentState.CAPTURED:
            finish(ctx, attempt_id, CAPTURED, "captured on reconciliation")
            return CAPTURED
        return OPEN
    terminal.cancel(ref)
    finish(ctx, attempt_id, CANCELED, "canceled on reconciliation")
    return CANCELED


def settle_quietly(ctx: PosContext, attempt_id: uuid.UUID) -> bool:
    """Settle one attempt now if the gateway answers; True when it is settled."""
    config = gateway_config(ctx)
    if isinstance(config, str):
        return False
    try:
        with open_terminal(config) as terminal:
            return settle(ctx, terminal, attempt_id) != OPEN
    except GatewayError:
        return False


def reconcile(*, ctx: PosContext) -> ReconcileReport:
    """Settle every unfinished card attempt: capture where its sale exists, cancel where
    none does. Attempts a payment of this process is still driving are left alone."""
    report = ReconcileReport()
    driven = busy()
    pending = [a for a in open_attempts(ctx) if a not in driven]
    if not pending:
        return report
    config = gateway_config(ctx)
    if isinstance(config, str):
        report.left_open = len(pending)
        report.messages.append(config)
        return report
    with open_terminal(config) as terminal:
        for attempt_id in pending:
            try:
                state = settle(ctx, terminal, attempt_id)
            except GatewayError as exc:
                state = OPEN
                if exc.message not in report.messages:
                    report.messages.append(exc.message)
            if state == CAPTURED:
                report.captured += 1
            elif state == CANCELED:
                report.canceled += 1
            else:
                report.left_open += 1
    return report
