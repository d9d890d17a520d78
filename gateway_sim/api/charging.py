"""Authorising a card for a PaymentIntent: the charge, the payment method, the outcome.

Shared by ``confirm`` (online test payment methods) and the Terminal reader
(``present_payment_method``). Only brand, last four digits, expiry and the
authorisation code are kept; no card number is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from ..cards import Decline, TestCard
from ..context import Context
from ..errors import DOCS_URL
from ..ids import new_id

EMPTY_ADDRESS = {
    "city": None,
    "country": None,
    "line1": None,
    "line2": None,
    "postal_code": None,
    "state": None,
}


def _billing_details() -> dict[str, Any]:
    return {"address": dict(EMPTY_ADDRESS), "email": None, "name": None, "phone": None}


def _fingerprint(card: TestCard) -> str:
    digest = hashlib.sha256(f"{card.brand}:{card.last4}".encode()).hexdigest()
    return digest[:16]


def create_payment_method(ctx: Context, card: TestCard, type_: str) -> dict[str, Any]:
    """A PaymentMethod of type ``card`` or ``card_present`` for a test card."""
    details: dict[str, Any] = {
        "brand": card.brand,
        "country": card.country,
        "exp_month": card.exp_month,
        "exp_year": card.exp_year,
        "fingerprint": _fingerprint(card),
        "funding": card.funding,
        "last4": card.last4,
        "networks": {"available": [card.brand], "preferred": None},
    }
    if type_ == "card":
        details.update(
            checks={
                "address_line1_check": None,
                "address_postal_code_check": None,
                "cvc_check": "unchecked",
            },
            generated_from=None,
            three_d_secure_usage={"supported": True},
            wallet=None,
        )
    else:
        details.update(cardholder_name=None, read_method="contactless_emv")
    method = {
        "id": new_id("pm"),
        "object": "payment_method",
        "billing_details": _billing_details(),
        type_: details,
        "created": ctx.timestamp,
        "customer": None,
        "livemode": False,
        "metadata": {},
        "type": type_,
        "_sim": {"decline": card.decline.__dict__ if card.decline else None},
    }
    return ctx.store.put(method)


def decline_of(method: dict[str, Any]) -> Decline | None:
    raw = (method.get("_sim") or {}).get("decline")
    return Decline(**raw) if raw else None


def public(obj: dict[str, Any]) -> dict[str, Any]:
    """An object as the API shows it, without the simulator's private fields."""
    return {k: v for k, v in obj.items() if not k.startswith("_")}


def _method_details(
    method: dict[str, Any], amount: int, manual: bool, now: int, auth_code: str | None
) -> dict[str, Any]:
    type_ = method["type"]
    card = method[type_]
    common = {
        "brand": card["brand"],
        "country": card["country"],
        "exp_month": card["exp_month"],
        "exp_year": card["exp_year"],
        "fingerprint": card["fingerprint"],
        "funding": card["funding"],
        "last4": card["last4"],
        "network": card["brand"],
    }
    if type_ == "card":
        details = {
            **common,
            "checks": card["checks"],
            "installments": None,
            "mandate": None,
            "three_d_secure": None,
            "wallet": None,
            # Newer than the 2023-08-16 API description, present in current Stripe.
            "authorization_code": auth_code,
        }
    else:
        details = {
            **common,
            "amount_authorized": amount if auth_code else None,
            "capture_before": now + 2 * 24 * 3600 if manual and auth_code else None,
            "cardholder_name": None,
            "emv_auth_data": "8A023030" if auth_code else None,
            "generated_card": None,
            "incremental_authorization_supported": False,
            "overcapture_supported": False,
            "read_method": card.get("read_method", "contactless_emv"),
            "receipt": {
                "account_type": card["funding"],
                "application_cryptogram": "F12A34B56C78D9E0",
                "application_preferred_name": f"{card['brand'].title()} {card['funding']}",
                "authorization_code": auth_code,
                "authorization_response_code": "3030" if auth_code else "3035",
                "cardholder_verification_method": "none",
                "dedicated_file_name": "A0000000031010",
                "terminal_verification_results": "0000000000",
                "transaction_status_information": "0000",
            },
        }
    return {"type": type_, type_: details}


