"""Refunds: full and partial, ``amount_too_large``, ``charge_already_refunded``."""

from __future__ import annotations

from typing import Any

from .. import params as p
from ..context import Context
from ..errors import invalid_request, param_error, resource_missing
from ..ids import new_id
from .lists import LIST_PARAMS, list_object
from .routing import Route, route

REASONS = ("duplicate", "fraudulent", "requested_by_customer")
SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "cad": "$", "aud": "$"}


def routes() -> list[Route]:
    return [
        route("POST", "/v1/refunds", create, "refunds"),
        route("GET", "/v1/refunds", list_refunds, "refunds"),
        route("GET", "/v1/refunds/{refund}", retrieve, "refunds"),
        route("POST", "/v1/refunds/{refund}", update, "refunds"),
    ]


def _money(amount: int, currency: str) -> str:
    symbol = SYMBOLS.get(currency)
    value = f"{amount / 100:,.2f}"
    return f"{symbol}{value}" if symbol else f"{value} {currency.upper()}"


def create(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    p.reject_unknown(
        params,
        {
            "charge",
            "payment_intent",
            "amount",
            "reason",
            "metadata",
            "instructions_email",
            "refund_application_fee",
            "reverse_transfer",
        },
    )
    charge_id = p.string(params, "charge")
    intent_id = p.string(params, "payment_intent")
    amount = p.integer(params, "amount", minimum=1)
    reason = p.choice(params, "reason", REASONS)
    metadata = p.metadata(params)
    if not charge_id and not intent_id:
        raise param_error(
            "One of the following params should be provided for this request: payment_intent "
            "or charge.",
            param="payment_intent",
            code="parameter_missing",
        )
    intent = None
    if intent_id:
        intent = ctx.store.get_typed(intent_id, "payment_intent")
        if intent is None:
            raise resource_missing("payment_intent", intent_id, "payment_intent")
        if intent["status"] != "succeeded" or not intent.get("latest_charge"):
            raise invalid_request(
                f"This PaymentIntent ({intent_id}) does not have a successful charge to refund.",
                param="payment_intent",
            )
        if charge_id and charge_id != intent["latest_charge"]:
            raise invalid_request(
                "The charge does not belong to this PaymentIntent.", param="charge"
            )
        charge_id = intent["latest_charge"]
    assert charge_id is not None
    charge = ctx.store.get_typed(charge_id, "charge")
    if charge is None:
        raise resource_missing("charge", charge_id, "charge")
    if not charge["captured"] or charge["status"] != "succeeded":
        raise invalid_request(
            f"Charge {charge_id} has not been captured and cannot be refunded; cancel its "
            "PaymentIntent instead.",
            param="charge",
        )
    remaining = charge["amount_captured"] - charge["amount_refunded"]
    if remaining <= 0:
        raise invalid_request(
            f"Charge {charge_id} has already been refunded.",
            code="charge_already_refunded",
            param="charge",
        )
    if amount is None:
        amount = remaining
    if amount > remaining:
        raise invalid_request(
            f"Refund amount ({_money(amount, charge['currency'])}) is greater than unrefunded "
            f"amount on charge ({_money(remaining, charge['currency'])})",
            code="amount_too_large",
            param="amount",
        )
    refund = {
        "id": new_id("re"),
        "object": "refund",
        "amount": amount,
        "balance_transaction": None,
        "charge": charge_id,
        "created": ctx.timestamp,
        "currency": charge["currency"],
        "metadata": metadata,
        "payment_intent": charge.get("payment_intent"),
        "reason": reason,
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
    }
    ctx.store.put(refund)
    previous = {"amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"]}
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] >= charge["amount_captured"]
    ctx.store.put(charge)
    ctx.emit("refund.created", refund)
    ctx.emit("charge.refunded", charge, previous)
    return refund


def retrieve(ctx: Context, params: dict[str, Any], refund: str) -> dict[str, Any]:
    p.reject_unknown(params, set())
    obj = ctx.store.get_typed(refund, "refund")
    if obj is None:
        raise resource_missing("refund", refund, "refund")
    return obj


def update(ctx: Context, params: dict[str, Any], refund: str) -> dict[str, Any]:
    p.reject_unknown(params, {"metadata"})
    obj = retrieve(ctx, {}, refund)
    obj["metadata"] = p.metadata(params, obj["metadata"])
    return ctx.store.put(obj)


def list_refunds(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    p.reject_unknown(params, LIST_PARAMS | {"charge", "payment_intent"})
    charge = p.string(params, "charge")
    intent = p.string(params, "payment_intent")
    objects = ctx.store.all_of_type(
        "refund",
        lambda o: (
            (charge is None or o["charge"] == charge)
            and (intent is None or o["payment_intent"] == intent)
        ),
    )
    return list_object(params, objects, "/v1/refunds")
