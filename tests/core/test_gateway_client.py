"""The gateway client (``enturf_core.gateway``) against the running simulator over HTTP."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from enturf_core.gateway import (
    GatewayConfig,
    GatewayError,
    GatewayErrorCode,
    PaymentState,
    StripeRestClient,
    StripeTerminal,
    WebhookSignatureError,
    construct_event,
    verify_signature,
)
from enturf_core.gateway.webhooks import signature_header
from gateway_sim.testing import SimulatorHandle, start_simulator

C = GatewayErrorCode


class RecordingSession(requests.Session):
    """A real ``requests`` session that also remembers what it sent."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, str, dict[str, str]]] = []

    def request(self, method, url, *args, headers=None, **kwargs):  # type: ignore[override]
        self.sent.append((method, url, dict(headers or {})))
        return super().request(method, url, *args, headers=headers, **kwargs)


@pytest.fixture
def sim(tmp_path) -> Iterator[SimulatorHandle]:
    handle = start_simulator(db_path=tmp_path / "gateway.sqlite3")
    yield handle
    handle.stop()


def _client(sim: SimulatorHandle, key: str | None = None, sleep=time.sleep, **options: Any):
    session = RecordingSession()
    config = GatewayConfig(
        api_key=key or sim.secret_key,
        base_url=sim.url,
        reader_id=sim.reader_id,
        backoff_base=0.001,
        backoff_max=0.01,
        poll_interval=0.01,
        **options,
    )
    return StripeRestClient(config, session=session, sleep=sleep), session


@pytest.fixture
def client(sim) -> StripeRestClient:
    return _client(sim)[0]


@pytest.fixture
def counter(sim) -> StripeTerminal:
    """The POS's view: restricted key, the counter's reader."""
    rest, _ = _client(sim, sim.restricted_key)
    return StripeTerminal(rest, sim.reader_id)


@pytest.fixture
def back_office(sim) -> StripeTerminal:
    """The server's view: secret key (refunds)."""
    rest, _ = _client(sim)
    return StripeTerminal(rest, sim.reader_id)


def _tap(client: StripeRestClient, sim: SimulatorHandle, number: str = "4242424242424242"):
    client.present_payment_method(sim.reader_id, card_number=number)


def _charges(client: StripeRestClient) -> list[dict[str, Any]]:
    return client.request("GET", "/v1/charges", {"limit": 100})["data"]


# -- the terminal interface ---------------------------------------------------


def test_counter_sale_start_await_capture_refund(sim, client, counter, back_office):
    handle = counter.start_on_reader("sale-1", 2450, "EUR", {"booking": "b-1"})
    assert handle.local_id == "sale-1" and handle.currency == "eur"
    assert counter.await_result(handle, timeout=0).state is PaymentState.PENDING
    _tap(client, sim)
    result = counter.await_result(handle, timeout=5)
    assert result.state is PaymentState.AUTHORISED
    assert result.card is not None
    assert (result.card.brand, result.card.last4) == ("visa", "4242")
    assert result.card.exp_month == 12 and result.card.exp_year >= 2025
    assert result.authorization_code and len(result.authorization_code) == 6
    intent = client.retrieve_payment_intent(handle.payment_id)
    assert intent["metadata"] == {"booking": "b-1", "local_id": "sale-1"}
    assert intent["capture_method"] == "manual"

    captured = counter.capture(handle)
    assert captured.state is PaymentState.CAPTURED
    assert captured.amount_captured_minor == 2450
    assert counter.capture(handle).state is PaymentState.CAPTURED  # safe to repeat

    partial = back_office.refund(handle, "refund-1", 450)
    assert (partial.amount_minor, partial.status) == (450, "succeeded")
    rest = back_office.refund(handle, "refund-2")
    assert rest.amount_minor == 2000
    assert back_office.status(handle).amount_refunded_minor == 2450
    with pytest.raises(GatewayError) as caught:
        back_office.refund(handle, "refund-3")
    assert caught.value.code is C.ALREADY_REFUNDED


