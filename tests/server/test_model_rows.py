"""The hand-written SQL of the booking path gives the ORM's own instances (both databases)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from factories import make_ticket, sales_setup

pytestmark = pytest.mark.django_db


def _values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _assert_same(ours, orm, *, types: bool = True) -> None:
    assert type(ours) is type(orm)
    mine, theirs = _values(ours), _values(orm)
    assert mine == theirs
    if types:  # read back: the very types the ORM gives (aware datetimes, Decimal, bool)
        assert {k: type(v) for k, v in mine.items()} == {k: type(v) for k, v in theirs.items()}
    assert not ours._state.adding and ours._state.db == orm._state.db


def test_token_lookup_reads_token_and_user_as_the_orm_does(make_user):
    from enturf_server.accounts.authentication import token_with_user
    from enturf_server.accounts.models import ApiToken, token_digest

    user = make_user("tess", "employee")
    _token, key = ApiToken.issue(user, timedelta(hours=1))
    ours = token_with_user(token_digest(key))
    orm = ApiToken.objects.select_related("user").get(digest=token_digest(key))
    _assert_same(ours, orm)
    _assert_same(ours.user, orm.user)
    assert ours.user.is_active is True and ours.expires_at.tzinfo is not None
    assert token_with_user(token_digest("not-a-key")) is None


def test_sale_context_reads_event_active_tickets_and_settings():
    from enturf_server.accounts.models import SiteSettings
    from enturf_server.catalog.models import Event, Ticket
    from enturf_server.sales.selectors import sale_context

    shop = sales_setup()
    retired = make_ticket(shop.event, name="Old", price="5.00", category="standard")
    Ticket.objects.filter(pk=retired.pk).update(active=False)
    SiteSettings.objects.filter(pk=SiteSettings.SINGLETON_PK).delete()

    context = sale_context(event_id=shop.event.pk)  # no settings row yet: made on the spot
    assert SiteSettings.objects.count() == 1
    _assert_same(context.settings, SiteSettings.load())
    SiteSettings.objects.update(booking_ttl_seconds=77, booking_fee_amount=Decimal("1.50"))

    context = sale_context(event_id=shop.event.pk)
    _assert_same(context.event, Event.objects.get(pk=shop.event.pk))
    active = {t.pk: t for t in Ticket.objects.filter(event=shop.event, active=True)}
    assert set(context.tickets) == set(active) and retired.pk not in context.tickets
    for pk, ticket in context.tickets.items():
        _assert_same(ticket, active[pk])
    assert context.settings.booking_ttl_seconds == 77
    assert context.settings.booking_fee_amount == Decimal("1.50")
    assert sale_context(event_id=shop.event.pk + 1000) is None


def test_insert_rows_stores_what_the_orm_reads_back(make_user):
    from django.db import connection

    from enturf_server.api.model_rows import insert_rows
    from enturf_server.sales.models import Booking, BookingLine

    shop = sales_setup()
    user = make_user("ivan")
    ticket = shop.tickets["standard"]
    booking = Booking(
        id=uuid.uuid4(),
        code="ABCDEFG",
        event=shop.event,
        owner=user,
        created_by=user,
        total=Decimal("50.00"),
        expires_at=timezone.now() + timedelta(minutes=30),
    )
    insert_rows([booking], connection)
    lines = [
        BookingLine(
            booking=booking,
            ticket=ticket,
            seat_id=seat,
            price=Decimal("25.00"),
            tax_rate=Decimal("19.00"),
            tax_amount=Decimal("3.99"),
            secret=f"secret-{seat}",
        )
        for seat in shop.seats[:2]
    ]
    insert_rows(lines, connection)
    assert booking.created_at is not None  # auto_now_add filled in, as save() would
    # written: equal values (the unsaved instances keep their enum defaults, as after save())
    _assert_same(booking, Booking.objects.get(pk=booking.pk), types=False)
    stored = {line.pk: line for line in BookingLine.objects.filter(booking=booking)}
    for line in lines:
        _assert_same(line, stored[line.pk], types=False)
    with pytest.raises(ValueError):
        insert_rows([BookingLine(id=None, booking=booking, ticket=ticket)], connection)


def test_insert_rows_leaves_an_auto_key_to_the_database():
    from django.db import connection

    from enturf_server.api.model_rows import insert_rows
    from enturf_server.sync.models import ChangeLogEntry

    entries = [
        ChangeLogEntry(
            entity="seat_status",
            entity_id="7",
            version=3,
            op="upsert",
            data={"seats": {"1": "sold"}},
        ),
        ChangeLogEntry(entity="booking", entity_id="x", version=1, op="delete"),
    ]
    insert_rows(entries, connection)
    stored = list(ChangeLogEntry.objects.order_by("seq"))
    assert [(e.entity, e.entity_id, e.version, e.op, e.data) for e in stored] == [
        ("seat_status", "7", 3, "upsert", {"seats": {"1": "sold"}}),
        ("booking", "x", 1, "delete", {}),
    ]
    assert stored[0].seq < stored[1].seq and all(e.created_at for e in stored)


def test_insert_rows_skips_taken_keys_and_keeps_times_it_is_told_to(make_user):
    from django.db import connection

    from enturf_server.api.model_rows import insert_rows
    from enturf_server.sync.models import ProcessedOp

    user = make_user("olga", "employee")
    taken = ProcessedOp.objects.create(id=uuid.uuid4(), user=user, type="x", result={"n": 1})
    then = timezone.now() - timedelta(days=3)
    fresh = ProcessedOp(id=uuid.uuid4(), user=user, type="y", result={"n": 2}, created_at=then)
    clash = ProcessedOp(id=taken.pk, user=user, type="z", result={"n": 3})

    assert insert_rows([fresh, clash], connection, keep=("created_at",), ignore_conflicts=True) == 1
    assert ProcessedOp.objects.get(pk=taken.pk).result == {"n": 1}  # the first one stays
    _assert_same(fresh, ProcessedOp.objects.get(pk=fresh.pk), types=False)
    assert ProcessedOp.objects.get(pk=fresh.pk).created_at == then
    stamped = ProcessedOp(id=uuid.uuid4(), user=user, type="y", created_at=then)
    insert_rows([stamped], connection)  # not kept: stamped now, as bulk_create does
    assert ProcessedOp.objects.get(pk=stamped.pk).created_at > then


def test_update_row_writes_what_save_with_update_fields_writes():
    from django.db import DatabaseError, connection

    from enturf_server.api.model_rows import update_row
    from enturf_server.catalog.models import Ticket

    shop = sales_setup()
    ticket = Ticket.objects.get(pk=shop.tickets["standard"].pk)
    before = ticket.updated_at
    ticket.price, ticket.name, ticket.version = Decimal("31.50"), "Renamed", ticket.version + 1
    ticket.tax_rate = Decimal("7.00")  # not among the fields written
    update_row(ticket, ["price", "name", "version", "updated_at"], connection)

    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.price, stored.name, stored.version) == (Decimal("31.50"), "Renamed", 2)
    assert stored.tax_rate != Decimal("7.00")
    assert stored.updated_at == ticket.updated_at > before  # auto_now, as save() stamps it
    Ticket.objects.filter(pk=ticket.pk).delete()
    with pytest.raises(DatabaseError):
        update_row(ticket, ["name"], connection)


def test_push_reads_the_edited_row_with_its_relations_as_the_orm_does():
    from enturf_server.catalog.models import Event, Ticket
    from enturf_server.catalog.push_handlers import _locked_event, _locked_ticket

    shop = sales_setup()
    ticket = shop.tickets["standard"]
    ours = _locked_ticket(ticket.pk)
    orm = Ticket.objects.select_related("event").get(pk=ticket.pk)
    _assert_same(ours, orm)
    _assert_same(ours.event, orm.event)
    event = _locked_event(shop.event.pk)
    orm_event = Event.objects.select_related("seat_map__venue").get(pk=shop.event.pk)
    _assert_same(event, orm_event)
    _assert_same(event.seat_map, orm_event.seat_map)
    _assert_same(event.seat_map.venue, orm_event.seat_map.venue)
    assert _locked_ticket(ticket.pk + 1000) is None and _locked_event(shop.event.pk + 1000) is None


def test_availability_reads_statuses_and_tickets_as_the_orm_does(make_user):
    from enturf_server.catalog.models import Ticket
    from enturf_server.sales import services
    from enturf_server.sales.models import SeatInventory
    from enturf_server.sales.selectors import _active_tickets, _seat_statuses, seat_status

    shop = sales_setup()
    user = make_user("rosa")
    services.create_hold(actor=user, event=shop.event, seat_ids=shop.seats[:2], areas=[])
    now = timezone.now()
    orm = [
        (seat_id, seat_status(status, held_until, allocated_to, b_state, b_expires, now))
        for seat_id, status, held_until, allocated_to, b_state, b_expires in SeatInventory.objects.filter(
            event=shop.event
        )
        .values_list(
            "seat_id",
            "status",
            "held_until",
            "allocated_to_id",
            "booking__state",
            "booking__expires_at",
        )
        .order_by("seat_id")
    ]
    assert _seat_statuses(shop.event, None, now) == orm
    assert {status for _seat, status in orm} >= {"held", "available"}
    version = SeatInventory.objects.filter(seat_id=shop.seats[0]).values_list("version", flat=True)
    changed = _seat_statuses(shop.event, version.first() - 1, now)
    assert {seat for seat, _status in changed} == set(shop.seats[:2])
    tickets = list(Ticket.objects.filter(event=shop.event, active=True).order_by("position", "id"))
    ours = _active_tickets(shop.event.pk)
    assert [t.pk for t in ours] == [t.pk for t in tickets]
    for mine, theirs in zip(ours, tickets, strict=True):
        _assert_same(mine, theirs)