def authorize(
    ctx: Context, intent: dict[str, Any], method: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any], Decline | None]:
    """Charge ``method`` for ``intent``; return the updated intent, the charge and any decline.

    Stores both objects and records the events Stripe sends for the outcome.
    """
    decline = decline_of(method)
    manual = intent["capture_method"] == "manual"
    amount = intent["amount"]
    auth_code = None if decline else f"{secrets.randbelow(1_000_000):06d}"
    charge = {
        "id": new_id("ch"),
        "object": "charge",
        "amount": amount,
        "amount_captured": 0 if decline or manual else amount,
        "amount_refunded": 0,
        "application": None,
        "application_fee": None,
        "application_fee_amount": None,
        "balance_transaction": None,
        "billing_details": _billing_details(),
        "calculated_statement_descriptor": "ENTURF",
        "captured": not decline and not manual,
        "created": ctx.timestamp,
        "currency": intent["currency"],
        "customer": None,
        "description": intent.get("description"),
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": decline.code if decline else None,
        "failure_message": decline.message if decline else None,
        "fraud_details": {},
        "invoice": None,
        "livemode": False,
        "metadata": dict(intent.get("metadata") or {}),
        "on_behalf_of": None,
        "outcome": _outcome(decline),
        "paid": decline is None,
        "payment_intent": intent["id"],
        "payment_method": method["id"],
        "payment_method_details": _method_details(method, amount, manual, ctx.timestamp, auth_code),
        "receipt_email": intent.get("receipt_email"),
        "receipt_number": None,
        "receipt_url": None,
        "refunded": False,
        "review": None,
        "shipping": None,
        "source_transfer": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "failed" if decline else "succeeded",
        "transfer_data": None,
        "transfer_group": None,
    }
    ctx.store.put(charge)
    intent["latest_charge"] = charge["id"]
    if decline:
        intent.update(
            status="requires_payment_method",
            payment_method=None,
            last_payment_error=payment_error(decline, charge["id"], method),
        )
        ctx.store.put(intent)
        ctx.emit("charge.failed", charge)
        ctx.emit("payment_intent.payment_failed", intent)
        return intent, charge, decline
    intent.update(payment_method=method["id"], last_payment_error=None)
    if manual:
        intent.update(status="requires_capture", amount_capturable=amount)
    else:
        intent.update(status="succeeded", amount_received=amount, amount_capturable=0)
    ctx.store.put(intent)
    ctx.emit("charge.succeeded", charge)
    if manual:
        ctx.emit("payment_intent.amount_capturable_updated", intent)
    else:
        ctx.emit("payment_intent.succeeded", intent)
    return intent, charge, None


def payment_error(decline: Decline, charge_id: str, method: dict[str, Any]) -> dict[str, Any]:
    """The ``last_payment_error`` / error body of a card decline."""
    error: dict[str, Any] = {
        "charge": charge_id,
        "code": decline.code,
        "decline_code": decline.decline_code,
        "doc_url": DOCS_URL + decline.code.replace("_", "-"),
        "message": decline.message,
    }
    if decline.param:
        error["param"] = decline.param
    error["payment_method"] = public(method)
    error["type"] = "card_error"
    return error


def _outcome(decline: Decline | None) -> dict[str, Any]:
    if decline is None:
        return {
            "network_status": "approved_by_network",
            "reason": None,
            "risk_level": "normal",
            "risk_score": 20,
            "seller_message": "Payment complete.",
            "type": "authorized",
        }
    blocked = decline.decline_code in {"fraudulent", "lost_card", "stolen_card"}
    return {
        "network_status": "declined_by_network",
        "reason": decline.decline_code,
        "risk_level": "highest" if blocked else "normal",
        "seller_message": "The bank did not return any further details with this decline.",
        "type": "issuer_declined",
    }
