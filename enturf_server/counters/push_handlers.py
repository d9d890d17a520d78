"""The `counter_sale` push op: a whole sale made at a counter, online or offline.

Payload::

    {"booking": {"id": uuid, "code": "ABC2345"?, "event": 7, "buyer_name"?, "buyer_email"?,
                 "created_at": "2026-05-01T19:02:11+02:00", "seller": "cashier",
                 "voucher"?: "SPRING10", "shift"?: uuid},
     "lines": [{"id": uuid, "ticket": 3, "seat": 101 | "area": 4, "price": "45.00",
                "tax_rate": "7.00", "tax_amount": "2.94", "discount"?: "0.00",
                "ticket_code"?: "v1....",
                "override"?: {"reason": "...", "listed_price"?: "45.00",
                              "approval": {statement, key_id, signature} | null}}],
     "payments": [{"id": uuid, "method": "cash" | "card", "amount": "45.00",
                   "currency": "EUR", "tendered"?, "change"?, "payment_intent"?}],
     "hold"?: uuid}

Applied by `counters.counter_sales.record_counter_sale`; `CountersConfig.ready()` registers
the op with sync. Results:

* ``applied``: ``booking: {id, code, state, total, currency, price_mismatch,
  claimed_seller, server_prices, invoice, lines: [{id, ticket_code}]}``; ``state`` is
  ``paid`` (invoiced), or ``review`` when a price differs from the server's
  (``server_prices``) without a valid supervisor's approval on its line (``override``,
  kind ``price_override``): the sale is kept, not invoiced, until a manager decides
  (``override_refusals``: why an approval did not count);
  ``seller`` is a note (``claimed_seller``): the sale is the authenticated user's;
* ``duplicate``: the booking id was recorded before (by this counter): the same
  ``booking``;
* ``rejected``: ``code``, ``reason``, ``details`` (``sold_elsewhere`` carries
  ``details.refund``: what to give back; its card payments were already canceled or
  refunded at the gateway, ``details.refund.card``);
* ``rejected`` with ``retry: true`` (``gateway_unreachable`` and other gateway failures):
  nothing is stored, send the same op again later.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rest_framework import serializers

from enturf_core.gateway import GatewayError
from enturf_core.wire import ops as wire
from enturf_server.api.errors import ServiceError
from enturf_server.api.inputs import id_field, money_field
from enturf_server.billing.services.counter_card_refunds import give_back_card_money
from enturf_server.billing.services.gateway import gateway_failure
from enturf_server.counters.counter_sales import record_counter_sale
from enturf_server.counters.sale import CounterSale, CounterSaleOutcome
from enturf_server.invoicing.selectors import invoice_number
from enturf_server.sales.rules import MAX_ITEMS_PER_REQUEST
from enturf_server.sync.push_registry import (
    APPLIED,
    DUPLICATE,
    OpResult,
    PushContext,
    PushOp,
    RetryLater,
    push_handler,
    typed_payload,
)


def _money(**kw) -> serializers.DecimalField:
    return money_field(min_value=0, **kw)


class LineOverrideInput(serializers.Serializer):
    """A supervisor's price override on the line: checked in `counter_sales`."""

    reason = serializers.CharField(max_length=200)
    listed_price = _money(required=False, allow_null=True)
    approval = serializers.JSONField(required=False, allow_null=True)


class SaleLineInput(serializers.Serializer):
    id = serializers.UUIDField()
    ticket = id_field()
    seat = id_field(required=False, allow_null=True)
    area = id_field(required=False, allow_null=True)
    price = _money()
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0)
    tax_amount = _money()
    discount = _money(required=False, default="0.00")
    ticket_code = serializers.CharField(
        max_length=1024, required=False, allow_blank=True, default=""
    )
    override = LineOverrideInput(required=False, allow_null=True)

    def validate(self, attrs):
        if (attrs.get("seat") is None) == (attrs.get("area") is None):
            raise serializers.ValidationError("A line sells exactly one seat or one GA place.")
        return attrs


