"""Contract: Terminal readers and refunds through the official ``stripe`` library."""

from __future__ import annotations

import time

import pytest
import stripe


def _terminal_intent(client: stripe.StripeClient, amount: int = 4200) -> stripe.PaymentIntent:
    return client.v1.payment_intents.create(
        params={
            "amount": amount,
            "currency": "eur",
            "capture_method": "manual",
            "payment_method_types": ["card_present"],
            "metadata": {"local_id": "s-1"},
        }
    )


def _present(client: stripe.StripeClient, reader_id: str, number: str) -> stripe.terminal.Reader:
    return client.v1.test_helpers.terminal.readers.present_payment_method(
        reader_id, params={"card_present": {"number": number}}
    )


def test_register_and_retrieve_a_simulated_reader(stripe_client, validate_schema):
    reader = stripe_client.v1.terminal.readers.create(
        params={
            "registration_code": "simulated-wpe",
            "label": "Box office 2",
            "metadata": {"counter": "2"},
        }
    )
    assert reader.object == "terminal.reader"
    assert reader.id.startswith("tmr_")
    assert reader.device_type == "simulated_wisepos_e"
    assert reader.status == "online" and reader.action is None
    assert reader.label == "Box office 2"
    validate_schema(reader, "terminal.reader")
    assert stripe_client.v1.terminal.readers.retrieve(reader.id).label == "Box office 2"
    listed = stripe_client.v1.terminal.readers.list()
    assert reader.id in [r.id for r in listed.data]
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.terminal.readers.create(params={"registration_code": "puppy-kitten"})
    assert caught.value.param == "registration_code"


def test_process_and_approve_on_the_reader(simulator, stripe_client, validate_schema):
    intent = _terminal_intent(stripe_client)
    reader = stripe_client.v1.terminal.readers.process_payment_intent(
        simulator.reader_id, params={"payment_intent": intent.id}
    )
    assert reader.action.type == "process_payment_intent"
    assert reader.action.status == "in_progress"
    assert reader.action.process_payment_intent.payment_intent == intent.id
    validate_schema(reader, "terminal.reader")

    reader = _present(stripe_client, simulator.reader_id, "4242424242424242")
    assert reader.action.status == "succeeded"
    assert reader.action.failure_code is None
    validate_schema(reader, "terminal.reader")

    authorised = stripe_client.v1.payment_intents.retrieve(
        intent.id, params={"expand": ["latest_charge"]}
    )
    assert authorised.status == "requires_capture"
    details = authorised.latest_charge.payment_method_details
    assert details.type == "card_present"
    assert details.card_present.last4 == "4242"
    assert details.card_present.brand == "visa"
    assert len(details.card_present.receipt.authorization_code) == 6
    validate_schema(authorised.latest_charge, "charge")

    captured = stripe_client.v1.payment_intents.capture(intent.id)
    assert captured.status == "succeeded"


@pytest.mark.parametrize(
    ("number", "failure_code", "decline_code"),
    [
        ("4000000000000002", "card_declined", "generic_decline"),
        ("4000000000009995", "card_declined", "insufficient_funds"),
        ("4000000000000069", "expired_card", "expired_card"),
    ],
)
def test_declines_on_the_reader(
    simulator, stripe_client, validate_schema, number, failure_code, decline_code
):
    intent = _terminal_intent(stripe_client)
    stripe_client.v1.terminal.readers.process_payment_intent(
        simulator.reader_id, params={"payment_intent": intent.id}
    )
    reader = _present(stripe_client, simulator.reader_id, number)
    assert reader.action.status == "failed"
    assert reader.action.failure_code == failure_code
    assert reader.action.failure_message
    validate_schema(reader, "terminal.reader")
    after = stripe_client.v1.payment_intents.retrieve(intent.id)
    assert after.status == "requires_payment_method"
    assert after.last_payment_error.decline_code == decline_code
    # The same intent may go to the reader again for another card.
    stripe_client.v1.terminal.readers.process_payment_intent(
        simulator.reader_id, params={"payment_intent": intent.id}
    )
    assert _present(stripe_client, simulator.reader_id, "5555555555554444").action.status == (
        "succeeded"
    )


