"""PaymentIntents: create, retrieve, update, confirm, capture, cancel, list, search."""

from __future__ import annotations

import re
from typing import Any

from .. import params as p
from ..cards import card_for_payment_method
from ..context import Context
from ..errors import (
    StripeError,
    invalid_request,
    param_error,
    resource_missing,
    unexpected_state,
)
from ..ids import new_id, random_token
from . import search
from .charging import authorize, create_payment_method, public
from .lists import LIST_PARAMS, list_object
from .routing import Route, route
from .terminal import fail_action_for_intent

CAPTURE_METHODS = ("automatic", "automatic_async", "manual")
PAYMENT_METHOD_TYPES = ("card", "card_present", "interac_present")
CANCELLATION_REASONS = ("duplicate", "fraudulent", "requested_by_customer", "abandoned")
CONFIRMABLE = ("requires_payment_method", "requires_confirmation", "requires_action")
CANCELABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
    "processing",
)
UPDATABLE_AMOUNT = ("requires_payment_method", "requires_confirmation", "requires_action")
MAX_AMOUNT = 99_999_999
# Stripe's minimum charge amounts in minor units; others default to 50.
MINIMUM_AMOUNTS = {
    "usd": 50,
    "eur": 50,
    "gbp": 30,
    "chf": 50,
    "czk": 1500,
    "pln": 200,
    "sek": 300,
    "nok": 300,
    "dkk": 250,
    "huf": 17500,
    "jpy": 50,
}
ZERO_DECIMAL = {"jpy", "krw", "vnd", "clp", "isk"}

COMMON_PARAMS = {
    "description",
    "metadata",
    "receipt_email",
    "statement_descriptor",
    "statement_descriptor_suffix",
    "payment_method_options",
    "return_url",
    "off_session",
    "setup_future_usage",
}
CREATE_PARAMS = COMMON_PARAMS | {
    "amount",
    "currency",
    "capture_method",
    "confirm",
    "confirmation_method",
    "payment_method",
    "payment_method_types",
    "automatic_payment_methods",
}


def routes() -> list[Route]:
    scope = "payment_intents"
    return [
        route("POST", "/v1/payment_intents", create, scope),
        route("GET", "/v1/payment_intents", list_intents, scope),
        route("GET", "/v1/payment_intents/search", search_intents, scope),
        route("GET", "/v1/payment_intents/{intent}", retrieve, scope),
        route("POST", "/v1/payment_intents/{intent}", update, scope),
        route("POST", "/v1/payment_intents/{intent}/confirm", confirm, scope),
        route("POST", "/v1/payment_intents/{intent}/capture", capture, scope),
        route("POST", "/v1/payment_intents/{intent}/cancel", cancel, scope),
    ]


def load(ctx: Context, intent_id: str, param: str = "intent") -> dict[str, Any]:
    intent = ctx.store.get_typed(intent_id, "payment_intent")
    if intent is None:
        raise resource_missing("payment_intent", intent_id, param)
    return intent


def _currency(params: dict[str, Any]) -> str:
    raw = p.string(params, "currency", required=True) or ""
    currency = raw.lower()
    if not re.fullmatch(r"[a-z]{3}", currency):
        raise param_error(f"Invalid currency: {raw}.", param="currency")
    return currency


def _format_minor(amount: int, currency: str) -> str:
    if currency in ZERO_DECIMAL:
        return f"{amount} {currency}"
    return f"{amount / 100:.2f} {currency}"


def _check_amount(amount: int, currency: str) -> None:
    minimum = MINIMUM_AMOUNTS.get(currency, 50)
    if amount < minimum:
        raise StripeError(
            400,
            "invalid_request_error",
            f"Amount must be at least {_format_minor(minimum, currency)}",
            code="amount_too_small",
            param="amount",
            stored=False,
        )
    if amount > MAX_AMOUNT:
        raise StripeError(
            400,
            "invalid_request_error",
            f"Amount must be no more than {_format_minor(MAX_AMOUNT, currency)}",
            code="amount_too_large",
            param="amount",
            stored=False,
        )


def _resolve_payment_method(ctx: Context, pm_id: str) -> dict[str, Any]:
    card = card_for_payment_method(pm_id)
    if card is not None:
        return create_payment_method(ctx, card, "card")
    method = ctx.store.get_typed(pm_id, "payment_method")
    if method is None:
        raise invalid_request(
            f"No such PaymentMethod: '{pm_id}'",
            code="resource_missing",
            param="payment_method",
            status=400,
            stored=False,
        )
    return method


def _check_method_allowed(intent: dict[str, Any], method: dict[str, Any]) -> None:
    if method["type"] not in intent["payment_method_types"]:
        allowed = ", ".join(intent["payment_method_types"])
        raise invalid_request(
            f"The PaymentMethod provided ({method['type']}) is not allowed for this "
            f"PaymentIntent. Please attach a PaymentMethod of one of the following types: "
            f"{allowed}. Alternatively update the allowed payment_method_types for this "
            f'PaymentIntent to include "{method["type"]}".',
            code="payment_intent_incompatible_payment_method",
            param="payment_method",
        )


