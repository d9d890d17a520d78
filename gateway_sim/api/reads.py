"""Read-only endpoints: charges, payment methods and events."""

from __future__ import annotations

from typing import Any

from .. import params as p
from ..context import Context
from ..errors import resource_missing
from .lists import LIST_PARAMS, list_object
from .routing import Route, route


def routes() -> list[Route]:
    return [
        route("GET", "/v1/charges", list_charges, "charges"),
        route("GET", "/v1/charges/{charge}", retrieve_charge, "charges"),
        route(
            "GET",
            "/v1/payment_methods/{payment_method}",
            retrieve_payment_method,
            "payment_methods",
        ),
        route("GET", "/v1/events", list_events, "events"),
        route("GET", "/v1/events/{id}", retrieve_event, "events"),
    ]


def retrieve_charge(ctx: Context, params: dict[str, Any], charge: str) -> dict[str, Any]:
    p.reject_unknown(params, set())
    obj = ctx.store.get_typed(charge, "charge")
    if obj is None:
        raise resource_missing("charge", charge, "id")
    return obj


def list_charges(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    p.reject_unknown(params, LIST_PARAMS | {"payment_intent", "customer"})
    intent = p.string(params, "payment_intent")
    objects = ctx.store.all_of_type(
        "charge", lambda o: intent is None or o["payment_intent"] == intent
    )
    return list_object(params, objects, "/v1/charges")


def retrieve_payment_method(
    ctx: Context, params: dict[str, Any], payment_method: str
) -> dict[str, Any]:
    p.reject_unknown(params, set())
    obj = ctx.store.get_typed(payment_method, "payment_method")
    if obj is None:
        raise resource_missing("PaymentMethod", payment_method, "payment_method")
    return obj


def retrieve_event(ctx: Context, params: dict[str, Any], id: str) -> dict[str, Any]:
    p.reject_unknown(params, set())
    obj = ctx.store.get_typed(id, "event")
    if obj is None:
        raise resource_missing("event", id, "id")
    obj["pending_webhooks"] = ctx.store.pending_deliveries_for_event(id)
    return obj


def list_events(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    p.reject_unknown(params, LIST_PARAMS | {"type", "types", "delivery_success"})
    type_ = p.string(params, "type")
    types = p.string_list(params, "types")

    def wanted(event: dict[str, Any]) -> bool:
        if type_ is not None:
            if type_.endswith(".*"):
                return event["type"].startswith(type_[:-1])
            return event["type"] == type_
        return types is None or event["type"] in types

    objects = ctx.store.all_of_type("event", wanted)
    return list_object(params, objects, "/v1/events")
