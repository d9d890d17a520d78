"""Signed webhooks with retries, state surviving restarts, and the console script."""

from __future__ import annotations

import pytest
import stripe

from enturf_core.gateway.webhooks import construct_event
from gateway_sim.testing import spawn_simulator, start_simulator


def test_events_are_signed_and_verify_with_the_official_library(tmp_path, webhook_receiver):
    sim = start_simulator(db_path=tmp_path / "gw.sqlite3", webhook_url=webhook_receiver.url)
    try:
        client = stripe.StripeClient(sim.secret_key, base_addresses={"api": sim.url})
        intent = client.v1.payment_intents.create(
            params={
                "amount": 2000,
                "currency": "eur",
                "capture_method": "manual",
                "payment_method_types": ["card_present"],
            }
        )
        client.v1.terminal.readers.process_payment_intent(
            sim.reader_id, params={"payment_intent": intent.id}
        )
        client.v1.test_helpers.terminal.readers.present_payment_method(sim.reader_id)
        client.v1.payment_intents.capture(intent.id)
        client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 500})
        declined = client.v1.payment_intents.create(params={"amount": 900, "currency": "eur"})
        with pytest.raises(stripe.CardError):
            client.v1.payment_intents.confirm(
                declined.id, params={"payment_method": "pm_card_chargeDeclined"}
            )
        wanted = {
            "terminal.reader.action_succeeded",
            "payment_intent.succeeded",
            "charge.refunded",
            "payment_intent.payment_failed",
        }
        events = webhook_receiver.wait_for(lambda evs: wanted <= {e["type"] for e in evs})
        assert wanted <= {e["type"] for e in events}
        for body, headers in webhook_receiver.received:
            event = stripe.Webhook.construct_event(
                body.decode(), headers["Stripe-Signature"], sim.webhook_secret
            )
            assert event.object == "event"
            assert construct_event(body, headers["Stripe-Signature"], sim.webhook_secret)
            with pytest.raises(stripe.SignatureVerificationError):
                stripe.Webhook.construct_event(
                    body.decode(), headers["Stripe-Signature"], "whsec_wrong"
                )
        refunded = next(e for e in events if e["type"] == "charge.refunded")
        assert refunded["data"]["object"]["amount_refunded"] == 500
        assert refunded["data"]["previous_attributes"] == {"amount_refunded": 0, "refunded": False}
        succeeded = next(e for e in events if e["type"] == "payment_intent.succeeded")
        assert succeeded["data"]["object"]["id"] == intent.id
        assert succeeded["request"]["idempotency_key"]
        retrieved = client.v1.events.retrieve(succeeded["id"])
        assert retrieved.type == "payment_intent.succeeded"
    finally:
        sim.stop()


def test_failed_deliveries_are_retried(tmp_path, webhook_receiver_factory):
    receiver = webhook_receiver_factory(fail_first=2)
    sim = start_simulator(
        db_path=tmp_path / "gw.sqlite3", webhook_url=receiver.url, webhook_backoff=0.02
    )
    try:
        client = stripe.StripeClient(sim.secret_key, base_addresses={"api": sim.url})
        client.v1.payment_intents.create(
            params={
                "amount": 2000,
                "currency": "eur",
                "payment_method": "pm_card_visa",
                "confirm": True,
            }
        )
        created = sim.admin("GET", "/_sim/webhooks")["deliveries"]
        events = receiver.wait_for(lambda evs: len(evs) == len(created))
        # Every event arrives once, the first two after a failed attempt.
        assert sorted(e["id"] for e in events) == sorted(d["event_id"] for d in created)
        assert receiver.attempts == len(created) + 2
        for _ in range(500):  # the simulator records the last outcome just after sending it
            deliveries = sim.admin("GET", "/_sim/webhooks")["deliveries"]
            if all(d["state"] == "delivered" for d in deliveries):
                break
        assert all(d["state"] == "delivered" for d in deliveries)
        assert sum(d["attempts"] for d in deliveries) == len(created) + 2
    finally:
        sim.stop()


def test_a_restart_loses_nothing(tmp_path):
    db = tmp_path / "gw.sqlite3"
    sim = start_simulator(db_path=db)
    client = stripe.StripeClient(sim.secret_key, base_addresses={"api": sim.url})
    intent = client.v1.payment_intents.create(
        params={
            "amount": 2000,
            "currency": "eur",
            "capture_method": "manual",
            "payment_method": "pm_card_visa",
            "confirm": True,
            "metadata": {"local_id": "sale-77"},
        },
        options={"idempotency_key": "sale-77:create"},
    )
    reader = client.v1.terminal.readers.create(params={"registration_code": "simulated-wpe"})
    sim.set_reader(reader.id, online=False)
    sim.stop()

    sim = start_simulator(db_path=db)
    try:
        client = stripe.StripeClient(sim.secret_key, base_addresses={"api": sim.url})
        assert client.v1.payment_intents.retrieve(intent.id).status == "requires_capture"
        replay = client.v1.payment_intents.create(
            params={
                "amount": 2000,
                "currency": "eur",
                "capture_method": "manual",
                "payment_method": "pm_card_visa",
                "confirm": True,
                "metadata": {"local_id": "sale-77"},
            },
            options={"idempotency_key": "sale-77:create"},
        )
        assert replay.id == intent.id
        assert replay.last_response.headers["Idempotent-Replayed"] == "true"
        assert client.v1.terminal.readers.retrieve(reader.id).status == "offline"
        found = client.v1.payment_intents.search(params={"query": "metadata['local_id']:'sale-77'"})
        assert [i.id for i in found.data] == [intent.id]
    finally:
        sim.stop()


def test_console_script_runs_the_simulator_as_a_subprocess(tmp_path):
    process = spawn_simulator(tmp_path / "gw.sqlite3", ["--auto-approve-delay", "0"])
    try:
        health = process.admin("GET", "/_sim/health")
        assert health["status"] == "ok"
        assert health["auto_approve_delay"] == 0
        client = stripe.StripeClient(process.secret_key, base_addresses={"api": process.url})
        assert client.v1.terminal.readers.retrieve(process.reader_id).status == "online"
    finally:
        process.stop()


def test_console_script_refuses_live_keys(tmp_path):
    from gateway_sim.__main__ import main

    with pytest.raises(SystemExit) as caught:
        main(["--db", str(tmp_path / "x.sqlite3"), "--secret-key", "sk_live_nope", "--port", "0"])
    assert caught.value.code == 2
