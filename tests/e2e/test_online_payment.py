"""Online card payment end to end: the live Django server, the gateway simulator over HTTP
delivering signed webhooks to it, and the customer's card confirmed with the official
stripe library (as a browser would with Stripe.js).

While webhooks are in flight the test talks to the simulator only (it waits for the
deliveries to settle), so the live server's database is never used from two threads at
once, which SQLite's shared in-memory test database would not take.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests
import stripe
from support import factories

from enturf_core.gateway.webhooks import signature_header
from gateway_sim.testing import SimulatorHandle, start_simulator

pytestmark = pytest.mark.django_db(transaction=True)
WEBHOOK_PATH = "/api/v1/webhooks/gateway/"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class WebhookGate:
    """Passes the simulator's deliveries on to the live server only while open; while
    closed it answers 503 and the simulator keeps them pending (and retries them).

    SQLite's in-memory test database is one connection shared by the live server's
    threads, so a webhook must not arrive while another request is being served (e.g.
    `pay/`, which makes the gateway emit `payment_intent.created` mid-request). On
    PostgreSQL the gate changes nothing but timing."""

    def __init__(self, target: str) -> None:
        self.open = threading.Event()
        gate = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = 503
                if gate.open.is_set():
                    forwarded = requests.post(
                        target,
                        data=body,
                        headers={
                            "Content-Type": self.headers.get("Content-Type", ""),
                            "Stripe-Signature": self.headers.get("Stripe-Signature", ""),
                        },
                        timeout=30,
                    )
                    status = forwarded.status_code
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def sim(tmp_path, settings, live_server, transactional_db) -> Iterator[SimulatorHandle]:
    gate = WebhookGate(live_server.url + WEBHOOK_PATH)
    handle = start_simulator(
        db_path=tmp_path / "gateway.sqlite3", webhook_url=gate.url, webhook_backoff=0.05
    )
    handle.gate = gate
    settings.ENTURF_GATEWAY_URL = handle.url
    settings.ENTURF_GATEWAY_SECRET_KEY = handle.secret_key
    settings.ENTURF_GATEWAY_WEBHOOK_SECRET = handle.webhook_secret
    try:
        yield handle
    finally:
        handle.stop()
        gate.stop()


class Api:
    """A customer (or staff member) talking to the live server over HTTP."""

    def __init__(self, base_url: str, user) -> None:
        from enturf_server.accounts.models import ApiToken

        _token, key = ApiToken.issue(user, timedelta(hours=1))
        self.base_url = base_url
        self.headers = {"Authorization": f"Token {key}"}

    # one connection per request, closed by the client at once: no server thread keeps a
    # database connection into the next test
    def post(self, path: str, body: Any = None) -> requests.Response:
        return requests.post(self.base_url + path, json=body, headers=self.headers, timeout=30)

    def get(self, path: str) -> requests.Response:
        return requests.get(self.base_url + path, headers=self.headers, timeout=30)


@pytest.fixture
def shop(transactional_db):
    return factories.sales_setup()


@pytest.fixture
def customer(live_server, transactional_db) -> Api:
    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import create_user

    user = create_user(username="online", password="a-long-password-1", role=Role.CUSTOMER)
    return Api(live_server.url, user)


def _card_holder(sim: SimulatorHandle) -> stripe.StripeClient:
    # the browser's part (Stripe.js); here with the secret key, as the simulator has no
    # publishable keys
    return stripe.StripeClient(sim.secret_key, base_addresses={"api": sim.url})


def _settle_webhooks(sim: SimulatorHandle, timeout: float = 30) -> list[dict[str, Any]]:
    """Let the webhooks through and wait until the simulator delivered every one; the
    test talks to the simulator only meanwhile."""
    deadline = time.monotonic() + timeout
    sim.gate.open.set()
    try:
        while True:
            sim.admin("POST", "/_sim/webhooks/retry")  # due now, whatever their backoff
            deliveries = sim.admin("GET", "/_sim/webhooks")["deliveries"]
            if deliveries and all(d["state"] != "pending" for d in deliveries):
                return deliveries
            assert time.monotonic() < deadline, deliveries
            time.sleep(0.1)
    finally:
        sim.gate.open.clear()


def _event_types(sim: SimulatorHandle, deliveries) -> dict[str, str]:
    gateway = _card_holder(sim)
    return {d["event_id"]: gateway.v1.events.retrieve(d["event_id"]).type for d in deliveries}


def _book(api: Api, shop, seats) -> dict[str, Any]:
    lines = [{"seat": s, "ticket": shop.tickets["standard"].pk} for s in seats]
    r = api.post("/api/v1/bookings/", {"event": shop.event.pk, "lines": lines})
    assert r.status_code == 201, r.text
    return r.json()


def test_online_card_payment_is_marked_paid_by_the_signed_webhook(sim, customer, shop):
    from enturf_server.billing.models import Payment, WebhookEvent
    from enturf_server.invoicing.models import Invoice
    from enturf_server.sales.models import Booking, SeatInventory

    booking = _book(customer, shop, shop.seats[:2])
    r = customer.post(f"/api/v1/bookings/{booking['id']}/pay/")
    assert r.status_code == 200, r.text
    started = r.json()
    assert (started["amount"], started["currency"]) == ("50.00", "EUR")
    assert started["client_secret"].startswith(started["payment_intent"] + "_secret_")
    assert started["expires_at"] >= booking["expires_at"]  # kept while paying

    intent = _card_holder(sim).v1.payment_intents.confirm(
        started["payment_intent"], params={"payment_method": "pm_card_visa"}
    )
    assert intent.status == "succeeded"
    assert intent.metadata["booking"] == booking["id"]
    deliveries = _settle_webhooks(sim)
    assert {d["state"] for d in deliveries} == {"delivered"}
    types = _event_types(sim, deliveries)
    assert "payment_intent.succeeded" in types.values()

    stored = Booking.objects.get(pk=booking["id"])
    assert stored.state == "paid" and stored.paid_at is not None
    payment = Payment.objects.get(payment_intent=started["payment_intent"])
    assert (payment.state, payment.channel, payment.card_brand, payment.card_last4) == (
        "succeeded",
        "online",
        "visa",
        "4242",
    )
    assert set(WebhookEvent.objects.values_list("id", flat=True)) == set(types)
    assert Invoice.objects.filter(booking_id=booking["id"], kind="invoice").count() == 1
    assert all(line.ticket_code.startswith("v1.") for line in stored.lines.all())
    statuses = SeatInventory.objects.filter(event=shop.event, seat_id__in=shop.seats[:2])
    assert {row.status for row in statuses} == {"sold"}

    # the explicit refresh agrees and changes nothing
    r = customer.post(f"/api/v1/bookings/{booking['id']}/pay/refresh/")
    assert r.status_code == 200 and r.json()["state"] == "paid", r.text
    assert r.json()["balance"] == "0.00"
    r = customer.post(f"/api/v1/bookings/{booking['id']}/pay/")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "already_paid")


def test_decline_leaves_the_booking_payable_then_a_good_card_pays(sim, customer, shop):
    from enturf_server.billing.models import Payment
    from enturf_server.sales.models import Booking

    booking = _book(customer, shop, shop.seats[:1])
    started = customer.post(f"/api/v1/bookings/{booking['id']}/pay/").json()
    holder = _card_holder(sim)
    with pytest.raises(stripe.CardError):
        holder.v1.payment_intents.confirm(
            started["payment_intent"], params={"payment_method": "pm_card_chargeDeclined"}
        )
    deliveries = _settle_webhooks(sim)
    assert "payment_intent.payment_failed" in _event_types(sim, deliveries).values()
    assert Booking.objects.get(pk=booking["id"]).state == "pending"
    payment = Payment.objects.get(pk=started["payment"])
    assert (payment.state, payment.failure_code) == ("failed", "generic_decline")

    again = customer.post(f"/api/v1/bookings/{booking['id']}/pay/").json()
    assert again["payment_intent"] == started["payment_intent"]  # the same intent, retried
    holder.v1.payment_intents.confirm(
        again["payment_intent"], params={"payment_method": "pm_card_mastercard"}
    )
    _settle_webhooks(sim)
    assert Booking.objects.get(pk=booking["id"]).state == "paid"
    assert Payment.objects.get(pk=started["payment"]).card_brand == "mastercard"


def test_forged_stale_and_replayed_webhooks_are_refused(sim, customer, shop, live_server):
    from enturf_server.billing.models import Payment, WebhookEvent
    from enturf_server.sales.models import Booking

    booking = _book(customer, shop, shop.seats[:1])
    started = customer.post(f"/api/v1/bookings/{booking['id']}/pay/").json()
    _settle_webhooks(sim)  # payment_intent.created, nothing paid
    # a forged "succeeded" event for our intent, signed with the wrong secret
    forged = json.dumps(
        {
            "id": "evt_forged",
            "object": "event",
            "type": "payment_intent.succeeded",
            "data": {"object": {"id": started["payment_intent"], "object": "payment_intent"}},
        }
    ).encode()
    url = live_server.url + WEBHOOK_PATH
    for header in (
        signature_header(forged, "whsec_not_ours"),
        None,
        "t=1,v1=deadbeef",
        signature_header(forged, sim.webhook_secret, int(time.time()) - 400),  # stale
    ):
        headers = {"Content-Type": "application/json"}
        if header:
            headers["Stripe-Signature"] = header
        r = requests.post(url, data=forged, headers=headers, timeout=10)
        assert r.status_code == 400, r.text
        assert r.json()["error"]["code"] == "bad_signature"
    assert not WebhookEvent.objects.filter(pk="evt_forged").exists()

    # a real event, correctly signed again: already processed, refused without effect
    delivered = sim.admin("GET", "/_sim/webhooks")["deliveries"][0]["event_id"]
    event = _card_holder(sim).v1.events.retrieve(delivered).to_dict(recursive=True)
    payload = json.dumps(event).encode()
    r = requests.post(
        url,
        data=payload,
        headers={
            "Content-Type": "application/json",
            "Stripe-Signature": signature_header(payload, sim.webhook_secret),
        },
        timeout=10,
    )
    assert (r.status_code, r.json()["error"]["code"]) == (400, "webhook_replayed")
    assert Booking.objects.get(pk=booking["id"]).state == "pending"
    assert Payment.objects.get(pk=started["payment"]).state == "pending"


def test_only_the_owner_pays_online(sim, customer, shop, live_server):
    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import create_user

    booking = _book(customer, shop, shop.seats[:1])
    other = Api(
        live_server.url,
        create_user(username="someone", password="a-long-password-1", role=Role.CUSTOMER),
    )
    assert other.post(f"/api/v1/bookings/{booking['id']}/pay/").status_code == 404
    staff = Api(
        live_server.url,
        create_user(username="till", password="a-long-password-1", role=Role.EMPLOYEE),
    )
    r = staff.post(f"/api/v1/bookings/{booking['id']}/pay/")
    assert (r.status_code, r.json()["error"]["code"]) == (403, "not_your_booking")
    r = customer.post(f"/api/v1/bookings/{booking['id']}/pay/refresh/")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "no_payment")


def test_cash_at_the_box_office_during_the_checkout_then_the_card_is_refunded(
    sim, customer, shop, live_server
):
    """The customer's checkout is open when the box office takes cash for the booking;
    the card then goes through: the signed webhook refunds it at once (a Refund without
    lines, audited) and the customer is charged nothing net."""
    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import create_user
    from enturf_server.audit.models import AuditEntry
    from enturf_server.billing.models import Payment, Refund
    from enturf_server.invoicing.models import Invoice
    from enturf_server.sales.models import Booking

    booking = _book(customer, shop, shop.seats[:1])
    started = customer.post(f"/api/v1/bookings/{booking['id']}/pay/").json()
    till = Api(
        live_server.url,
        create_user(username="till", password="a-long-password-1", role=Role.EMPLOYEE),
    )
    cash = {"id": "5d0c4c1e-0a57-4c1b-9a0e-7d5b9c1f2e3a", "method": "cash", "amount": "25.00"}
    r = till.post(f"/api/v1/bookings/{booking['id']}/payments/", {**cash, "currency": "EUR"})
    assert r.status_code == 201 and r.json()["state"] == "paid", r.text

    intent = _card_holder(sim).v1.payment_intents.confirm(
        started["payment_intent"], params={"payment_method": "pm_card_visa"}
    )
    assert intent.status == "succeeded"
    deliveries = _settle_webhooks(sim)
    assert "payment_intent.succeeded" in _event_types(sim, deliveries).values()

    payment = Payment.objects.get(payment_intent=started["payment_intent"])
    assert (payment.state, payment.refunded_amount) == ("refunded", payment.amount)
    refund = Refund.objects.get(booking_id=booking["id"])
    assert (refund.state, refund.amount, refund.lines.count()) == ("succeeded", payment.amount, 0)
    charge = (
        _card_holder(sim)
        .v1.payment_intents.retrieve(
            started["payment_intent"], params={"expand": ["latest_charge"]}
        )
        .latest_charge
    )
    assert charge.amount_refunded == charge.amount_captured == 2500
    assert AuditEntry.objects.filter(action="payment.extra", object_id=str(payment.pk)).exists()
    assert AuditEntry.objects.filter(action="refund", object_id=str(refund.pk)).exists()
    assert Booking.objects.get(pk=booking["id"]).state == "paid"
    assert list(
        Invoice.objects.filter(booking_id=booking["id"]).values_list("kind", flat=True)
    ) == ["invoice"]
