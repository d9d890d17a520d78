"""The one booking step (`sales.booking_step.book`) run with terms of the test's own: what
it does for the online booking and the counter sale alike, whatever their terms."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from enturf_server.accounts.models import SiteSettings
from enturf_server.api.errors import Conflict
from enturf_server.sales.booking_codes import new_booking_code
from enturf_server.sales.booking_step import Order, Place, book, new_booking, new_line
from enturf_server.sales.models import Booking, BookingLine, Hold
from enturf_server.sales.selectors import availability
from enturf_server.sales.services import create_hold
from enturf_server.sync import changes

ZERO = Decimal("0.00")


@dataclass
class FreeTerms:
    """Every line at 0.00; a refusal is noted and raised."""

    refused: list = field(default_factory=list)

    def recheck(self, lock) -> None:
        pass

    def refuse(self, seats, areas) -> None:
        self.refused.append((seats, areas))
        raise Conflict("Not free.", code="taken")

    def price(self, order, places):
        booking = new_booking(
            order, SiteSettings.load(), code=new_booking_code(), currency="EUR", total=ZERO
        )
        return booking, [
            new_line(booking, place, price=ZERO, tax_rate=ZERO, tax_amount=ZERO) for place in places
        ]

    def insert(self, order, booking, lines) -> None:
        booking.save(force_insert=True)
        BookingLine.objects.bulk_create(lines)


def _book(shop, user, places, *, hold=None, terms=None):
    from django.utils import timezone

    with changes.atomic():
        if hold is not None:
            hold = Hold.objects.select_for_update().get(pk=hold.pk)
        order = Order(
            booking_id=uuid.uuid4(),
            event=shop.event,
            now=timezone.now(),
            places=places,
            created_by=user,
            hold=hold,
        )
        return book(order, terms or FreeTerms())


def _state(shop):
    body = availability(event=shop.event)
    return {s["id"]: s["status"] for s in body["seats"]}, body["areas"][0]["remaining"]


def test_part_of_a_hold_is_booked_and_the_rest_goes_back_on_sale(shop, make_user):
    user = make_user("ada")
    seats = shop.seats_by_category["standard"][:3]
    floor = shop.areas["Floor"]
    hold = create_hold(actor=user, event=shop.event, seat_ids=seats, areas=[(floor, 4)])
    standard, ga = shop.tickets["standard"], shop.tickets["floor"]

    booking, lines = _book(
        shop, user, [Place(standard, seat=seats[0]), *[Place(ga, area=floor)] * 2], hold=hold
    )

    statuses, remaining = _state(shop)
    assert [statuses[s] for s in seats] == ["sold", "available", "available"]
    assert remaining == 50 - 2  # the hold's four places no longer held, two sold
    assert Hold.objects.get(pk=hold.pk).released_at is not None
    assert [(line.seat_id, line.area_id) for line in lines] == [
        (seats[0], None),
        (None, floor),
        (None, floor),
    ]
    assert Booking.objects.get(pk=booking.pk).lines.count() == 3


def test_places_not_free_are_refused_by_the_terms_and_nothing_is_written(shop, make_user):
    user = make_user("ada")
    seats = shop.seats_by_category["standard"][:2]
    standard, ga = shop.tickets["standard"], shop.tickets["floor"]
    _book(shop, user, [Place(standard, seat=seats[0])])
    terms = FreeTerms()

    with pytest.raises(Conflict):
        _book(
            shop,
            user,
            [Place(standard, seat=s) for s in seats] + [Place(ga, area=shop.areas["Floor"])] * 51,
            terms=terms,
        )

    assert terms.refused == [
        ([seats[0]], [{"area": shop.areas["Floor"], "requested": 51, "remaining": 50}])
    ]
    assert Booking.objects.count() == 1
    statuses, remaining = _state(shop)
    assert statuses[seats[1]] == "available" and remaining == 50
