"""A manager's new events and tickets pushed from a counter (`event_create`,
`ticket_create`, `ticket_remove`): applied through the catalog services, answered with the
server's ids, the same rows when sent again, refused with the reason."""

from __future__ import annotations

import uuid

import pytest
from support.catalog_data import make_booking, make_event, make_seat_map, make_ticket
from support.counters import pos_client, push_ops
from support.junk_payloads import junk_variants, server_errors
from support.sync_api import read_all, register_device

from enturf_server.audit.models import AuditEntry
from enturf_server.catalog.models import Event, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter_token():
    _device, token = register_device()
    return token


@pytest.fixture
def manager(make_user, counter_token):
    return pos_client(make_user("manager", "admin"), counter_token)


@pytest.fixture
def employee(make_user, counter_token):
    return pos_client(make_user("clerk", "employee"), counter_token)


@pytest.fixture
def seat_map():
    return make_seat_map(sections=2, rows=1, seats=3)


def new_ticket(name="Adult", price="25.00", **kw):
    return {
        "id": str(kw.pop("id", uuid.uuid4())),
        "name": name,
        "price": price,
        "tax_rate": "7",
        **({"category": "standard"} if "area" not in kw else {}),
        **kw,
    }


def event_op(seat_map, *tickets, op_id=None, **fields):
    return (
        "event_create",
        {
            "id": str(op_id or uuid.uuid4()),
            "seat_map": seat_map.pk,
            "name": "Premiere",
            "starts_at": "2031-03-01T19:30:00+01:00",
            "tickets": list(tickets),
            **fields,
        },
    )


def one(client, op):
    (result,) = push_ops(client, op)
    return result


def test_event_create_makes_the_event_with_its_tickets(manager, seat_map):
    _snapshot, cursor = read_all(manager)
    adult, floor = new_ticket(), new_ticket("Floor", "15.00", area=seat_map.areas.get().pk)
    op = event_op(seat_map, adult, floor, sales_start="2031-01-01T10:00:00Z", state="on_sale")
    result = one(manager, op)
    assert result["status"] == "applied", result
    event = Event.objects.get(pk=result["event"])
    assert (event.name, event.state, str(event.origin)) == ("Premiere", "on_sale", op[1]["id"])
    tickets = {str(t.origin): t for t in event.tickets.all()}
    assert result["tickets"] == {
        adult["id"]: tickets[adult["id"]].pk,
        floor["id"]: tickets[floor["id"]].pk,
    }
    assert tickets[floor["id"]].area_id == seat_map.areas.get().pk
    assert event.seat_inventory.count() == 6  # the inventory of every seat, as the API makes
    changes, _ = read_all(manager, after=cursor)
    assert [c["entity"] for c in changes] == ["seatmap", "event", "ticket", "ticket"]
    assert set(AuditEntry.objects.filter(actor=manager.user).values_list("action", flat=True)) == {
        "event.create",
        "ticket.create",
    }


def test_the_same_event_sent_again_under_another_op_id_is_the_same_rows(manager, seat_map):
    adult = new_ticket()
    first = one(manager, event_op(seat_map, adult, op_id=(event_id := uuid.uuid4())))
    again = one(manager, event_op(seat_map, adult, op_id=event_id))  # a new op id, same event
    assert again == {**first, "id": again["id"]}
    assert Event.objects.count() == 1 and Ticket.objects.count() == 1


def test_events_and_tickets_are_created_as_the_api_lets_them(
    make_user, counter_token, employee, seat_map
):
    """A box-office manager (right edit_events) creates them; a cashier (without) may not."""
    refused = one(employee, event_op(seat_map, new_ticket()))
    assert (refused["status"], refused["code"]) == ("rejected", "permission_denied")
    boxoffice = pos_client(make_user("boxoffice", "manager"), counter_token)
    result = one(boxoffice, event_op(seat_map, new_ticket()))
    assert result["status"] == "applied"
    made = one(
        boxoffice, ("ticket_create", {"event": result["event"], "ticket": new_ticket("Kid")})
    )
    assert made["status"] == "applied"


