"""Idempotency as Stripe documents it, and the simulator's fault switch."""

from __future__ import annotations

import threading

import pytest
import requests
import stripe


def _post(sim, path, data, key=None):
    headers = {"Authorization": f"Bearer {sim.secret_key}"}
    if key:
        headers["Idempotency-Key"] = key
    return requests.post(sim.url + path, data=data, headers=headers, timeout=10)


def _charges(stripe_client) -> int:
    return len(stripe_client.v1.charges.list(params={"limit": 100}).data)


def test_replay_returns_the_first_response(simulator, stripe_client):
    data = {
        "amount": "1200",
        "currency": "eur",
        "payment_method": "pm_card_visa",
        "confirm": "true",
    }
    first = _post(simulator, "/v1/payment_intents", data, "sale-9:create")
    again = _post(simulator, "/v1/payment_intents", data, "sale-9:create")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Original-Request"] == first.headers["Request-Id"]
    assert again.headers["Request-Id"] != first.headers["Request-Id"]
    assert _charges(stripe_client) == 1


def test_errors_are_replayed_too(simulator, stripe_client):
    data = {
        "amount": "1200",
        "currency": "eur",
        "payment_method": "pm_card_chargeDeclined",
        "confirm": "true",
    }
    first = _post(simulator, "/v1/payment_intents", data, "sale-10:create")
    again = _post(simulator, "/v1/payment_intents", data, "sale-10:create")
    assert first.status_code == again.status_code == 402
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _charges(stripe_client) == 1


def test_validation_errors_are_not_stored(simulator):
    assert _post(simulator, "/v1/payment_intents", {"currency": "eur"}, "k1").status_code == 400
    fixed = _post(simulator, "/v1/payment_intents", {"currency": "eur", "amount": "900"}, "k1")
    assert fixed.status_code == 200


def test_same_key_other_parameters_or_endpoint(simulator, stripe_client):
    stripe_client.v1.payment_intents.create(
        params={"amount": 1000, "currency": "eur"}, options={"idempotency_key": "sale-11:create"}
    )
    with pytest.raises(stripe.IdempotencyError) as caught:
        stripe_client.v1.payment_intents.create(
            params={"amount": 2000, "currency": "eur"},
            options={"idempotency_key": "sale-11:create"},
        )
    assert caught.value.http_status == 400
    assert "same parameters" in caught.value.user_message
    other = _post(
        simulator, "/v1/terminal/readers", {"registration_code": "simulated-wpe"}, "sale-11:create"
    )
    assert other.status_code == 400
    assert other.json()["error"]["type"] == "idempotency_error"


def test_concurrent_duplicate_gets_409(simulator, client_factory):
    simulator.add_fault("hold", 1, path="/v1/payment_intents")
    data = {"amount": "1200", "currency": "eur"}
    results = {}
    first = threading.Thread(
        target=lambda: results.setdefault(
            "first", _post(simulator, "/v1/payment_intents", data, "sale-12:create")
        )
    )
    first.start()
    try:
        # Wait (without timing assumptions) until the first request is held mid-flight.
        for _ in range(2000):
            if simulator.admin("GET", "/_sim/faults")["held"] == 1:
                break
        else:
            pytest.fail("the first request was never held")
        with pytest.raises(stripe.APIError) as caught:
            client_factory().v1.payment_intents.create(
                params={"amount": 1200, "currency": "eur"},
                options={"idempotency_key": "sale-12:create"},
            )
        assert caught.value.http_status == 409
        assert caught.value.error.type == "idempotency_error"
    finally:
        simulator.admin("POST", "/_sim/faults/release")
        first.join(timeout=10)
    assert results["first"].status_code == 200
    replay = _post(simulator, "/v1/payment_intents", data, "sale-12:create")
    assert replay.headers["Idempotent-Replayed"] == "true"


def test_500_three_times_then_success_with_the_library_retrying(simulator, client_factory):
    simulator.add_fault("error", 3)
    client = client_factory(retries=3)
    intent = client.v1.payment_intents.create(
        params={
            "amount": 1100,
            "currency": "eur",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )
    assert intent.status == "succeeded"
    assert len(client.v1.payment_intents.list().data) == 1


def test_500_answers_are_api_errors(simulator, stripe_client):
    simulator.add_fault("error", 1)
    with pytest.raises(stripe.APIError) as caught:
        stripe_client.v1.payment_intents.list()
    assert caught.value.http_status == 500
    assert caught.value.error.type == "api_error"


def test_drop_after_acting_then_the_library_retry_replays(simulator, client_factory):
    simulator.add_fault("drop", 1, path="/v1/payment_intents", method="POST")
    client = client_factory(retries=2)
    intent = client.v1.payment_intents.create(
        params={
            "amount": 1300,
            "currency": "eur",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )
    assert intent.status == "succeeded"
    assert intent.last_response.headers["Idempotent-Replayed"] == "true"
    assert len(client.v1.charges.list().data) == 1


def test_drop_without_retry_is_a_connection_error(simulator, stripe_client):
    simulator.add_fault("drop", 1)
    with pytest.raises(stripe.APIConnectionError):
        stripe_client.v1.payment_intents.create(params={"amount": 1300, "currency": "eur"})
    # It acted before dropping: the intent exists.
    assert len(stripe_client.v1.payment_intents.list().data) == 1


def test_fault_admin_validation(simulator):
    with pytest.raises(requests.HTTPError):
        response = requests.post(
            simulator.url + "/_sim/faults", json={"mode": "explode"}, timeout=5
        )
        response.raise_for_status()
    simulator.add_fault("error", 2)
    assert simulator.admin("GET", "/_sim/faults")["faults"][0]["remaining"] == 2
    simulator.clear_faults()
    assert simulator.admin("GET", "/_sim/faults")["faults"] == []
