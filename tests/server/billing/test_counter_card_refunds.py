"""A counter card sale the server refuses (`sold_elsewhere`): the card money goes back
at the gateway (simulator over HTTP) with the server's secret key before the refusal is
stored: an uncaptured intent is canceled, a captured one refunded, once."""

from __future__ import annotations

import uuid

import pytest
from support import billing_fixtures
from support.billing_fixtures import card_on_reader
from support.counters import pos_client, push, register_counter, sale_line, sale_payload

pytestmark = pytest.mark.django_db
gateway = billing_fixtures.gateway


@pytest.fixture
def counter(make_user):
    _device, token, key = register_counter("Counter 1")
    return pos_client(make_user("cashier", "employee"), token), key


def card_sale_of_a_taken_seat(customer_client, shop, key, gateway, *, capture: bool):
    seat = shop.seats[0]
    taken = customer_client.post(
        "/api/v1/bookings/",
        {"event": shop.event.pk, "lines": [{"seat": seat, "ticket": shop.tickets["standard"].pk}]},
        format="json",
    )
    assert taken.status_code == 201
    booking_id = str(uuid.uuid4())
    terminal, handle, outcome = card_on_reader(gateway, booking_id, "25.00")
    assert outcome.state == "authorised"
    if capture:
        terminal.capture(handle)
    card = {
        "id": str(uuid.uuid4()),
        "method": "card",
        "amount": "25.00",
        "payment_intent": handle.payment_id,
    }
    payload = sale_payload(
        shop,
        [sale_line(shop, "standard", seat=seat, key=key)],
        booking_id=booking_id,
        payments=[card],
    )
    return terminal, handle, payload


def refunds_of(gateway, intent_id: str) -> list[dict]:
    from enturf_server.billing.services.gateway import server_gateway

    with server_gateway() as client:
        return client.request("GET", "/v1/refunds", {"payment_intent": intent_id})["data"]


def test_a_captured_card_payment_is_refunded_once(customer_client, shop, counter, gateway):
    pos, key = counter
    _terminal, handle, payload = card_sale_of_a_taken_seat(
        customer_client, shop, key, gateway, capture=True
    )
    op_id = uuid.uuid4()
    [result] = push(pos, payload, op_ids=[op_id])
    assert (result["status"], result["code"]) == ("rejected", "sold_elsewhere")
    [card] = result["details"]["refund"]["card"]
    assert (card["status"], card["amount"]) == ("refunded", "25.00")
    assert "went back to the customer's card" in result["reason"]
    [refund] = refunds_of(gateway, handle.payment_id)
    assert (refund["amount"], refund["status"]) == (2500, "succeeded")

    [again] = push(pos, payload, op_ids=[op_id])  # a replay answers the first result
    assert again["status"] == "duplicate"
    [fresh] = push(pos, payload)  # a new op for the same sale: the same refund, no second
    assert fresh["details"]["refund"]["card"][0]["refund"] == refund["id"]
    assert len(refunds_of(gateway, handle.payment_id)) == 1


def test_an_uncaptured_card_payment_is_canceled(customer_client, shop, counter, gateway):
    pos, key = counter
    terminal, handle, payload = card_sale_of_a_taken_seat(
        customer_client, shop, key, gateway, capture=False
    )
    [result] = push(pos, payload)
    assert result["details"]["refund"]["card"][0]["status"] == "canceled"
    assert terminal.status(handle).state == "canceled"
    assert refunds_of(gateway, handle.payment_id) == []


def test_the_refusal_waits_until_the_money_can_go_back(
    customer_client, shop, counter, gateway, settings
):
    pos, key = counter
    _terminal, _handle, payload = card_sale_of_a_taken_seat(
        customer_client, shop, key, gateway, capture=True
    )
    gateway.add_fault("error", count=10, path="/v1/refunds")
    [result] = push(pos, payload)
    assert result["status"] == "rejected" and result.get("retry") is True
    assert "must go back first" in result["reason"]
    gateway.clear_faults()
    [result] = push(pos, payload)
    assert result["details"]["refund"]["card"][0]["status"] == "refunded"


def test_an_intent_a_payment_record_holds_is_never_given_back(shop, counter, gateway):
    """Whatever refuses a sale, the card money of a payment the server recorded stays:
    its intent is neither canceled nor refunded."""
    from support.billing_fixtures import secret_client

    from enturf_server.api.errors import Conflict
    from enturf_server.billing.services.counter_card_refunds import give_back_card_money
    from enturf_server.counters.push_handlers import parse_counter_sale
    from enturf_server.sync.push_registry import PushOp

    pos, key = counter
    booking_id = str(uuid.uuid4())
    _terminal, handle, outcome = card_on_reader(gateway, booking_id, "25.00")
    assert outcome.state == "authorised"
    card = {"id": str(uuid.uuid4()), "method": "card", "amount": "25.00"}
    payload = sale_payload(
        shop,
        [sale_line(shop, "standard", seat=shop.seats[0], key=key)],
        booking_id=booking_id,
        payments=[{**card, "payment_intent": handle.payment_id}],
    )
    [result] = push(pos, payload)
    assert result["status"] == "applied"

    refusal = Conflict("The seats went elsewhere.", code="sold_elsewhere", details={})
    sale = parse_counter_sale(PushOp(uuid.uuid4(), "counter_sale", payload))
    answer = give_back_card_money(
        booking_id=sale.booking_id, payments=sale.payments, refusal=refusal
    )
    [given] = answer.details["refund"]["card"]
    assert given["status"] == "recorded"
    assert "went back" not in answer.message
    intent = secret_client(gateway).retrieve_payment_intent(handle.payment_id)
    assert intent["status"] == "requires_capture"
    assert refunds_of(gateway, handle.payment_id) == []