def test_partial_capture_and_refund_limits(sim, client, counter, back_office):
    handle = counter.start_on_reader("sale-2", 3000, "eur")
    _tap(client, sim)
    counter.await_result(handle, timeout=5)
    assert counter.capture(handle, 2000).amount_captured_minor == 2000
    with pytest.raises(GatewayError) as caught:
        back_office.refund(handle, "refund-x", 2500)
    assert caught.value.code is C.AMOUNT_TOO_LARGE
    assert caught.value.http_status == 400


@pytest.mark.parametrize(
    ("number", "code", "words"),
    [
        ("4000000000000002", C.DECLINED, "declined"),
        ("4000000000009995", C.INSUFFICIENT_FUNDS, "insufficient funds"),
        ("4000000000000069", C.EXPIRED_CARD, "expired"),
    ],
)
def test_reader_declines_map_to_codes_and_messages(sim, client, counter, number, code, words):
    handle = counter.start_on_reader(f"sale-{number}", 1500, "eur")
    _tap(client, sim, number)
    with pytest.raises(GatewayError) as caught:
        counter.await_result(handle, timeout=5)
    assert caught.value.code is code
    assert words in caught.value.message
    assert caught.value.is_card_problem
    assert counter.status(handle).failure_code is not None
    # Another card on the same payment.
    again = counter.retry_on_reader(handle)
    assert again.attempt == 2
    _tap(client, sim)
    assert counter.await_result(again, timeout=5).state is PaymentState.AUTHORISED


@pytest.mark.parametrize(
    ("payment_method", "code"),
    [
        ("pm_card_chargeDeclined", C.DECLINED),
        ("pm_card_chargeDeclinedInsufficientFunds", C.INSUFFICIENT_FUNDS),
        ("pm_card_chargeDeclinedExpiredCard", C.EXPIRED_CARD),
    ],
)
def test_online_declines_map_to_codes(client, payment_method, code):
    with pytest.raises(GatewayError) as caught:
        client.create_payment_intent(
            f"web-{payment_method}",
            1000,
            "eur",
            capture_method="automatic",
            payment_method_types=("card",),
            payment_method=payment_method,
            confirm=True,
        )
    assert caught.value.code is code
    assert caught.value.http_status == 402
    assert caught.value.message == GatewayError(code).message


def test_cancel_while_on_the_reader(sim, client, counter):
    handle = counter.start_on_reader("sale-3", 1800, "eur")
    result = counter.cancel(handle)
    assert result.state is PaymentState.CANCELED
    assert client.retrieve_reader(sim.reader_id)["action"] is None
    assert counter.await_result(handle, timeout=0).state is PaymentState.CANCELED
    assert counter.cancel(handle).state is PaymentState.CANCELED  # safe to repeat


def test_cancel_after_authorisation_releases_it_and_captured_cannot_be_canceled(
    sim, client, counter
):
    handle = counter.start_on_reader("sale-4", 1800, "eur")
    _tap(client, sim)
    counter.await_result(handle, timeout=5)
    assert counter.cancel(handle).state is PaymentState.CANCELED

    other = counter.start_on_reader("sale-5", 1900, "eur")
    _tap(client, sim)
    counter.await_result(other, timeout=5)
    counter.capture(other)
    with pytest.raises(GatewayError) as caught:
        counter.cancel(other)
    assert caught.value.code is C.UNEXPECTED_STATE
    assert "refund" in caught.value.message


def test_cancel_on_the_reader_itself_is_reported(sim, client, counter):
    handle = counter.start_on_reader("sale-6", 1800, "eur")
    client.cancel_reader_action(sim.reader_id, "someone-else")
    with pytest.raises(GatewayError) as caught:
        counter.await_result(handle, timeout=5)
    assert caught.value.code is C.READER_CANCELED