@pytest.mark.parametrize(
    ("ticket", "code", "words"),
    [
        (new_ticket(category="gold"), "invalid_category", "no seats of category 'gold'"),
        (new_ticket(price="-1.00"), "invalid", "price"),
        (new_ticket(price="1.234"), "invalid", "price"),
        (new_ticket(tax_rate="150"), "invalid", "tax_rate"),
        (new_ticket(currency="USD"), "invalid_currency", "EUR"),
        (new_ticket(name="x" * 101), "invalid", "name"),
        (new_ticket(max_per_booking=0), "invalid", "max_per_booking"),
    ],
)
def test_bad_ticket_values_reject_the_whole_event(manager, seat_map, ticket, code, words):
    result = one(manager, event_op(seat_map, new_ticket("Fine"), ticket))
    assert (result["status"], result["code"]) == ("rejected", code), result
    assert words in result["reason"]
    assert Event.objects.count() == 0 and Ticket.objects.count() == 0


def test_an_area_of_another_seat_map_is_refused(manager, seat_map):
    other = make_seat_map(make_seat_map().venue, name="Other")
    result = one(manager, event_op(seat_map, new_ticket(area=other.areas.get().pk)))
    assert (result["status"], result["code"]) == ("rejected", "invalid_area")


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"seat_map": 999_999}, "invalid_reference"),
        ({"seat_map": 2**40}, "invalid"),
        ({"state": "cancelled"}, "invalid"),
        ({"ends_at": "2031-03-01T10:00:00Z"}, "invalid"),  # before it starts
        ({"starts_at": "next friday"}, "invalid"),
        ({"name": ""}, "invalid"),
        ({"tickets": "many"}, "invalid"),
        ({"tickets": [{"id": "x"}]}, "invalid"),
    ],
)
def test_bad_event_values_are_rejected_with_the_reason(manager, seat_map, fields, code):
    op_type, payload = event_op(seat_map)
    result = one(manager, (op_type, {**payload, **fields}))
    assert (result["status"], result["code"]) == ("rejected", code), result
    assert result["reason"]
    assert Event.objects.count() == 0


def test_too_many_tickets_and_twice_the_same_ticket_id_are_refused(manager, seat_map):
    many = [new_ticket(f"T{i}") for i in range(501)]
    assert one(manager, event_op(seat_map, *many))["code"] == "too_many_tickets"
    same = new_ticket()
    assert one(manager, event_op(seat_map, same, same))["code"] == "duplicate_tickets"


def test_ticket_create_for_an_event_created_offline_by_its_ref(manager, seat_map):
    event_id = uuid.uuid4()
    kid = new_ticket("Kid", "9.00")
    created, made = push_ops(
        manager,
        event_op(seat_map, op_id=event_id),
        ("ticket_create", {"event_ref": str(event_id), "ticket": kid}),
    )
    assert made == {"id": made["id"], "status": "applied", "ticket": made["ticket"]}
    ticket = Ticket.objects.get(pk=made["ticket"])
    assert (ticket.event_id, ticket.name, str(ticket.origin)) == (
        created["event"],
        "Kid",
        kid["id"],
    )
    # sent again under another op id: the same ticket
    again = one(manager, ("ticket_create", {"event_ref": str(event_id), "ticket": kid}))
    assert again["ticket"] == ticket.pk and Ticket.objects.count() == 1


def test_ticket_create_for_an_unknown_event_ref_or_event(manager, seat_map):
    ref = one(manager, ("ticket_create", {"event_ref": str(uuid.uuid4()), "ticket": new_ticket()}))
    assert (ref["status"], ref["code"]) == ("rejected", "unknown_event_ref")
    gone = one(manager, ("ticket_create", {"event": 2**40, "ticket": new_ticket()}))
    assert (gone["status"], gone["code"]) == ("rejected", "not_found")
    both = one(
        manager,
        ("ticket_create", {"event": 1, "event_ref": str(uuid.uuid4()), "ticket": new_ticket()}),
    )
    assert (both["status"], both["code"]) == ("rejected", "invalid")


