"""Card payments at the counter: the sale paid by card (or part cash, part card) on this
counter's reader, with the device's restricted gateway key, and reconciliation after a
crash.

Order of steps, so that a crash at any point is settled by `card_reconcile.reconcile`:

1. a `CardAttempt` row is committed (its id is the local id the gateway knows);
2. the PaymentIntent is created (manual capture, ``metadata[booking]`` = the sale id,
   the card part's amount) and shown on the reader; its id is stored on the attempt;
3. the customer taps: approved (the money is authorised, not taken) or declined (the
   cashier retries on the reader, or cancels and takes cash: the intent is canceled);
4. the local sale and its `counter_sale` outbox op are committed in one transaction;
5. the intent is captured, then the attempt is marked ``captured``.

Reconciliation (start-up, login, any time) looks every unfinished attempt up at the
gateway: it captures where a local sale with that intent exists (unless the server
refused the sale), and cancels where none does. The customer is charged at most once
and no paid sale is lost.

Kill points (`ENTURF_POS_KILL_AT`, see `sync_kill_points`): ``card_before_intent``,
``card_after_intent``, ``card_after_tap``, ``card_after_commit``, ``card_after_capture``.

Every function here blocks on the network: the window calls them through its
`TaskRunner`. The gateway settings and reader check are in `card_gateway`, the
attempts' states in `card_attempts`, reconciliation in `card_reconcile`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from enum import StrEnum

from enturf_core.gateway import (
    GatewayError,
    GatewayErrorCode,
    PaymentHandle,
    PaymentResult,
    PaymentState,
)
from enturf_core.money import Money
from enturf_pos.models import CardAttempt
from enturf_pos.services.payments.card_attempts import CANCELED, CAPTURED, OPEN, finish, track
from enturf_pos.services.payments.card_gateway import gateway_config, open_terminal
from enturf_pos.services.payments.card_reconcile import settle_quietly
from enturf_pos.services.sales import sale_service
from enturf_pos.services.sales.buyer import Buyer
from enturf_pos.services.sales.cart_service import Cart
from enturf_pos.services.sales.sale_service import CardPart, SaleDraft, SaleResult
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync.sync_kill_points import kill_point


class CardState(StrEnum):
    """Where a card payment stands (`CardStep.state`): match on this, not on the message."""

    WAITING = "waiting"  # on the reader
    APPROVED = "approved"  # authorised: record the sale
    DECLINED = "declined"  # retry on the reader or cancel
    STOPPED = "canceled"  # nothing taken
    FAILED = "failed"  # card unavailable; cash still works


WAITING, APPROVED, DECLINED, STOPPED, FAILED = (
    CardState.WAITING,
    CardState.APPROVED,
    CardState.DECLINED,
    CardState.STOPPED,
    CardState.FAILED,
)
CASH_STILL_WORKS = "Cash still works."


# -- one payment -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardStep:
    """Where a card payment stands, for the window (a plain value, no ORM object)."""

    state: CardState
    message: str
    attempt_id: uuid.UUID | None = None
    draft: SaleDraft | None = None
    handle: PaymentHandle | None = None
    brand: str = ""
    last4: str = ""
    authorization_code: str = ""
    decline_code: str = ""
    hiccup: bool = False  # waiting after the gateway did not answer once (said in message)


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
    track(attempt_id, True)
    kill_point("card_before_intent")
    try:
        with open_terminal(config) as terminal:
            handle = terminal.start_on_reader(
                str(attempt_id),
                draft.card_due.to_minor_units(),
                draft.card_due.currency,
                metadata={"booking": str(draft.sale_id)},
            )
    except GatewayError as exc:
        track(attempt_id, False)
        settle_quietly(ctx, attempt_id)  # an intent the error hid is canceled now or later
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
        with open_terminal(config) as terminal:
            result = terminal.await_result(step.handle, timeout)
    except GatewayError as exc:
        if exc.code is GatewayErrorCode.READER_CANCELED or exc.is_card_problem:
            return replace(step, state=DECLINED, message=exc.message, decline_code=exc.code.value)
        return replace(
            step, state=WAITING, message=f"{exc.message} Still waiting for the card.", hiccup=True
        )
    return _after_result(ctx, step, result)


def _after_result(ctx: PosContext, step: CardStep, result: PaymentResult) -> CardStep:
    if result.state is PaymentState.PENDING:
        return replace(step, state=WAITING)
    if result.state is PaymentState.CANCELED:
        finish(ctx, step.attempt_id, CANCELED, "canceled at the gateway")
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
        with open_terminal(config) as terminal:
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
    track(step.attempt_id, False)
    if settle_quietly(ctx, step.attempt_id):
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
    track(attempt_id, False)
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
        with open_terminal(config) as terminal:
            result = terminal.capture(ref)
    except GatewayError:
        return False
    kill_point("card_after_capture")
    if result.state is PaymentState.CAPTURED:
        finish(ctx, attempt_id, CAPTURED, "captured")
        return True
    return False
