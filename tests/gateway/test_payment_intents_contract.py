"""Contract: the official ``stripe`` library against the simulator, PaymentIntents and auth.

Each test runs a flow through ``stripe.StripeClient`` and checks what Stripe
itself would give: exception classes, codes, statuses, ``http_status``, and
objects that validate against Stripe's published schemas.
"""

from __future__ import annotations

import pytest
import requests
import stripe


def test_manual_capture_flow_matches_stripe(stripe_client, validate_schema):
    intent = stripe_client.v1.payment_intents.create(
        params={
            "amount": 2500,
            "currency": "EUR",
            "capture_method": "manual",
            "payment_method_types": ["card"],
            "metadata": {"local_id": "sale-1", "booking": "b-42"},
        }
    )
    assert intent.object == "payment_intent"
    assert intent.status == "requires_payment_method"
    assert intent.currency == "eur"
    assert intent.metadata.to_dict() == {"local_id": "sale-1", "booking": "b-42"}
    assert intent.client_secret.startswith(intent.id + "_secret_")
    validate_schema(intent, "payment_intent")

    confirmed = stripe_client.v1.payment_intents.confirm(
        intent.id, params={"payment_method": "pm_card_visa"}
    )
    assert confirmed.status == "requires_capture"
    assert confirmed.amount_capturable == 2500
    assert confirmed.payment_method.startswith("pm_")

    captured = stripe_client.v1.payment_intents.capture(
        intent.id, params={"expand": ["latest_charge"]}
    )
    assert captured.status == "succeeded"
    assert captured.amount_received == 2500
    charge = captured.latest_charge
    assert charge.object == "charge" and charge.captured and charge.paid
    assert charge.payment_method_details.card.last4 == "4242"
    assert charge.payment_method_details.card.brand == "visa"
    validate_schema(captured, "payment_intent")
    validate_schema(charge, "charge")

    retrieved = stripe_client.v1.payment_intents.retrieve(intent.id)
    assert retrieved.status == "succeeded"
    assert retrieved.latest_charge == charge.id


def test_create_and_confirm_in_one_call_with_automatic_capture(stripe_client, validate_schema):
    intent = stripe_client.v1.payment_intents.create(
        params={
            "amount": 1000,
            "currency": "usd",
            "payment_method": "pm_card_mastercard",
            "confirm": True,
        }
    )
    assert intent.status == "succeeded"
    assert intent.automatic_payment_methods.enabled is True
    method = stripe_client.v1.payment_methods.retrieve(intent.payment_method)
    assert method.card.brand == "mastercard"
    validate_schema(method, "payment_method")


@pytest.mark.parametrize(
    ("payment_method", "code", "decline_code", "message"),
    [
        ("pm_card_chargeDeclined", "card_declined", "generic_decline", "Your card was declined."),
        (
            "pm_card_visa_chargeDeclined",
            "card_declined",
            "generic_decline",
            "Your card was declined.",
        ),
        ("tok_chargeDeclined", "card_declined", "generic_decline", "Your card was declined."),
        (
            "pm_card_chargeDeclinedInsufficientFunds",
            "card_declined",
            "insufficient_funds",
            "Your card has insufficient funds.",
        ),
        (
            "pm_card_visa_chargeDeclinedInsufficientFunds",
            "card_declined",
            "insufficient_funds",
            "Your card has insufficient funds.",
        ),
        (
            "tok_chargeDeclinedInsufficientFunds",
            "card_declined",
            "insufficient_funds",
            "Your card has insufficient funds.",
        ),
        (
            "pm_card_chargeDeclinedExpiredCard",
            "expired_card",
            "expired_card",
            "Your card has expired.",
        ),
    ],
)
def test_declines_raise_card_error(
    stripe_client, validate_schema, payment_method, code, decline_code, message
):
    intent = stripe_client.v1.payment_intents.create(params={"amount": 800, "currency": "eur"})
    with pytest.raises(stripe.CardError) as caught:
        stripe_client.v1.payment_intents.confirm(
            intent.id, params={"payment_method": payment_method}
        )
    error = caught.value
    assert error.http_status == 402
    assert error.code == code
    assert error.user_message == message
    assert error.error.type == "card_error"
    assert error.error.decline_code == decline_code
    assert error.error.payment_intent.status == "requires_payment_method"
    assert error.request_id and error.request_id.startswith("req_")
    validate_schema(error.json_body["error"], "api_errors")

    after = stripe_client.v1.payment_intents.retrieve(intent.id)
    assert after.status == "requires_payment_method"
    assert after.last_payment_error.decline_code == decline_code
    assert after.last_payment_error.code == code
    validate_schema(after, "payment_intent")
    failed_charge = stripe_client.v1.charges.retrieve(after.latest_charge)
    assert failed_charge.status == "failed" and failed_charge.failure_code == code

    # Another card may follow a decline on the same intent.
    retried = stripe_client.v1.payment_intents.confirm(
        intent.id, params={"payment_method": "pm_card_visa"}
    )
    assert retried.status == "succeeded"
    assert retried.last_payment_error is None