class SalePaymentInput(serializers.Serializer):
    id = serializers.UUIDField()
    method = serializers.ChoiceField(choices=["cash", "card"])
    amount = _money()
    currency = serializers.CharField(min_length=3, max_length=3)
    tendered = _money(required=False, allow_null=True)
    change = _money(required=False, allow_null=True)
    payment_intent = serializers.CharField(
        max_length=255, required=False, allow_null=True, allow_blank=True
    )
    # card details and the authorisation code come from the gateway, not from the counter
    card = serializers.JSONField(required=False)
    authorization_code = serializers.CharField(max_length=100, required=False, allow_blank=True)


class SaleBookingInput(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
    event = id_field()
    buyer_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    buyer_email = serializers.EmailField(
        max_length=254, required=False, allow_blank=True, default=""
    )
    created_at = serializers.DateTimeField()
    # who the counter says sold it: a note only; the seller is the authenticated user
    seller = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    voucher = serializers.CharField(
        max_length=40, required=False, allow_blank=True, allow_null=True, default=""
    )
    # the counter's open shift; missing in sales queued by older counters (flagged, kept)
    shift = serializers.UUIDField(required=False, allow_null=True, default=None)


class CounterSaleInput(serializers.Serializer):
    booking = SaleBookingInput()
    lines = serializers.ListField(
        child=SaleLineInput(), min_length=1, max_length=MAX_ITEMS_PER_REQUEST
    )
    payments = serializers.ListField(child=SalePaymentInput(), max_length=20)
    hold = serializers.UUIDField(required=False, allow_null=True)


def parse_counter_sale(op: PushOp) -> CounterSale:
    """The typed sale (`enturf_core.wire.ops.CounterSale`); the serializer above checks
    the values first, for its error details (lengths, amounts, e-mail)."""
    data = CounterSaleInput(data=op.payload)
    if not data.is_valid():
        raise ServiceError(
            "The sale is not valid; see details.", code="invalid", details=data.errors
        )
    sale = typed_payload(op, wire.CounterSale)
    return CounterSale(
        replace(
            sale,
            payments=tuple(
                replace(p, currency=p.currency.upper(), payment_intent=p.payment_intent or None)
                for p in sale.payments
            ),
        )
    )


def sale_result(outcome: CounterSaleOutcome) -> dict[str, Any]:
    booking = outcome.booking
    return {
        "id": str(booking.pk),
        "code": booking.code,
        "state": booking.state,
        "total": str(booking.total),
        "currency": booking.currency,
        "price_mismatch": booking.price_mismatch,
        "claimed_seller": booking.claimed_seller or None,
        "server_prices": outcome.server_prices,
        "override_refusals": outcome.override_refusals,
        "invoice": invoice_number(booking.pk),
        "lines": [
            {"id": str(line.pk), "ticket_code": line.ticket_code} for line in booking.lines.all()
        ],
    }


def _card_money_back(sale: CounterSale, refusal: ServiceError) -> ServiceError:
    """The refused sale's card money goes back (`billing.services.counter_card_refunds`)."""
    try:
        return give_back_card_money(
            booking_id=sale.booking_id, payments=sale.payments, refusal=refusal
        )
    except GatewayError as exc:
        failure = gateway_failure(exc)
        raise RetryLater(
            f"The seats went elsewhere, and the card payment must go back first: "
            f"{failure.message} The sale is sent again later.",
            code=failure.code,
            details=failure.details,
        ) from None


def pays_by_card(op: PushOp) -> bool:
    """A card sale asks the gateway for its payment intents: it runs in its own transaction.
    (Read before the op is parsed: a payload of the wrong shape is refused in the handler.)"""
    payments = op.payload.get("payments")
    return isinstance(payments, list) and any(
        isinstance(p, dict) and p.get("method") == wire.CARD for p in payments
    )


@push_handler(wire.COUNTER_SALE, own_transaction=pays_by_card)
def counter_sale(op: PushOp, ctx: PushContext) -> OpResult:
    sale = parse_counter_sale(op)
    try:
        outcome = record_counter_sale(actor=ctx.user, device=ctx.device, sale=sale)
    except ServiceError as exc:
        if exc.code == "sold_elsewhere":
            exc = _card_money_back(sale, exc)
        if exc.status_code >= 500 or exc.code == "retry":
            raise RetryLater(
                f"{exc.message} The sale is kept at the counter and sent again later.",
                code=exc.code,
                details=exc.details,
            ) from None
        raise exc from None
    return OpResult(
        APPLIED if outcome.created else DUPLICATE, extra={"booking": sale_result(outcome)}
    )