def test_busy_reader_cancel_action_and_offline_reader(simulator, stripe_client):
    first = _terminal_intent(stripe_client)
    second = _terminal_intent(stripe_client)
    stripe_client.v1.terminal.readers.process_payment_intent(
        simulator.reader_id, params={"payment_intent": first.id}
    )
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.terminal.readers.process_payment_intent(
            simulator.reader_id, params={"payment_intent": second.id}
        )
    assert caught.value.code == "terminal_reader_busy"
    assert caught.value.http_status == 400

    reader = stripe_client.v1.terminal.readers.cancel_action(simulator.reader_id)
    assert reader.action is None
    assert stripe_client.v1.payment_intents.retrieve(first.id).status == ("requires_payment_method")
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.terminal.readers.cancel_action(simulator.reader_id)

    simulator.set_reader(online=False)
    assert stripe_client.v1.terminal.readers.retrieve(simulator.reader_id).status == "offline"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.terminal.readers.process_payment_intent(
            simulator.reader_id, params={"payment_intent": second.id}
        )
    assert caught.value.code == "terminal_reader_offline"


def test_processing_needs_a_card_present_intent_in_the_right_state(simulator, stripe_client):
    online = stripe_client.v1.payment_intents.create(params={"amount": 500, "currency": "eur"})
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.terminal.readers.process_payment_intent(
            simulator.reader_id, params={"payment_intent": online.id}
        )
    done = _terminal_intent(stripe_client)
    stripe_client.v1.payment_intents.cancel(done.id)
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.terminal.readers.process_payment_intent(
            simulator.reader_id, params={"payment_intent": done.id}
        )
    assert caught.value.code == "payment_intent_unexpected_state"


def test_auto_approving_reader(simulator, stripe_client):
    simulator.set_reader(auto_approve_delay=0.05)
    intent = _terminal_intent(stripe_client)
    stripe_client.v1.terminal.readers.process_payment_intent(
        simulator.reader_id, params={"payment_intent": intent.id}
    )
    deadline = time.monotonic() + 15
    status = None
    while time.monotonic() < deadline:
        status = stripe_client.v1.payment_intents.retrieve(intent.id).status
        if status != "requires_payment_method":
            break
        time.sleep(0.02)
    assert status == "requires_capture"
    reader = stripe_client.v1.terminal.readers.retrieve(simulator.reader_id)
    assert reader.action.status == "succeeded"


def test_full_and_partial_refunds(stripe_client, validate_schema):
    intent = stripe_client.v1.payment_intents.create(
        params={
            "amount": 3000,
            "currency": "eur",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )
    partial = stripe_client.v1.refunds.create(
        params={
            "payment_intent": intent.id,
            "amount": 1000,
            "reason": "requested_by_customer",
            "metadata": {"local_id": "r-1"},
        }
    )
    assert partial.object == "refund"
    assert partial.status == "succeeded" and partial.amount == 1000
    assert partial.payment_intent == intent.id
    validate_schema(partial, "refund")

    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 2500})
    assert caught.value.code == "amount_too_large"
    assert caught.value.param == "amount"
    assert "€25.00" in caught.value.user_message and "€20.00" in caught.value.user_message

    rest = stripe_client.v1.refunds.create(params={"payment_intent": intent.id})
    assert rest.amount == 2000
    charge = stripe_client.v1.charges.retrieve(partial.charge)
    assert charge.refunded is True and charge.amount_refunded == 3000
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.refunds.create(params={"charge": charge.id})
    assert caught.value.code == "charge_already_refunded"

    listed = stripe_client.v1.refunds.list(params={"payment_intent": intent.id})
    assert {r.id for r in listed.data} == {partial.id, rest.id}
    assert stripe_client.v1.refunds.retrieve(partial.id).amount == 1000


def test_refund_of_an_uncaptured_intent_is_refused(stripe_client):
    intent = stripe_client.v1.payment_intents.create(
        params={
            "amount": 3000,
            "currency": "eur",
            "capture_method": "manual",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.refunds.create(params={"payment_intent": intent.id})
    assert caught.value.param == "payment_intent"
