"""Card payments at the counter: the sale paid by card (or part cash, part card) on this
counter's reader, with the device's restricted gateway key, and reconciliation after a
crash.

Order of steps, so that a crash at any point is settled by :func:`reconcile`:

1. a `CardAttempt` row is committed (its id is the local id the gateway knows);
2. the PaymentIntent is created (manual capture, ``metadata[booking]`` = the sale id,
   the card part's amount) and shown on the reader; its id is stored on the attempt;
3. the customer taps: approved (the money is authorised, not taken) or declined (the
   cashier retries on the reader, or cancels and takes cash: the intent is canceled);
4. the local sale and its `counter_sale` outbox op are committed in one transaction;
5. the intent is captured, then the attempt is marked ``captured``.

:func:`reconcile` (start-up, login, any time) looks every unfinished attempt up at the
gateway: it captures where a local sale with that intent exists (unless the server
refused the sale), and cancels where none does. The customer is charged at most once
and no paid sale is lost.

Kill points (`ENTURF_POS_KILL_AT`, see `sync_kill_points`): ``card_before_intent``,
``card_after_intent``, ``card_after_tap``, ``card_after_commit``, ``card_after_capture``.

Every function here blocks on the network: the window calls them through its
`TaskRunner`.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from sqlalchemy import select

from enturf_core.gateway import (
    GatewayConfig,
    GatewayError,
    GatewayErrorCode,
    PaymentHandle,
    PaymentResult,
    PaymentState,
    StripeRestClient,
    StripeTerminal,
)
from enturf_core.money import Money
from enturf_pos.models import CardAttempt, Device, LocalSale, OutboxOp, OutboxState
from enturf_pos.services.sales import sale_service
from enturf_pos.services.sales.buyer import Buyer
from enturf_pos.services.sales.cart_service import Cart
from enturf_pos.services.sales.sale_service import CardPart, SaleDraft, SaleResult
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.session.secret_store import Secret
from enturf_pos.services.sync.sync_kill_points import kill_point

OPEN, CAPTURED, CANCELED = "open", "captured", "canceled"
WAITING, APPROVED, DECLINED, STOPPED, FAILED = (
    "waiting",
    "approved",
    "declined",
    "canceled",
    "failed",
)
CASH_STILL_WORKS = "Cash still works."

# attempts a payment of this process is driving; reconcile leaves them alone
_in_progress: set[uuid.UUID] = set()
_in_progress_lock = threading.Lock()


def _track(attempt_id: uuid.UUID, active: bool) -> None:
    with _in_progress_lock:
        (_in_progress.add if active else _in_progress.discard)(attempt_id)


def forget(attempt_id: uuid.UUID) -> None:
    """This process stops driving the attempt (its window closed): the next
    :func:`reconcile` settles it (cancels it, unless its sale was recorded)."""
    _track(attempt_id, False)


# -- the gateway of this counter -------------------------------------------------------------


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
def _terminal(config: GatewayConfig) -> Iterator[StripeTerminal]:
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
        with _terminal(replace(config, max_retries=0)) as terminal:
            reader = terminal.client.retrieve_reader(terminal.reader_id)
    except GatewayError as exc:
        return CardAvailability(False, f"Card payments are unavailable: {exc.message}")
    if reader.get("status") == "offline":
        offline = GatewayError(GatewayErrorCode.READER_OFFLINE).message
        return CardAvailability(False, f"Card payments are unavailable: {offline}")
    return CardAvailability(True, "The card reader is ready.")


# -- one payment -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardStep:
    """Where a card payment stands, for the window (a plain value, no ORM object).

    ``state``: ``waiting`` (on the reader), ``approved`` (authorised: record the sale),
    ``declined`` (retry on the reader or cancel), ``canceled`` (nothing taken),
    ``failed`` (card unavailable; cash still works)."""

    state: str
    message: str
    attempt_id: uuid.UUID | None = None
    draft: SaleDraft | None = None
    handle: PaymentHandle | None = None
    brand: str = ""
    last4: str = ""
    authorization_code: str = ""
    decline_code: str = ""


def start_card_payment(
    *, ctx: PosContext, cart: Cart, card_amount: Money | None, offline: bool
) -> CardStep:
    """Record the attempt, create the intent for the card part and show it on the reader.

    `card_amount` None: the card pays the whole total (else the rest is paid in cash)."""
    draft = sale_service.plan_payment(cart, card_amount)
    if isinstance(draft, str):
        return CardStep(FAILED, draft)
    if (refusal := sale_service.shift_refusal(ctx)) is not None:  # before the card is taken
        return CardStep(FAILED, refusal)
    if offline and (refusal := sale_service.offline_refusal(ctx, cart)) is not None:
        return CardStep(FAILED, refusal)
    if sale_service.signing_key(ctx) is None:  # checked before the card is taken
        return CardStep(FAILED, sale_service.NO_SIGNING_KEY)
    config = gateway_config(ctx)
    if isinstance(config, str):
        return CardStep(FAILED, f"Card payments are unavailable: {config} {CASH_STILL_WORKS}")
    attempt_id = uuid.uuid4()
    with ctx.db.transaction() as session:
        session.add(
            CardAttempt(
                id=attempt_id,
                sale_id=draft.sale_id,
                amount=draft.card_due.amount,
                currency=draft.card_due.currency,
                state=OPEN,
            )
        )
    _track(attempt_id, True)
    kill_point("card_before_intent")
    try:
        with _terminal(config) as terminal:
            handle = terminal.start_on_reader(
                str(attempt_id),
                draft.card_due.to_minor_units(),
                draft.card_due.currency,
                metadata={"booking": str(draft.sale_id)},
            )
    except GatewayError as exc:
        _track(attempt_id, False)
        _settle_quietly(ctx, attempt_id)  # an intent the error hid is canceled now or later
        message = f"Card payments are unavailable: {exc.message} {CASH_STILL_WORKS}"
        return CardStep(FAILED, message, attempt_id, draft)
    with ctx.db.transaction() as session:
        row = session.get(CardAttempt, attempt_id)
        assert row is not None
        row.payment_intent = handle.payment_id
    kill_point("card_after_intent")
    return CardStep(
        WAITING,
        f"Waiting for the card: {draft.card_due.format()} on the reader.",
        attempt_id,
        draft,
        handle,
    )


def wait_for_card(*, ctx: PosContext, step: CardStep, timeout: float = 30.0) -> CardStep:
    """Wait up to `timeout` seconds for the tap; ``waiting`` again if none came yet."""
    if step.handle is None or step.attempt_id is None:
        return step
    config = gateway_config(ctx)
    if isinstance(config, str):
        return replace(step, state=FAILED, message=config)
    try:
        with _terminal(config) as terminal:
            result = terminal.await_result(step.handle, timeout)
    except GatewayError as exc:
        if exc.code is GatewayErrorCode.READER_CANCELED or exc.is_card_problem:
            return replace(step, state=DECLINED, message=exc.message, decline_code=exc.code.value)
        return replace(step, state=WAITING, message=f"{exc.message} Still waiting for the card.")
    return _after_result(ctx, step, result)


def _after_result(ctx: PosContext, step: CardStep, result: PaymentResult) -> CardStep:
    if result.state is PaymentState.PENDING:
        return replace(step, state=WAITING)
    if result.state is PaymentState.CANCELED:
        _finish(ctx, step.attempt_id, CANCELED, "canceled at the gateway")
        return replace(step, state=STOPPED, message="The card payment was canceled.")
    kill_point("card_after_tap")
    brand = (result.card.brand or "") if result.card else ""
    last4 = (result.card.last4 or "") if result.card else ""
    with ctx.db.transaction() as session:
        row = session.get(CardAttempt, step.attempt_id)
        if row is not None:
            row.card_brand, row.card_last4 = brand[:40], last4[:4]
    return replace(
        step,
        state=APPROVED,
        message=f"Approved: {brand.title()} •••• {last4}.",
        brand=brand,
        last4=last4,
        authorization_code=result.authorization_code or "",
    )


def retry_card(*, ctx: PosContext, step: CardStep) -> CardStep:
    """Offer the same payment on the reader again (another card after a decline)."""
    if step.handle is None:
        return step
    config = gateway_config(ctx)
    if isinstance(config, str):
        return replace(step, state=FAILED, message=config)
    try:
        with _terminal(config) as terminal:
            handle = terminal.retry_on_reader(step.handle)
    except GatewayError as exc:
        return replace(step, state=DECLINED, message=exc.message)
    assert step.draft is not None
    return replace(
        step,
        state=WAITING,
        handle=handle,
        message=f"Waiting for the card: {step.draft.card_due.format()} on the reader.",
        decline_code="",
    )


def cancel_card(*, ctx: PosContext, step: CardStep) -> CardStep:
    """Stop the reader and cancel the intent (any authorisation is released)."""
    if step.attempt_id is None:
        return replace(step, state=STOPPED, message="The card payment was canceled.")
    _track(step.attempt_id, False)
    if _settle_quietly(ctx, step.attempt_id):
        return replace(step, state=STOPPED, message="The card payment was canceled.")
    return replace(
        step,
        state=STOPPED,
        message="The card payment was stopped; the gateway did not answer, so it is "
        "canceled there as soon as it does (no money is taken).",
    )


@dataclass(frozen=True, slots=True)
class CardSaleResult:
    sale: SaleResult
    captured: bool
    message: str
    brand: str = ""
    last4: str = ""


def complete_card_sale(
    *,
    ctx: PosContext,
    cart: Cart,
    step: CardStep,
    tendered: Money | None,
    seller: str,
    hold_id: str | None,
    offline: bool,
    buyer: Buyer | None = None,
) -> CardSaleResult:
    """After the approval: commit the sale and its outbox op, then capture."""
    assert step.state == APPROVED and step.draft is not None and step.handle is not None
    assert step.attempt_id is not None
    draft = step.draft
    if cart.empty or cart.breakdown().total != draft.total:
        cancel_card(ctx=ctx, step=step)
        failed = SaleResult(
            False,
            "The cart changed while the card was on the reader: the card payment was "
            "canceled (no money taken). Take the payment again.",
        )
        return CardSaleResult(failed, False, failed.message)
    card = CardPart(
        payment_intent=step.handle.payment_id,
        amount=draft.card_due,
        brand=step.brand,
        last4=step.last4,
        authorization_code=step.authorization_code,
    )
    attempt_id = step.attempt_id

    def note_sale(session) -> None:
        row = session.get(CardAttempt, attempt_id)
        if row is not None:
            row.note = "sale recorded"

    result = sale_service.record_sale(
        ctx=ctx,
        cart=cart,
        tendered=tendered if draft.cash_due.amount > 0 else None,
        card=card,
        seller=seller,
        hold_id=hold_id,
        offline=offline,
        buyer=buyer,
        sale_id=draft.sale_id,
        session_hook=note_sale,
    )
    if not result.ok:
        if draft.cash_due.amount > 0 and result.error is sale_service.SaleError.NOT_COVERED:
            return CardSaleResult(result, False, result.message)  # fix the cash, keep the card
        cancel_card(ctx=ctx, step=step)
        message = f"{result.message} The card authorisation was released (no money taken)."
        return CardSaleResult(replace(result, message=message), False, message)
    kill_point("card_after_commit")
    captured = _capture(ctx, attempt_id, step.handle)
    _track(attempt_id, False)
    message = result.message
    if not captured:
        message += (
            " The card payment is authorised; it is captured as soon as the gateway answers "
            "(no need to take it again)."
        )
    return CardSaleResult(result, captured, message, step.brand, step.last4)


def _capture(ctx: PosContext, attempt_id: uuid.UUID, ref) -> bool:
    config = gateway_config(ctx)
    if isinstance(config, str):
        return False
    try:
        with _terminal(config) as terminal:
            result = terminal.capture(ref)
    except GatewayError:
        return False
    kill_point("card_after_capture")
    if result.state is PaymentState.CAPTURED:
        _finish(ctx, attempt_id, CAPTURED, "captured")
        return True
    return False


def _finish(ctx: PosContext, attempt_id: uuid.UUID | None, state: str, note: str) -> None:
    if attempt_id is None:
        return
    with ctx.db.transaction() as session:
        row = session.get(CardAttempt, attempt_id)
        if row is not None:
            row.state, row.note = state, note[:300]
    _track(attempt_id, False)


# -- reconciliation --------------------------------------------------------------------------


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
    intents = {
        p.get("payment_intent")
        for p in (sale.payload or {}).get("payments") or []
        if isinstance(p, dict) and p.get("method") == "card"
    }
    if attempt.payment_intent not in intents:
        return False, False
    op = session.get(OutboxOp, sale.op_id) if sale.op_id else None
    return True, op is not None and op.state in (OutboxState.REJECTED, OutboxState.RESOLVED)


def _settle(ctx: PosContext, terminal: StripeTerminal, attempt_id: uuid.UUID) -> str:
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
        _finish(ctx, attempt_id, CANCELED, "no payment at the gateway")
        return CANCELED
    ref = _Ref(local_id, result.payment_id)
    if result.state is PaymentState.CAPTURED:
        note = "captured" if has_sale else "captured without a local sale: refund it"
        _finish(ctx, attempt_id, CAPTURED, note)
        return CAPTURED
    if result.state is PaymentState.CANCELED:
        _finish(ctx, attempt_id, CANCELED, "canceled at the gateway")
        return CANCELED
    if has_sale and not refused and result.state is PaymentState.AUTHORISED:
        captured = terminal.capture(ref)
        if captured.state is PaymentState.CAPTURED:
            _finish(ctx, attempt_id, CAPTURED, "captured on reconciliation")
            return CAPTURED
        return OPEN
    terminal.cancel(ref)
    _finish(ctx, attempt_id, CANCELED, "canceled on reconciliation")
    return CANCELED


def _settle_quietly(ctx: PosContext, attempt_id: uuid.UUID) -> bool:
    """Settle one attempt now if the gateway answers; True when it is settled."""
    config = gateway_config(ctx)
    if isinstance(config, str):
        return False
    try:
        with _terminal(config) as terminal:
            return _settle(ctx, terminal, attempt_id) != OPEN
    except GatewayError:
        return False


def open_attempts(ctx: PosContext) -> list[uuid.UUID]:
    with ctx.db.transaction() as session:
        return list(
            session.scalars(
                select(CardAttempt.id)
                .where(CardAttempt.state == OPEN)
                .order_by(CardAttempt.created_at)
            )
        )


def reconcile(*, ctx: PosContext) -> ReconcileReport:
    """Settle every unfinished card attempt: capture where its sale exists, cancel where
    none does. Attempts a payment of this process is still driving are left alone."""
    report = ReconcileReport()
    with _in_progress_lock:
        busy = set(_in_progress)
    pending = [a for a in open_attempts(ctx) if a not in busy]
    if not pending:
        return report
    config = gateway_config(ctx)
    if isinstance(config, str):
        report.left_open = len(pending)
        report.messages.append(config)
        return report
    with _terminal(config) as terminal:
        for attempt_id in pending:
            try:
                state = _settle(ctx, terminal, attempt_id)
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
