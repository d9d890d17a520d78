"""A supervisor's price override at the counter: a cart row sold at another price than
the listed one (a new price, a percentage off or an amount off), approved in place by an
administrator's username and password (docs/billing.md "Supervisor override").

Each ticket of the row gets its sale line id now: the approval is signed for it
(`approvals.approve`, kind `price_override`, subject the line id, figures the new price and
the listed price, i.e. the server's), travels with the line in the `counter_sale` op and
is checked by the server when the sale arrives, online or offline. A cashier cannot sell
at another price alone; an administrator at the counter types their own password (the
server needs a proof it can check, and the signing key opens only with the password).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from enturf_core.money import Money
from enturf_core.pricing.overrides import manual_price
from enturf_core.pricing.tax import BreakdownError
from enturf_core.staff_rights import Right
from enturf_pos.services.sales.cart_service import Cart, LineOverride, RowOverride
from enturf_pos.services.session import approvals
from enturf_pos.services.session.pos_context import PosContext

KIND = "price_override"
PRICE, PERCENT, AMOUNT = "price", "percent", "amount"
MODES = {PRICE: "New price", PERCENT: "Percent off", AMOUNT: "Amount off"}
MAX_REASON = 200


@dataclass(frozen=True, slots=True)
class PriceChange:
    """What the cashier asks for a row: `mode` (PRICE, PERCENT, AMOUNT), the typed value
    and the reason."""

    key: str
    mode: str
    value: str
    reason: str


@dataclass(frozen=True, slots=True)
class OverrideResult:
    ok: bool
    message: str
    override: RowOverride | None = None


def new_prices(cart: Cart, change: PriceChange) -> list[tuple[Money, Money]] | str:
    """(listed, new) per ticket of the row, or what to fix in the request."""
    listed = cart.listed_lines(change.key)
    if not listed:
        return "Select a row of the cart first."
    reason = " ".join(change.reason.split())
    if not reason:
        return "Give a reason for the change (one line)."
    if len(reason) > MAX_REASON:
        return f"The reason is at most {MAX_REASON} characters."
    text = change.value.strip().replace(",", ".").rstrip("%").strip()
    currency = listed[0].currency
    try:
        if change.mode == PERCENT:
            kwargs = {"percent": Decimal(text)}
        elif change.mode in (PRICE, AMOUNT):
            money = Money(Decimal(text), currency)
            if not money.is_quantized:
                return f"Type an amount in whole cents of {currency}, e.g. 36.00."
            kwargs = {"price": money} if change.mode == PRICE else {"amount_off": money}
        else:
            return f"Choose one of: {', '.join(MODES.values())}."
        out = [(price, manual_price(price, **kwargs)) for price in listed]
    except (InvalidOperation, ValueError, BreakdownError) as exc:
        if isinstance(exc, BreakdownError):
            return f"{str(exc)[0].upper()}{str(exc)[1:]}."
        return "Type a number, e.g. 36.00 (or 20 for a percentage)."
    if all(new == old for old, new in out):
        return "That is the listed price; nothing to change."
    return out


def approve_change(
    *, ctx: PosContext, cart: Cart, change: PriceChange, username: str, password: str
) -> OverrideResult:
    """Check the administrator's password and sign one approval per ticket of the row:
    the override the caller puts in the cart (`Cart.set_override`, on the UI thread).
    Nothing changes here; the cart is only read."""
    planned = new_prices(cart, change)
    if isinstance(planned, str):
        return OverrideResult(False, planned)
    line_ids = [uuid.uuid4() for _ in planned]
    requests = [
        approvals.ApprovalRequest(
            KIND,
            str(line_id),
            {"price": new.amount_text(), "server_price": listed.amount_text()},
        )
        for line_id, (listed, new) in zip(line_ids, planned, strict=True)
    ]
    result = approvals.approve(
        ctx=ctx,
        username=username,
        password=password,
        request=requests,
        right=Right.OVERRIDE_PRICE,
    )
    if not result.ok:
        return OverrideResult(False, result.message)
    proofs = result.proofs or (None,) * len(requests)
    override = RowOverride(
        reason=" ".join(change.reason.split()),
        approver=result.username,
        lines=tuple(
            LineOverride(line_id, listed, new, proof)
            for line_id, (listed, new), proof in zip(line_ids, planned, proofs, strict=True)
        ),
    )
    old, new = override.listed, sum((x.price for x in override.lines[1:]), override.lines[0].price)
    return OverrideResult(
        True, f"Price changed from {old.format()} to {new.format()}. {result.message}", override
    )