def test_unexpected_state_errors(stripe_client, validate_schema):
    intent = stripe_client.v1.payment_intents.create(params={"amount": 600, "currency": "eur"})
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.payment_intents.capture(intent.id)
    assert caught.value.http_status == 400
    assert caught.value.code == "payment_intent_unexpected_state"
    assert "requires_payment_method" in caught.value.user_message
    validate_schema(caught.value.json_body["error"], "api_errors")

    stripe_client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})
    for call in (
        lambda: stripe_client.v1.payment_intents.cancel(intent.id),
        lambda: stripe_client.v1.payment_intents.confirm(intent.id),
        lambda: stripe_client.v1.payment_intents.capture(intent.id),
    ):
        with pytest.raises(stripe.InvalidRequestError) as caught:
            call()
        assert caught.value.code == "payment_intent_unexpected_state"
        assert caught.value.error.payment_intent.status == "succeeded"


def test_cancel_releases_an_authorisation(stripe_client):
    intent = stripe_client.v1.payment_intents.create(
        params={
            "amount": 900,
            "currency": "eur",
            "capture_method": "manual",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )
    assert intent.status == "requires_capture"
    canceled = stripe_client.v1.payment_intents.cancel(
        intent.id, params={"cancellation_reason": "abandoned", "expand": ["latest_charge"]}
    )
    assert canceled.status == "canceled"
    assert canceled.cancellation_reason == "abandoned"
    assert canceled.canceled_at is not None
    assert canceled.latest_charge.refunded is True


def test_partial_capture(stripe_client):
    intent = stripe_client.v1.payment_intents.create(
        params={
            "amount": 5000,
            "currency": "eur",
            "capture_method": "manual",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.payment_intents.capture(intent.id, params={"amount_to_capture": 6000})
    assert caught.value.code == "amount_too_large"
    captured = stripe_client.v1.payment_intents.capture(
        intent.id, params={"amount_to_capture": 3000}
    )
    assert captured.amount_received == 3000


def test_parameter_validation(stripe_client):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.payment_intents.create(params={"currency": "eur"})
    assert caught.value.code == "parameter_missing"
    assert caught.value.param == "amount"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.payment_intents.create(
            params={"amount": 100, "currency": "eur", "colour": "red"}  # type: ignore[typeddict-unknown-key]
        )
    assert caught.value.code == "parameter_unknown"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.payment_intents.create(params={"amount": 10, "currency": "eur"})
    assert caught.value.code == "amount_too_small"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.payment_intents.retrieve("pi_doesnotexist")
    assert caught.value.http_status == 404
    assert caught.value.code == "resource_missing"


def test_list_and_search(stripe_client, validate_schema, stripe_schemas):
    ids = []
    for number in range(3):
        intent = stripe_client.v1.payment_intents.create(
            params={
                "amount": 1000 + number,
                "currency": "eur",
                "metadata": {"local_id": f"sale-{number}", "till": "2"},
            }
        )
        ids.append(intent.id)
    page = stripe_client.v1.payment_intents.list(params={"limit": 2})
    assert page.object == "list" and page.url == "/v1/payment_intents"
    assert [i.id for i in page.data] == [ids[2], ids[1]]
    assert page.has_more is True
    rest = stripe_client.v1.payment_intents.list(params={"limit": 2, "starting_after": ids[1]})
    assert [i.id for i in rest.data] == [ids[0]] and rest.has_more is False
    assert [i.id for i in stripe_client.v1.payment_intents.list().auto_paging_iter()] == ids[::-1]

    found = stripe_client.v1.payment_intents.search(
        params={"query": "metadata['local_id']:'sale-1'"}
    )
    assert found.object == "search_result"
    assert [i.id for i in found.data] == [ids[1]]
    both = stripe_client.v1.payment_intents.search(
        params={"query": "metadata['till']:'2' AND amount>1000", "limit": 1}
    )
    assert both.has_more is True and both.next_page
    response_schema = stripe_schemas["paths"]["/v1/payment_intents/search"]["get"]
    assert "search_result" in str(response_schema["responses"]["200"])
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.payment_intents.search(params={"query": "metadata['a']:'x' AND"})
    assert caught.value.param == "query"


def test_restricted_key_is_limited_to_intents_and_readers(simulator, restricted_client):
    intent = restricted_client.v1.payment_intents.create(
        params={"amount": 700, "currency": "eur", "payment_method": "pm_card_visa", "confirm": True}
    )
    assert intent.status == "succeeded"
    assert restricted_client.v1.terminal.readers.retrieve(simulator.reader_id).id
    with pytest.raises(stripe.PermissionError) as caught:
        restricted_client.v1.refunds.create(params={"payment_intent": intent.id})
    assert caught.value.http_status == 403
    assert "rak_refund_write" in caught.value.user_message
    assert simulator.restricted_key not in caught.value.user_message


@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        ("sk_test_unknown_key_1234", "Invalid API Key provided: sk_test_"),
        ("pk_test_enturf_demo", "publishable API key"),
    ],
)
def test_bad_keys_are_refused(client_factory, key, fragment):
    client = client_factory(key)
    with pytest.raises(stripe.AuthenticationError) as caught:
        client.v1.payment_intents.list()
    assert caught.value.http_status == 401
    assert fragment in caught.value.user_message
    assert key not in caught.value.user_message  # Stripe masks all but the last four


def test_missing_key_and_unknown_url(simulator):
    response = requests.get(simulator.url + "/v1/payment_intents", timeout=5)
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "invalid_request_error"
    response = requests.get(
        simulator.url + "/v1/nothing_here",
        headers={"Authorization": f"Bearer {simulator.secret_key}"},
        timeout=5,
    )
    assert response.status_code == 404
    assert response.json()["error"]["message"].startswith("Unrecognized request URL (GET:")
    assert response.headers["Request-Id"].startswith("req_")


def test_headers_version_and_form_encoding(simulator):
    auth = {"Authorization": f"Bearer {simulator.secret_key}"}
    response = requests.post(
        simulator.url + "/v1/payment_intents",
        headers={**auth, "Stripe-Version": "2024-06-20"},
        data=[
            ("amount", "1500"),
            ("currency", "eur"),
            ("metadata[local_id]", "x[1]"),
            ("metadata[note]", "a&b=c"),
            ("payment_method_types[]", "card"),
            ("payment_method_types[]", "card_present"),
            ("expand[0]", "latest_charge"),
        ],
        timeout=5,
    )
    assert response.status_code == 200, response.text
    assert response.headers["Stripe-Version"] == "2024-06-20"
    assert response.headers["Request-Id"].startswith("req_")
    body = response.json()
    assert body["metadata"] == {"local_id": "x[1]", "note": "a&b=c"}
    assert body["payment_method_types"] == ["card", "card_present"]
    basic = requests.get(
        simulator.url + f"/v1/payment_intents/{body['id']}",
        auth=(simulator.secret_key, ""),
        timeout=5,
    )
    assert basic.status_code == 200
    assert basic.headers["Stripe-Version"] == "2023-08-16"
    bad = requests.get(
        simulator.url + "/v1/payment_intents",
        headers={**auth, "Stripe-Version": "yesterday"},
        timeout=5,
    )
    assert bad.status_code == 400 and "Invalid Stripe API version" in bad.text


def test_library_sends_its_version_and_gets_it_echoed(stripe_client):
    intent = stripe_client.v1.payment_intents.create(params={"amount": 100, "currency": "eur"})
    headers = intent.last_response.headers
    assert headers["Stripe-Version"] == stripe.api_version
    assert headers["Request-Id"] == intent.last_response.request_id