def test_a_ticket_id_of_another_event_is_refused(manager, seat_map):
    taken = new_ticket()
    first = one(manager, event_op(seat_map, taken))
    other = make_event(seat_map, name="Other")
    result = one(manager, ("ticket_create", {"event": other.pk, "ticket": taken}))
    assert (result["status"], result["code"]) == ("rejected", "ticket_id_taken")
    again = one(manager, event_op(seat_map, taken))
    assert (again["status"], again["code"]) == ("rejected", "ticket_id_taken")
    assert Ticket.objects.get().event_id == first["event"]


def test_ticket_remove_deletes_an_unsold_ticket_and_retires_a_sold_one(manager, seat_map):
    event = make_event(seat_map)
    unsold, sold = make_ticket(event, name="Unsold"), make_ticket(event, name="Sold")
    from enturf_server.sales.models import BookingLine

    BookingLine.objects.create(
        booking=make_booking(event), ticket=sold, price=25, tax_rate=7, secret="s1"
    )
    _snapshot, cursor = read_all(manager)
    deleted = one(manager, ("ticket_remove", {"id": unsold.pk}))
    retired = one(manager, ("ticket_remove", {"id": sold.pk}))
    assert (deleted["outcome"], retired["outcome"]) == ("deleted", "retired")
    assert not Ticket.objects.filter(pk=unsold.pk).exists()
    sold.refresh_from_db()
    assert sold.active is False
    changes, _ = read_all(manager, after=cursor)
    assert [(c["entity"], c["op"]) for c in changes] == [("ticket", "delete"), ("ticket", "upsert")]
    assert changes[1]["data"]["active"] is False
    gone = one(manager, ("ticket_remove", {"id": unsold.pk}))
    assert (gone["status"], gone["code"]) == ("rejected", "not_found")


def test_a_cashier_does_not_remove_tickets(employee, seat_map):
    ticket = make_ticket(make_event(seat_map))
    result = one(employee, ("ticket_remove", {"id": ticket.pk}))
    assert (result["status"], result["code"]) == ("rejected", "permission_denied")
    assert Ticket.objects.filter(pk=ticket.pk, active=True).exists()


@pytest.mark.parametrize("payload", [{}, {"id": "seven"}, {"id": -1}, {"id": 2**63}, {"id": None}])
def test_malformed_ticket_remove_is_rejected(manager, payload):
    result = one(manager, ("ticket_remove", payload))
    assert result["status"] == "rejected" and result["code"] in ("invalid", "not_found"), result


def test_no_malformed_payload_makes_a_server_error(manager, seat_map):
    event = make_event(seat_map)
    ticket = make_ticket(event)
    good = {
        "event_create": event_op(seat_map, new_ticket())[1],
        "ticket_create": {"event": event.pk, "ticket": new_ticket("Kid")},
        "ticket_remove": {"id": ticket.pk},
    }
    for op_type, payload in good.items():
        results = push_ops(manager, *[(op_type, p) for p in junk_variants(payload)])
        assert server_errors(results) == [], op_type


def test_ops_built_with_the_wire_classes_apply(manager, seat_map):
    """What the counter sends: `enturf_core.wire.ops` payloads, as `to_wire()` writes them."""
    from datetime import UTC, datetime
    from decimal import Decimal

    from enturf_core.wire import ops

    new = ops.EventCreate(
        id=uuid.uuid4(),
        seat_map=seat_map.pk,
        name="Gala",
        starts_at=datetime(2031, 1, 1, 19, tzinfo=UTC),
        tickets=(
            ops.NewTicket(id=uuid.uuid4(), name="A", price=Decimal("1.50"), category="standard"),
            ops.NewTicket(
                id=uuid.uuid4(), name="F", price=Decimal("2"), area=seat_map.areas.get().pk
            ),
        ),
    )
    kid = ops.TicketCreate(
        ticket=ops.NewTicket(id=uuid.uuid4(), name="Kid", price=Decimal("1"), category="premium"),
        event_ref=new.id,
    )
    created, made = push_ops(manager, (new.OP_TYPE, new.to_wire()), (kid.OP_TYPE, kid.to_wire()))
    assert (created["status"], made["status"]) == ("applied", "applied"), (created, made)
    assert len(created["tickets"]) == 2
    (removed,) = push_ops(manager, ("ticket_remove", ops.TicketRemove(id=made["ticket"]).to_wire()))
    assert removed["outcome"] == "deleted"
