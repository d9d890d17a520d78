"""Two pushes carrying the same op at once (PostgreSQL): the op applies once, the second
push answers `duplicate` with the first result, and its other ops apply exactly once.

A push stores its ops' results in one insert at the end of its transaction; these tests
check that the op the other push stored meanwhile is caught there, whether the other push
has committed by then or is still open (the insert waits for it).
"""

from __future__ import annotations

import uuid

import pytest
from support import billing_fixtures
from support.databases import requires_postgres
from support.pg_race import first_held_open

pytestmark = [pytest.mark.django_db(transaction=True), requires_postgres]


def _race(first_ops, second_ops, *, manager):
    """Push `first_ops` and keep its transaction open; push `second_ops` meanwhile; let
    the first commit once the second waits for it. The two pushes' results."""
    from enturf_server.sync.push import push_ops

    with first_held_open(
        lambda: push_ops(user=manager, device=None, ops=first_ops),
        lambda: push_ops(user=manager, device=None, ops=second_ops),
    ) as race:
        pass
    return race.first, race.second


@pytest.fixture
def manager(django_user_model):
    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import set_role

    user = django_user_model.objects.create(username="manager")
    set_role(user, Role.ADMIN)
    return user


def _rename(event, name: str):
    from enturf_server.sync.push_registry import PushOp

    return PushOp(
        uuid.uuid4(),
        "event_update",
        {"id": event.pk, "fields": {"name": name}},
        base_version=event.version,
        base={"name": event.name},
    )


def test_an_op_in_flight_elsewhere_applies_once_and_the_rest_of_the_push_too(manager):
    from support.catalog_data import make_event, make_seat_map, make_venue

    from enturf_server.audit.models import AuditEntry
    from enturf_server.catalog.models import Event
    from enturf_server.sync.models import ChangeLogEntry, ProcessedOp

    def seat_map():  # one each: an event edit locks its seat map and venue rows too
        return make_seat_map(make_venue(), sections=1, rows=1, seats=1)

    gala, matinee = make_event(seat_map(), name="Gala"), make_event(seat_map(), name="Matinee")
    shared, other = _rename(gala, "Gala night"), _rename(matinee, "Matinee at two")
    seq = ChangeLogEntry.objects.order_by("-seq").values_list("seq", flat=True).first()

    # the second push's `shared` op waits for the first push's lock on the event row
    (first,), (mine, again) = _race([shared], [other, shared], manager=manager)

    assert first["status"] == "applied"
    assert again == {**first, "status": "duplicate", "first_status": "applied"}
    assert mine["status"] == "applied" and mine["version"] == 2
    assert Event.objects.get(pk=gala.pk).version == 2
    assert Event.objects.get(pk=matinee.pk).name == "Matinee at two"
    assert Event.objects.get(pk=matinee.pk).version == 2
    assert ProcessedOp.objects.filter(pk__in=[shared.id, other.id]).count() == 2
    for event in (gala, matinee):  # one change and one audit entry each, not two
        logged = ChangeLogEntry.objects.filter(seq__gt=seq, entity_id=str(event.pk))
        assert logged.filter(entity="event").count() == 1
        assert (
            AuditEntry.objects.filter(action="event.update", object_id=str(event.pk)).count() == 1
        )


def test_an_op_stored_by_an_open_push_is_caught_when_the_results_are_stored(manager, monkeypatch):
    from enturf_server.sync import push_registry
    from enturf_server.sync.models import ProcessedOp
    from enturf_server.sync.push_registry import APPLIED, OpResult, PushOp

    calls: list[str] = []

    def note(op, ctx):  # locks nothing: the second push reaches the insert of results
        calls.append(op.payload["n"])
        return OpResult(APPLIED, extra={"n": op.payload["n"]})

    monkeypatch.setitem(push_registry._handlers, "test_note", note)
    shared = PushOp(uuid.uuid4(), "test_note", {"n": "shared"})
    other = PushOp(uuid.uuid4(), "test_note", {"n": "other"})

    (first,), (mine, again) = _race([shared], [other, shared], manager=manager)

    assert first == {"id": str(shared.id), "status": "applied", "n": "shared"}
    assert again == {**first, "status": "duplicate", "first_status": "applied"}
    assert mine == {"id": str(other.id), "status": "applied", "n": "other"}
    # the second push ran its ops, found `shared` taken, rolled back and ran `other` again
    assert calls == ["shared", "other", "shared", "other"]
    stored = ProcessedOp.objects.in_bulk([shared.id, other.id])
    assert stored[shared.id].result == first and stored[other.id].result == mine


gateway = billing_fixtures.gateway


@pytest.fixture
def cashier(django_user_model):
    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import set_role

    user = django_user_model.objects.create(username="cashier")
    set_role(user, Role.EMPLOYEE)
    return user


def test_one_card_sale_pushed_twice_at_once_stands_with_its_payment(cashier, gateway):
    """A counter retries a card sale while its first push is still in flight (two op ids,
    one sale): the second push waits for the first's seat locks, then finds the sale
    recorded and answers `duplicate`; the authorisation the sale was paid with is never
    canceled (each round on fresh seats)."""
    from support.billing_fixtures import card_on_reader, secret_client
    from support.counters import register_counter, sale_line, sale_payload
    from support.factories import sales_setup

    from enturf_server.billing.models import Payment
    from enturf_server.sales.models import Booking
    from enturf_server.sync.push import push_ops
    from enturf_server.sync.push_registry import PushOp

    shop = sales_setup()
    device, _token, _key = register_counter()
    gateway_client = secret_client(gateway)
    for round_no in range(4):
        booking_id = uuid.uuid4()
        seats = shop.seats[2 * round_no : 2 * round_no + 2]
        terminal, handle, result = card_on_reader(gateway, str(booking_id), "50.00")
        assert result.state == "authorised"
        card = {
            "id": str(uuid.uuid4()),
            "method": "card",
            "amount": "50.00",
            "payment_intent": handle.payment_id,
        }
        sale = sale_payload(
            shop,
            [sale_line(shop, "standard", seat=s) for s in seats],
            booking_id=booking_id,
            payments=[card],
        )
        pushed, retried = (PushOp(uuid.uuid4(), "counter_sale", sale) for _ in range(2))

        with first_held_open(
            lambda op=pushed: push_ops(user=cashier, device=device, ops=[op]),
            lambda op=retried: push_ops(user=cashier, device=device, ops=[op]),
        ) as race:
            pass
        (first,), (second,) = race.first, race.second

        assert first["status"] == "applied", first
        assert second["status"] == "duplicate", second
        assert second["booking"]["id"] == first["booking"]["id"] == str(booking_id)
        assert gateway_client.retrieve_payment_intent(handle.payment_id)["status"] == (
            "requires_capture"
        )
        terminal.capture(handle)  # the POS captures once the server accepted the sale
        assert gateway_client.retrieve_payment_intent(handle.payment_id)["status"] == "succeeded"
        assert Booking.objects.get(pk=booking_id).state == "paid"
        assert Payment.objects.filter(booking_id=booking_id).count() == 1
