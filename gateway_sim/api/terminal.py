"""Terminal readers: register, retrieve, list, update, delete, process a PaymentIntent,
cancel the action, and the test helper that presents a card to a simulated reader."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from .. import params as p
from ..cards import VISA, card_for_number
from ..config import DEMO_LOCATION_ID, demo_reader_id
from ..context import Context
from ..errors import invalid_request, param_error, resource_missing, unexpected_state
from ..ids import new_id
from .charging import authorize, create_payment_method, public
from .lists import list_object
from .routing import Route, route

REGISTRATION_CODES = {"simulated-wpe": ("simulated_wisepos_e", "2.37.2.0")}
PROCESSABLE = ("requires_payment_method", "requires_confirmation")


def routes() -> list[Route]:
    scope = "terminal"
    return [
        route("POST", "/v1/terminal/readers", register, scope),
        route("GET", "/v1/terminal/readers", list_readers, scope),
        route("GET", "/v1/terminal/readers/{reader}", retrieve, scope),
        route("POST", "/v1/terminal/readers/{reader}", update, scope),
        route("DELETE", "/v1/terminal/readers/{reader}", delete, scope),
        route(
            "POST",
            "/v1/terminal/readers/{reader}/process_payment_intent",
            process_payment_intent,
            scope,
        ),
        route("POST", "/v1/terminal/readers/{reader}/cancel_action", cancel_action, scope),
        route(
            "POST",
            "/v1/test_helpers/terminal/readers/{reader}/present_payment_method",
            present_payment_method,
            scope,
        ),
    ]


def new_reader(
    ctx: Context, *, label: str, location: str, reader_id: str | None = None
) -> dict[str, Any]:
    device_type, version = REGISTRATION_CODES["simulated-wpe"]
    reader = {
        "id": reader_id or new_id("tmr"),
        "object": "terminal.reader",
        "action": None,
        "device_sw_version": version,
        "device_type": device_type,
        "ip_address": "0.0.0.0",
        "label": label,
        # Newer than the 2023-08-16 API description (milliseconds since the epoch).
        "last_seen_at": int(ctx.now * 1000),
        "livemode": False,
        "location": location,
        "metadata": {},
        "serial_number": str(uuid.uuid4()),
        "status": "online",
        "created": ctx.timestamp,  # private ordering key, removed from responses
    }
    return reader


def seed_demo_readers(ctx: Context, count: int) -> None:
    for number in range(1, count + 1):
        reader_id = demo_reader_id(number)
        if ctx.store.get(reader_id) is None:
            reader = new_reader(
                ctx, label=f"Counter {number}", location=DEMO_LOCATION_ID, reader_id=reader_id
            )
            ctx.store.put(reader)


def load(ctx: Context, reader_id: str) -> dict[str, Any]:
    reader = ctx.store.get_typed(reader_id, "terminal.reader")
    if reader is None:
        raise resource_missing("terminal.reader", reader_id, "reader")
    return reader


def render(ctx: Context, reader: dict[str, Any]) -> dict[str, Any]:
    shown = {k: v for k, v in reader.items() if k != "created"}
    settings = ctx.store.reader_settings(reader["id"])
    shown["status"] = "offline" if settings.offline else "online"
    if not settings.offline:
        shown["last_seen_at"] = int(ctx.now * 1000)
    return shown


def register(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    p.reject_unknown(params, {"registration_code", "label", "location", "metadata"})
    code = p.string(params, "registration_code", required=True) or ""
    if code not in REGISTRATION_CODES:
        raise invalid_request(
            "The registration code you entered is not valid. Check that you entered the code "
            "correctly, or use 'simulated-wpe' to register a simulated reader.",
            param="registration_code",
        )
    location = p.string(params, "location") or DEMO_LOCATION_ID
    reader = new_reader(
        ctx, label=p.string(params, "label") or "Simulated WisePOS E", location=location
    )
    reader["metadata"] = p.metadata(params)
    ctx.store.put(reader)
    return render(ctx, reader)


def retrieve(ctx: Context, params: dict[str, Any], reader: str) -> dict[str, Any]:
    p.reject_unknown(params, set())
    return render(ctx, load(ctx, reader))


def update(ctx: Context, params: dict[str, Any], reader: str) -> dict[str, Any]:
    p.reject_unknown(params, {"label", "metadata"})
    obj = load(ctx, reader)
    if "label" in params:
        obj["label"] = p.string(params, "label") or obj["label"]
    obj["metadata"] = p.metadata(params, obj["metadata"])
    ctx.store.put(obj)
    return render(ctx, obj)


def delete(ctx: Context, params: dict[str, Any], reader: str) -> dict[str, Any]:
    p.reject_unknown(params, set())
    obj = load(ctx, reader)
    ctx.store.delete(obj["id"])
    return {"id": obj["id"], "object": "terminal.reader", "deleted": True}


def list_readers(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    p.reject_unknown(
        params,
        {
            "limit",
            "starting_after",
            "ending_before",
            "device_type",
            "location",
            "serial_number",
            "status",
        },
    )
    filters = {k: p.string(params, k) for k in ("device_type", "location", "serial_number")}
    status = p.choice(params, "status", ("offline", "online"))
    readers = [
        render(ctx, r)
        for r in ctx.store.all_of_type("terminal.reader")
        if all(v is None or r.get(k) == v for k, v in filters.items())
    ]
    readers = [r for r in readers if status is None or r["status"] == status]
    return list_object(params, readers, "/v1/terminal/readers")


def _ensure_online(ctx: Context, reader: dict[str, Any]) -> None:
    if ctx.store.reader_settings(reader["id"]).offline:
        raise invalid_request(
            "Reader is currently offline, please ensure the reader is powered on and connected "
            "to the internet before retrying your request. Reference the integration guide at "
            "https://stripe.com/docs/terminal/payments/collect-payment?terminal-sdk-platform="
            "server-driven#handle-errors for details on how to handle this error.",
            code="terminal_reader_offline",
        )


def process_payment_intent(ctx: Context, params: dict[str, Any], reader: str) -> dict[str, Any]:
    p.reject_unknown(params, {"payment_intent", "process_config"})
    intent_id = p.string(params, "payment_intent", required=True) or ""
    config = p.sub_dict(params, "process_config")
    obj = load(ctx, reader)
    _ensure_online(ctx, obj)
    action = obj.get("action")
    if action and action.get("status") == "in_progress":
        raise invalid_request(
            "Reader is currently busy processing another request, please retry after the "
            "current action is complete. Reference the integration guide at "
            "https://stripe.com/docs/terminal/payments/collect-payment?terminal-sdk-platform="
            "server-driven#handle-errors for details on how to handle this error.",
            code="terminal_reader_busy",
        )
    intent = ctx.store.get_typed(intent_id, "payment_intent")
    if intent is None:
        raise resource_missing("payment_intent", intent_id, "payment_intent")
    if intent["status"] not in PROCESSABLE:
        raise unexpected_state(
            f"This PaymentIntent could not be processed because it has a status of "
            f"{intent['status']}. Only a PaymentIntent with one of the following statuses may be "
            "processed: " + ", ".join(PROCESSABLE) + ".",
            public(intent),
        )
    if "card_present" not in intent["payment_method_types"]:
        raise invalid_request(
            "This PaymentIntent cannot be processed by a reader: its payment_method_types must "
            "include card_present.",
            param="payment_intent",
        )
    inner: dict[str, Any] = {"payment_intent": intent_id}
    if config:
        inner["process_config"] = {
            k: (v == "true" if v in ("true", "false") else v) for k, v in config.items()
        }
    obj["action"] = {
        "failure_code": None,
        "failure_message": None,
        "process_payment_intent": inner,
        "status": "in_progress",
        "type": "process_payment_intent",
    }
    ctx.store.put(obj)
    settings = ctx.store.reader_settings(obj["id"])
    delay = settings.auto_approve_delay
    if delay is None:
        delay = ctx.config.auto_approve_delay
    if delay is not None:
        ctx.store.save_reader_settings(replace(settings, approve_at=ctx.now + delay))
    return render(ctx, obj)


def cancel_action(ctx: Context, params: dict[str, Any], reader: str) -> dict[str, Any]:
    p.reject_unknown(params, set())
    obj = load(ctx, reader)
    _ensure_online(ctx, obj)
    action = obj.get("action")
    if not action or action.get("status") != "in_progress":
        raise invalid_request("This reader has no in-progress action to cancel.", param="reader")
    obj["action"] = None
    ctx.store.put(obj)
    _clear_approval(ctx, obj["id"])
    return render(ctx, obj)


def present_payment_method(ctx: Context, params: dict[str, Any], reader: str) -> dict[str, Any]:
    p.reject_unknown(params, {"card_present", "type", "amount_tip", "interac_present"})
    p.choice(params, "type", ("card_present", "interac_present"), "card_present")
    card_params = p.sub_dict(params, "card_present") or p.sub_dict(params, "interac_present")
    number = p.string(card_params, "number")
    card = VISA if number is None else card_for_number(number)
    if card is None:
        raise param_error(
            "Your card number is incorrect.", param="card_present[number]", code="incorrect_number"
        )
    p.integer(params, "amount_tip", minimum=0)
    obj = load(ctx, reader)
    if obj["device_type"] not in {t for t, _ in REGISTRATION_CODES.values()}:
        raise invalid_request("Only simulated readers accept a presented test card.")
    action = obj.get("action")
    if not action or action.get("status") != "in_progress":
        raise invalid_request(
            "The reader has no in-progress action to present a payment method to. Call "
            "process_payment_intent first.",
            param="reader",
        )
    return present_card(ctx, obj, card)


def present_card(ctx: Context, reader: dict[str, Any], card: Any) -> dict[str, Any]:
    """The customer taps ``card`` on ``reader``: authorise its in-progress intent."""
    action = reader["action"]
    intent = ctx.store.get_typed(
        action["process_payment_intent"]["payment_intent"], "payment_intent"
    )
    _clear_approval(ctx, reader["id"])
    if intent is None or intent["status"] not in PROCESSABLE:
        action.update(
            status="failed",
            failure_code="intent_invalid_state",
            failure_message="The PaymentIntent is no longer in a state that can be processed.",
        )
        ctx.store.put(reader)
        ctx.emit("terminal.reader.action_failed", render(ctx, reader))
        return render(ctx, reader)
    method = create_payment_method(ctx, card, "card_present")
    intent, _charge, decline = authorize(ctx, intent, method)
    if decline:
        action.update(status="failed", failure_code=decline.code, failure_message=decline.message)
    else:
        action["status"] = "succeeded"
    ctx.store.put(reader)
    kind = "action_failed" if decline else "action_succeeded"
    ctx.emit(f"terminal.reader.{kind}", render(ctx, reader))
    return render(ctx, reader)


def fail_action_for_intent(ctx: Context, intent_id: str) -> None:
    """A canceled intent ends whatever reader action is still showing it."""
    for reader in ctx.store.all_of_type("terminal.reader"):
        action = reader.get("action") or {}
        inner = action.get("process_payment_intent") or {}
        if action.get("status") == "in_progress" and inner.get("payment_intent") == intent_id:
            action.update(
                status="failed",
                failure_code="intent_canceled",
                failure_message="The PaymentIntent was canceled.",
            )
            ctx.store.put(reader)
            _clear_approval(ctx, reader["id"])
            ctx.emit("terminal.reader.action_failed", render(ctx, reader))


def approve_due(ctx: Context, reader_id: str) -> None:
    """Auto-approve: the demo reader taps a Visa test card by itself."""
    _clear_approval(ctx, reader_id)
    reader = ctx.store.get_typed(reader_id, "terminal.reader")
    if reader is None:
        return
    action = reader.get("action")
    if action and action.get("status") == "in_progress":
        present_card(ctx, reader, VISA)


def _clear_approval(ctx: Context, reader_id: str) -> None:
    settings = ctx.store.reader_settings(reader_id)
    if settings.approve_at is not None:
        ctx.store.save_reader_settings(replace(settings, approve_at=None))
