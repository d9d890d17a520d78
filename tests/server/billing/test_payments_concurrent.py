"""Two online payment starts for one booking at once (PostgreSQL, the gateway simulator
over HTTP): two browser tabs, or a second click while the gateway is slow.

The first `POST /pay/` keeps its transaction open while the second one runs; both get
the one PaymentIntent of the booking and its amount, and the customer is charged once.
"""

from __future__ import annotations

import pytest
from support import billing_fixtures
from support.billing_fixtures import booked, charged_minor, secret_client
from support.databases import requires_postgres
from support.pg_race import first_held_open

from enturf_core.gateway import GatewayError

pytestmark = [pytest.mark.django_db(transaction=True), requires_postgres]
gateway = billing_fixtures.gateway


def test_two_concurrent_pay_calls_share_one_intent_and_charge_once(
    make_user, client_for, shop, gateway
):
    from enturf_server.billing.models import Payment

    customer = make_user("tabs", "customer")
    tab_1, tab_2 = client_for(customer), client_for(customer)
    booking = booked(tab_1, shop, shop.seats[:2])  # 50.00
    url = f"/api/v1/bookings/{booking['id']}/pay/"

    with first_held_open(lambda: tab_1.post(url), lambda: tab_2.post(url)) as race:
        pass
    first, second = race.first, race.second
    assert (first.status_code, second.status_code) == (200, 200), (first.content, second.content)
    first, second = first.json(), second.json()
    assert second["payment_intent"] == first["payment_intent"]
    assert second["payment"] == first["payment"]
    assert second["client_secret"] == first["client_secret"]
    assert Payment.objects.filter(booking_id=booking["id"]).count() == 1

    # the customer confirms in both tabs: the intent is charged once, the second refused
    holder = secret_client(gateway)
    outcomes = []
    for n, answer in enumerate((first, second)):
        try:
            holder.confirm_payment_intent(
                answer["payment_intent"], f"tab-{n}", payment_method="pm_card_visa"
            )
            outcomes.append("charged")
        except GatewayError:
            outcomes.append("refused")
    assert outcomes == ["charged", "refused"]

    r = tab_1.post(f"/api/v1/bookings/{booking['id']}/pay/refresh/")
    assert r.status_code == 200 and r.json()["state"] == "paid", r.content
    assert charged_minor(gateway, booking["id"]) == 5000
    r = tab_2.post(url)
    assert (r.status_code, r.json()["error"]["code"]) == (409, "already_paid")