def test_reader_busy_and_offline(sim, counter):
    counter.start_on_reader("sale-7", 1000, "eur")
    with pytest.raises(GatewayError) as caught:
        counter.start_on_reader("sale-8", 1000, "eur")
    assert caught.value.code is C.READER_BUSY
    assert "busy" in caught.value.message
    sim.set_reader(online=False)
    with pytest.raises(GatewayError) as caught:
        counter.start_on_reader("sale-9", 1000, "eur")
    assert caught.value.code is C.READER_OFFLINE
    assert "offline" in caught.value.message


def test_start_again_after_a_crash_returns_the_same_payment(sim, client, counter):
    first = counter.start_on_reader("sale-10", 1000, "eur")
    again = counter.start_on_reader("sale-10", 1000, "eur")
    assert again.payment_id == first.payment_id
    with pytest.raises(GatewayError) as caught:
        counter.start_on_reader("sale-10", 2000, "eur")
    assert caught.value.code is C.IDEMPOTENCY_CONFLICT


def test_recover_by_local_id_after_a_restart(sim, client, counter):
    handle = counter.start_on_reader("sale-'11'", 1000, "eur")
    _tap(client, sim)
    counter.await_result(handle, timeout=5)
    rest, _ = _client(sim, sim.restricted_key)
    restarted = StripeTerminal(rest, sim.reader_id)
    found = restarted.recover("sale-'11'")
    assert found is not None
    assert found.payment_id == handle.payment_id
    assert found.state is PaymentState.AUTHORISED
    assert found.card is not None and found.card.last4 == "4242"
    assert restarted.capture(found).state is PaymentState.CAPTURED
    assert restarted.recover("sale-never") is None


# -- the REST client ----------------------------------------------------------


def test_every_post_carries_a_local_idempotency_key(sim):
    rest, session = _client(sim)
    terminal = StripeTerminal(rest, sim.reader_id)
    handle = terminal.start_on_reader("sale-20", 1000, "eur")
    rest.present_payment_method(sim.reader_id)
    terminal.await_result(handle, timeout=5)
    terminal.capture(handle)
    terminal.refund(handle, "refund-20", 100)
    rest.register_reader("counter-3", "simulated-wpe", label="Counter 3")
    posts = [(url, h) for method, url, h in session.sent if method == "POST"]
    keys = [h["Idempotency-Key"] for _, h in posts]
    assert keys[:3] == ["sale-20:create", "sale-20:process", keys[2]]
    assert keys[2].endswith(":present") and "4242" not in keys[2]
    assert keys[3:] == ["sale-20:capture", "refund-20:refund", "counter-3:register"]
    assert all(h["Stripe-Version"] == "2023-08-16" for _, h in posts)
    gets = [h for method, _, h in session.sent if method == "GET"]
    assert all("Idempotency-Key" not in h for h in gets)


def test_drop_after_charging_then_retry_with_the_same_key_charges_once(sim, client):
    sim.add_fault("drop", 1, path="/v1/payment_intents", method="POST")
    intent = client.create_payment_intent(
        "web-1",
        2000,
        "eur",
        capture_method="automatic",
        payment_method_types=("card",),
        payment_method="pm_card_visa",
        confirm=True,
    )
    assert intent["status"] == "succeeded"
    assert len(_charges(client)) == 1
    assert len(client.list_payment_intents()) == 1


def test_drop_after_capture_then_retry_captures_once(sim, client, counter):
    handle = counter.start_on_reader("sale-21", 2000, "eur")
    _tap(client, sim)
    counter.await_result(handle, timeout=5)
    sim.add_fault("drop", 1, path=f"/v1/payment_intents/{handle.payment_id}/capture")
    assert counter.capture(handle).state is PaymentState.CAPTURED
    charges = _charges(client)
    assert len(charges) == 1 and charges[0]["amount_captured"] == 2000