def create(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    p.reject_unknown(params, CREATE_PARAMS)
    amount = p.integer(params, "amount", required=True)
    currency = _currency(params)
    assert amount is not None
    _check_amount(amount, currency)
    capture_method = p.choice(params, "capture_method", CAPTURE_METHODS, "automatic")
    confirmation_method = p.choice(
        params, "confirmation_method", ("automatic", "manual"), "automatic"
    )
    types = p.string_list(params, "payment_method_types")
    for index, type_ in enumerate(types or []):
        if type_ not in PAYMENT_METHOD_TYPES:
            raise param_error(
                f"The payment method type provided: {type_} is invalid. Please ensure the "
                "provided type is activated in your dashboard "
                "(https://dashboard.stripe.com/account/payments/settings) and your account is "
                "enabled for any preview features that you are trying to use.",
                param=f"payment_method_types[{index}]",
            )
    automatic = p.sub_dict(params, "automatic_payment_methods")
    if types and automatic:
        raise param_error(
            "You may only specify one of these parameters: automatic_payment_methods, "
            "payment_method_types.",
            param="automatic_payment_methods",
        )
    confirm_now = p.boolean(params, "confirm")
    pm_id = p.string(params, "payment_method")
    intent_id = new_id("pi")
    intent: dict[str, Any] = {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_details": {"tip": {}},
        "amount_received": 0,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": None if types else {"enabled": True},
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": capture_method,
        "client_secret": f"{intent_id}_secret_{random_token(25)}",
        "confirmation_method": confirmation_method,
        "created": ctx.timestamp,
        "currency": currency,
        "customer": None,
        "description": p.string(params, "description"),
        "invoice": None,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": p.metadata(params),
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_options": {},
        "payment_method_types": types or ["card"],
        "processing": None,
        "receipt_email": p.string(params, "receipt_email"),
        "review": None,
        "setup_future_usage": None,
        "shipping": None,
        "statement_descriptor": p.string(params, "statement_descriptor"),
        "statement_descriptor_suffix": p.string(params, "statement_descriptor_suffix"),
        "status": "requires_payment_method",
        "transfer_data": None,
        "transfer_group": None,
    }
    method = None
    if pm_id:
        method = _resolve_payment_method(ctx, pm_id)
        _check_method_allowed(intent, method)
        intent.update(payment_method=method["id"], status="requires_confirmation")
    ctx.store.put(intent)
    ctx.emit("payment_intent.created", intent)
    if confirm_now:
        return _confirm(ctx, intent, method)
    return intent


def retrieve(ctx: Context, params: dict[str, Any], intent: str) -> dict[str, Any]:
    p.reject_unknown(params, {"client_secret"})
    return load(ctx, intent)


def update(ctx: Context, params: dict[str, Any], intent: str) -> dict[str, Any]:
    p.reject_unknown(
        params,
        COMMON_PARAMS
        | {"amount", "currency", "capture_method", "payment_method", "payment_method_types"},
    )
    obj = load(ctx, intent)
    money_fields = {
        "amount",
        "currency",
        "capture_method",
        "payment_method",
        "payment_method_types",
    }
    if money_fields & params.keys() and obj["status"] not in UPDATABLE_AMOUNT:
        raise unexpected_state(
            f"You cannot update this PaymentIntent because it has a status of {obj['status']}."
            " You may only update a PaymentIntent with one of the following statuses: "
            + ", ".join(UPDATABLE_AMOUNT)
            + ".",
            public(obj),
        )
    if "currency" in params:
        obj["currency"] = _currency(params)
    if "amount" in params:
        amount = p.integer(params, "amount", required=True)
        assert amount is not None
        _check_amount(amount, obj["currency"])
        obj["amount"] = amount
    if "capture_method" in params:
        obj["capture_method"] = p.choice(params, "capture_method", CAPTURE_METHODS)
    if "payment_method_types" in params:
        obj["payment_method_types"] = p.string_list(params, "payment_method_types") or ["card"]
        obj["automatic_payment_methods"] = None
    if "payment_method" in params:
        pm_id = p.string(params, "payment_method")
        if pm_id:
            method = _resolve_payment_method(ctx, pm_id)
            _check_method_allowed(obj, method)
            obj.update(payment_method=method["id"], status="requires_confirmation")
        else:
            obj.update(payment_method=None, status="requires_payment_method")
    for name in ("description", "receipt_email", "statement_descriptor"):
        if name in params:
            obj[name] = p.string(params, name) or None
    obj["metadata"] = p.metadata(params, obj["metadata"])
    return ctx.store.put(obj)


def confirm(ctx: Context, params: dict[str, Any], intent: str) -> dict[str, Any]:
    p.reject_unknown(
        params,
        {
            "payment_method",
            "capture_method",
            "return_url",
            "off_session",
            "receipt_email",
            "payment_method_options",
            "setup_future_usage",
            "error_on_requires_action",
        },
    )
    obj = load(ctx, intent)
    if obj["status"] not in CONFIRMABLE:
        raise unexpected_state(
            f"You cannot confirm this PaymentIntent because it has a status of {obj['status']}."
            " Only a PaymentIntent with one of the following statuses may be confirmed: "
            + ", ".join(CONFIRMABLE)
            + ".",
            public(obj),
        )
    if "capture_method" in params:
        obj["capture_method"] = p.choice(params, "capture_method", CAPTURE_METHODS)
    method = None
    pm_id = p.string(params, "payment_method")
    if pm_id:
        method = _resolve_payment_method(ctx, pm_id)
        _check_method_allowed(obj, method)
    return _confirm(ctx, obj, method)


def _confirm(ctx: Context, intent: dict[str, Any], method: dict[str, Any] | None) -> dict[str, Any]:
    if method is None and intent.get("payment_method"):
        method = ctx.store.get_typed(intent["payment_method"], "payment_method")
    if method is None:
        raise unexpected_state(
            "You cannot confirm this PaymentIntent because it's missing a payment method. "
            "You can either update the PaymentIntent with a payment method and then confirm "
            "it again, or confirm it again directly with a payment method.",
            public(intent),
        )
    if method["type"] != "card":
        raise invalid_request(
            "A card_present PaymentMethod can only be confirmed by a Terminal reader.",
            param="payment_method",
        )
    intent, charge, decline = authorize(ctx, intent, method)
    if decline:
        raise StripeError(
            402,
            "card_error",
            decline.message,
            code=decline.code,
            param=decline.param,
            decline_code=decline.decline_code,
            extra={
                "charge": charge["id"],
                "payment_intent": public(intent),
                "payment_method": public(method),
            },
        )
    return intent


def capture(ctx: Context, params: dict[str, Any], intent: str) -> dict[str, Any]:
    p.reject_unknown(
        params,
        {
            "amount_to_capture",
            "metadata",
            "statement_descriptor",
            "statement_descriptor_suffix",
            "application_fee_amount",
            "final_capture",
        },
    )
    obj = load(ctx, intent)
    if obj["status"] != "requires_capture":
        raise unexpected_state(
            f"This PaymentIntent could not be captured because it has a status of "
            f"{obj['status']}. Only a PaymentIntent with one of the following statuses may be "
            "captured: requires_capture.",
            public(obj),
        )
    amount = p.integer(params, "amount_to_capture", minimum=1)
    capturable = obj["amount_capturable"]
    if amount is None:
        amount = capturable
    if amount > capturable:
        raise invalid_request(
            f"The amount to capture ({amount}) must be less than or equal to the amount "
            f"capturable ({capturable}).",
            code="amount_too_large",
            param="amount_to_capture",
        )
    charge = ctx.store.get_typed(obj["latest_charge"], "charge")
    assert charge is not None
    charge.update(captured=True, amount_captured=amount)
    if "payment_method_details" in charge:
        details = charge["payment_method_details"].get("card_present")
        if details:
            details["capture_before"] = None
    ctx.store.put(charge)
    obj["metadata"] = p.metadata(params, obj["metadata"])
    obj.update(status="succeeded", amount_received=amount, amount_capturable=0)
    ctx.store.put(obj)
    ctx.emit("charge.captured", charge)
    ctx.emit("payment_intent.succeeded", obj)
    return obj


def cancel(ctx: Context, params: dict[str, Any], intent: str) -> dict[str, Any]:
    p.reject_unknown(params, {"cancellation_reason"})
    reason = p.choice(params, "cancellation_reason", CANCELLATION_REASONS)
    obj = load(ctx, intent)
    if obj["status"] not in CANCELABLE:
        raise unexpected_state(
            f"You cannot cancel this PaymentIntent because it has a status of {obj['status']}."
            " Only a PaymentIntent with one of the following statuses may be canceled: "
            + ", ".join(CANCELABLE)
            + ".",
            public(obj),
        )
    if obj["status"] == "requires_capture" and obj.get("latest_charge"):
        # Canceling releases the authorisation: the uncaptured charge shows as refunded.
        charge = ctx.store.get_typed(obj["latest_charge"], "charge")
        if charge is not None:
            charge.update(refunded=True, amount_refunded=charge["amount"])
            ctx.store.put(charge)
    # A reader may still be showing this intent.
    fail_action_for_intent(ctx, obj["id"])
    obj.update(
        status="canceled",
        canceled_at=ctx.timestamp,
        cancellation_reason=reason,
        amount_capturable=0,
    )
    ctx.store.put(obj)
    ctx.emit("payment_intent.canceled", obj)
    return obj


def list_intents(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    p.reject_unknown(params, LIST_PARAMS | {"customer"})
    customer = p.string(params, "customer")
    objects = ctx.store.all_of_type(
        "payment_intent", lambda o: customer is None or o.get("customer") == customer
    )
    return list_object(params, objects, "/v1/payment_intents")


def search_intents(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    p.reject_unknown(params, {"query", "limit", "page"})
    query = p.string(params, "query", required=True) or ""
    matches = search.compile_query(query, search.PAYMENT_INTENT_FIELDS)
    objects = ctx.store.all_of_type("payment_intent", matches)
    return search.result_page(params, objects, "/v1/payment_intents/search")
