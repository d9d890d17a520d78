"""Past payments (`gateway_sim.past_payments`, the demo's seeded card sales): made in the
simulator's file at their moment, then served and refunded over the API like any other."""

from __future__ import annotations

import time

import pytest
import stripe

from gateway_sim.past_payments import PastPayments

TEN_DAYS_AGO = time.time() - 10 * 86_400


def test_past_payments_are_served_and_refunded_like_live_ones(
    simulator, stripe_client, validate_schema
):
    with PastPayments(simulator.simulator.store.path) as past:
        online = past.online(
            amount_minor=4500,
            currency="EUR",
            metadata={"booking": "b-1"},
            description="Booking ABC",
            payment_method="pm_card_mastercard",
            at=TEN_DAYS_AGO,
        )
        counter = past.at_counter(
            amount_minor=2250,
            currency="EUR",
            metadata={"booking": "b-2"},
            card_number="5555555555554444",
            at=TEN_DAYS_AGO + 60,
        )

    # what the seed got is what the API answers, dated at the payment's moment
    for answer, method in ((online, "card"), (counter, "card_present")):
        served = stripe_client.v1.payment_intents.retrieve(
            answer["id"], params={"expand": ["latest_charge"]}
        )
        assert served.to_dict() == answer
        validate_schema(stripe_client.v1.payment_intents.retrieve(answer["id"]), "payment_intent")
        if method == "card":  # a captured card_present charge has capture_before null, as
            validate_schema(served.latest_charge, "charge")  # a live one (not in the schema)
        assert served.status == "succeeded" and served.latest_charge.captured
        assert served.created == int(TEN_DAYS_AGO) + (60 if method == "card_present" else 0)
        details = served.latest_charge.payment_method_details
        assert (details.type, details[method].brand, details[method].last4) == (
            method,
            "mastercard",
            "4444",
        )
    assert (online["capture_method"], counter["capture_method"]) == ("automatic", "manual")
    assert counter["latest_charge"]["payment_method_details"]["card_present"]["receipt"][
        "authorization_code"
    ]
    found = stripe_client.v1.payment_intents.search(params={"query": "metadata['booking']:'b-2'"})
    assert [i.id for i in found.data] == [counter["id"]]

    # refunded through POST /v1/refunds, partly then the rest, and no more
    first = stripe_client.v1.refunds.create(
        params={"payment_intent": counter["id"], "amount": 1000}
    )
    rest = stripe_client.v1.refunds.create(params={"payment_intent": counter["id"]})
    assert (first.status, first.amount, rest.amount) == ("succeeded", 1000, 1250)
    validate_schema(rest, "refund")
    charge = stripe_client.v1.charges.retrieve(counter["latest_charge"]["id"])
    assert (charge.amount_refunded, charge.refunded) == (2250, True)
    with pytest.raises(stripe.InvalidRequestError) as refused:
        stripe_client.v1.refunds.create(params={"payment_intent": counter["id"]})
    assert refused.value.code == "charge_already_refunded"


def test_a_past_payment_needs_a_card_that_approves(tmp_path):
    with (
        PastPayments(tmp_path / "gateway.sqlite3") as past,
        pytest.raises(ValueError, match="not a test card that approves"),
    ):
        past.at_counter(
            amount_minor=1000,
            currency="EUR",
            metadata={},
            card_number="4000000000000002",  # declined
            at=TEN_DAYS_AGO,
        )