def test_500_three_times_then_success_charges_once(sim):
    rest, session = _client(sim, max_retries=3)
    sim.add_fault("error", 3)
    intent = rest.create_payment_intent(
        "web-2",
        2000,
        "eur",
        capture_method="automatic",
        payment_method_types=("card",),
        payment_method="pm_card_visa",
        confirm=True,
    )
    assert intent["status"] == "succeeded"
    posts = [h["Idempotency-Key"] for m, _, h in session.sent if m == "POST"]
    assert posts == ["web-2:create"] * 4
    assert len(_charges(rest)) == 1


def test_500_beyond_the_retries_is_a_gateway_error(sim):
    rest, session = _client(sim, max_retries=2)
    sim.add_fault("error", 3)
    with pytest.raises(GatewayError) as caught:
        rest.retrieve_reader(sim.reader_id)
    assert caught.value.code is C.GATEWAY_ERROR
    assert caught.value.http_status == 500
    assert len(session.sent) == 3


def test_409_is_retried_with_the_same_key(sim):
    rest, _session = _client(sim)
    sim.add_fault("hold", 1, path="/v1/payment_intents")
    results: dict[str, Any] = {}
    first = threading.Thread(
        target=lambda: results.setdefault(
            "first", rest.create_payment_intent("sale-22", 900, "eur")
        )
    )
    first.start()
    for _ in range(2000):
        if sim.admin("GET", "/_sim/faults")["held"] == 1:
            break
    # Instead of sleeping before its retry, the second client lets the first one finish.
    second_rest, second_session = _client(
        sim, max_retries=50, sleep=lambda _s: sim.admin("POST", "/_sim/faults/release")
    )
    second = second_rest.create_payment_intent("sale-22", 900, "eur")
    first.join(timeout=10)
    assert second["id"] == results["first"]["id"]
    assert len(second_session.sent) >= 2  # at least one 409, then the replay
    assert len(rest.list_payment_intents()) == 1


def test_4xx_is_never_retried(sim):
    rest, session = _client(sim, key="sk_test_not_configured")
    with pytest.raises(GatewayError) as caught:
        rest.retrieve_reader(sim.reader_id)
    assert caught.value.code is C.BAD_KEY
    assert "key" in caught.value.message
    assert len(session.sent) == 1
    good, session = _client(sim)
    intent = good.create_payment_intent("sale-23", 900, "eur")
    with pytest.raises(GatewayError) as caught:
        good.capture_payment_intent(intent["id"], "sale-23")
    assert caught.value.code is C.UNEXPECTED_STATE
    assert len(session.sent) == 2


def test_restricted_key_cannot_refund(sim, counter, client):
    handle = counter.start_on_reader("sale-24", 900, "eur")
    _tap(client, sim)
    counter.await_result(handle, timeout=5)
    counter.capture(handle)
    with pytest.raises(GatewayError) as caught:
        counter.refund(handle, "refund-24")
    assert caught.value.code is C.NOT_PERMITTED


def test_unreachable_gateway():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    slept: list[float] = []
    rest = StripeRestClient(
        GatewayConfig(
            api_key="sk_test_x",
            base_url=f"http://127.0.0.1:{port}",
            max_retries=2,
            connect_timeout=1,
        ),
        sleep=slept.append,
    )
    with pytest.raises(GatewayError) as caught:
        rest.create_payment_intent("sale-25", 900, "eur")
    assert caught.value.code is C.UNREACHABLE
    assert "cannot be reached" in caught.value.message
    assert len(slept) == 2 and slept[1] > slept[0] * 0.5  # backoff grows


def test_reader_registration_and_retrieval(sim, client):
    reader = client.register_reader("counter-9", "simulated-wpe", label="Counter 9")
    assert reader["device_type"] == "simulated_wisepos_e"
    assert client.retrieve_reader(reader["id"])["label"] == "Counter 9"
    intent = client.create_payment_intent("sale-26", 900, "eur")
    reader = client.process_payment_intent(reader["id"], intent["id"], "sale-26")
    assert reader["action"]["status"] == "in_progress"
    assert client.cancel_reader_action(reader["id"], "sale-26")["action"] is None
    confirmed = client.confirm_payment_intent(
        client.create_payment_intent("web-3", 900, "eur", payment_method_types=("card",))["id"],
        "web-3",
        payment_method="pm_card_visa",
    )
    assert confirmed["status"] == "requires_capture"
    assert client.cancel_payment_intent(confirmed["id"], "web-3")["status"] == "canceled"
    refund_intent = client.create_payment_intent(
        "web-4",
        900,
        "eur",
        capture_method="automatic",
        payment_method_types=("card",),
        payment_method="pm_card_visa",
        confirm=True,
    )
    refund = client.create_refund("refund-26", refund_intent["id"], amount_minor=100)
    assert client.retrieve_refund(refund["id"])["amount"] == 100


def test_amounts_are_positive_integers(client):
    for bad in (0, -5, 12.5, True):
        with pytest.raises(ValueError):
            client.create_payment_intent("sale-27", bad, "eur")  # type: ignore[arg-type]


# -- configuration and logging ------------------------------------------------


def test_config_from_env_and_key_never_shown(monkeypatch):
    env = {
        "ENTURF_GATEWAY_KEY": "rk_test_secret123",
        "ENTURF_GATEWAY_URL": "http://x:1/",
        "ENTURF_GATEWAY_READER": "tmr_1",
        "ENTURF_GATEWAY_RETRIES": "5",
    }
    config = GatewayConfig.from_env(env)
    assert (config.base_url, config.reader_id, config.max_retries) == ("http://x:1", "tmr_1", 5)
    assert config.key_kind == "restricted"
    assert "rk_test_secret123" not in repr(config)
    with pytest.raises(ValueError):
        GatewayConfig.from_env({})
    with pytest.raises(ValueError):
        GatewayConfig(api_key="pk_test_x")


def test_no_key_and_no_card_data_in_logs(sim, caplog):
    caplog.set_level(logging.DEBUG)
    rest, _ = _client(sim, sim.restricted_key)
    terminal = StripeTerminal(rest, sim.reader_id)
    handle = terminal.start_on_reader("sale-30", 1000, "eur")
    rest.present_payment_method(sim.reader_id, card_number="4000000000009995")
    with pytest.raises(GatewayError) as caught:
        terminal.await_result(handle, timeout=5)
    sim.add_fault("error", 1)
    handle = terminal.retry_on_reader(handle)
    rest.present_payment_method(sim.reader_id, card_number="4242424242424242")
    terminal.await_result(handle, timeout=5)
    text = caplog.text + repr(caught.value) + str(caught.value)
    assert caplog.records  # the client does log
    for secret in (sim.restricted_key, "4000000000009995", "4242424242424242"):
        assert secret not in text


# -- webhooks -----------------------------------------------------------------


def test_webhook_signature_checks():
    secret = "whsec_test"
    payload = b'{"id": "evt_1", "object": "event", "type": "payment_intent.succeeded"}'
    now = time.time()
    header = signature_header(payload, secret, int(now))
    assert construct_event(payload, header, secret, now=now)["id"] == "evt_1"
    verify_signature(payload, header, secret, now=now + 299)
    rolled = f"{header},v1={'0' * 64}"
    verify_signature(payload, rolled, secret, now=now)
    for bad_payload, bad_header, when in [
        (payload + b" ", header, now),  # tampered
        (payload, header, now + 301),  # too old: outside the 300 s tolerance
        (payload, None, now),
        (payload, "v1=abc", now),
        (payload, f"t={int(now)}", now),
        (payload, signature_header(payload, "whsec_other", int(now)), now),
    ]:
        with pytest.raises(WebhookSignatureError) as caught:
            verify_signature(bad_payload, bad_header, secret, now=when)
        assert caught.value.code is C.BAD_SIGNATURE
