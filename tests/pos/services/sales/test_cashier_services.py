"""The counter's cart and sale services on a real local database, without a server; the
cart table model checked with Qt's model tester."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtTest import QAbstractItemModelTester
from support.open_drawer import open_drawer

from enturf_core.money import Money
from enturf_core.pricing.terms import Voucher
from enturf_core.ticket_codes import SigningKey, verify
from enturf_core.wire.feed import Ticket
from enturf_pos.models import Allocation, Device, LocalSale, OutboxOp, SeatStatus
from enturf_pos.services.sales import sale_service
from enturf_pos.services.sales.buyer import Buyer, parse_buyer
from enturf_pos.services.sales.cart_service import (
    Cart,
    CartError,
    SeatPick,
    quick_cash,
)
from enturf_pos.services.sales.counter_selectors import own_allocation
from enturf_pos.services.session.secret_store import Secret
from enturf_pos.services.shifts import shift_service
from enturf_pos.services.shifts.shift_records import CloseRequest
from enturf_pos.ui.cashier.cart_panel import CartTableModel

EUR = "EUR"
ADULT = Ticket(1, "Adult", Decimal("45.00"), EUR, Decimal("7"), category="stalls")
CHILD = Ticket(2, "Child", Decimal("30.00"), EUR, Decimal("7"), category="stalls")
STANDING = Ticket(3, "Standing", Decimal("20.00"), EUR, Decimal("19"), area=9)


HOLD = "5f0c6a4e-8a39-4d5e-9a57-2f6b3c1d0e7a"  # the online hold the sale completes


def cart() -> Cart:
    return Cart(event_id=5, tickets=[ADULT, CHILD, STANDING], area_names={9: "Floor"})


def picks(*ids: int) -> list[SeatPick]:
    return [SeatPick(i, f"Stalls · Row A · Seat {i}", "stalls") for i in ids]


def test_seats_get_the_first_ticket_keep_their_choice_and_cycle():
    c = cart()
    assert c.set_seats(picks(11, 12)) == []
    c.cycle_ticket("s12")
    c.set_seats(picks(11, 12, 13))  # the map's new selection: 12 keeps Child
    assert [(r.key, r.ticket_name) for r in c.rows()] == [
        ("s11", "Adult"),
        ("s12", "Child"),
        ("s13", "Adult"),
    ]
    assert c.set_seats([SeatPick(20, "Box 1", "boxes")]) == [20]  # nothing sells boxes
    with pytest.raises(CartError):
        c.set_ticket("s11", STANDING.id)


def test_ga_quantities_voucher_and_totals_follow_core_pricing():
    c = cart()
    c.set_seats(picks(11))
    c.set_area_quantity(9, 3, 4)
    assert c.area_quantities() == {9: 4}
    totals = c.totals()
    assert totals.tickets == 5 and totals.total == Money("125.00", EUR)
    c.set_voucher(Voucher.percentage("TEN", 10))
    rows = c.rows()
    assert rows[1].quantity == 4 and rows[1].amount == Money("72.00", EUR)
    totals = c.totals()
    assert totals.discount == Money("12.50", EUR) and totals.total == Money("112.50", EUR)
    assert totals.total == sum((r.amount for r in rows), Money.zero(EUR))


def test_quick_cash_and_tendered_parsing():
    assert quick_cash(Money("41.00", EUR)) == [
        Money("45", EUR),
        Money("50", EUR),
        Money("60", EUR),
    ]
    assert [m.amount for m in quick_cash(Money("50.00", EUR))] == [60, 100, 200]
    assert sale_service.parse_tendered("50,5", EUR) == Money("50.50", EUR)
    assert sale_service.parse_tendered("abc", EUR) is None
    assert sale_service.parse_tendered("1.234", EUR) is None
    assert sale_service.change_due(Money("41.00", EUR), Money("40", EUR)) is None


@pytest.fixture
def counter(ctx):
    key = SigningKey.generate()
    ctx.secrets.set(Secret.SIGNING_KEY, key.to_base64())
    with ctx.db.transaction() as s:
        s.add(Device(server_url="http://127.0.0.1:9", device_id="7", name="Counter"))
        s.add(
            Allocation(
                id="1", event_id=5, device_id=7, seats={"ids": [11, 12]}, areas={"9": 3}, sold={}
            )
        )
        s.add(Allocation(id="2", event_id=5, device_id=8, seats={"ids": [13]}, areas={}, sold={}))
    open_drawer(ctx)
    return ctx, key


def test_a_sale_is_stored_with_its_op_signed_codes_and_local_status(counter):
    ctx, key = counter
    c = cart()
    c.set_seats(picks(11, 12))
    c.set_area_quantity(9, 3, 2)
    result = sale_service.record_cash_sale(
        ctx=ctx, cart=c, tendered=Money("150", EUR), seller="cashier", hold_id=HOLD, offline=False
    )
    assert result.ok and result.change == Money("20.00", EUR) and result.tickets == 4
    with ctx.db.transaction() as s:
        sale = s.get(LocalSale, result.sale_id)
        op = s.get(OutboxOp, sale.op_id)
        status = s.get(SeatStatus, 5)
        assert op.type == "counter_sale" and op.payload == sale.payload
        assert status.seats == {"11": "sold", "12": "sold"}
    payload = sale.payload
    assert payload["hold"] == HOLD and payload["booking"]["code"] == sale.code
    assert payload["payments"] == [
        {
            "id": payload["payments"][0]["id"],
            "method": "cash",
            "amount": "130.00",
            "currency": "EUR",
            "tendered": "150.00",
            "change": "20.00",
        }
    ]
    keyring = {key.key_id: key.public_info()}
    for line in payload["lines"]:
        claims = verify(line["ticket_code"], keyring)
        assert str(claims.line_id) == line["id"]
        assert (claims.seat_id, claims.area_id) in ((line.get("seat"), None), (None, 9))
    assert sum(Decimal(line["price"]) for line in payload["lines"]) == Decimal("130.00")


def test_offline_only_the_own_allocation_sells(counter):
    ctx, _key = counter
    c = cart()
    c.set_seats(picks(11, 13))  # 13 is another counter's
    refused = sale_service.record_cash_sale(
        ctx=ctx, cart=c, tendered=Money("90", EUR), seller="cashier", hold_id=None, offline=True
    )
    assert not refused.ok and refused.error is sale_service.SaleError.OUTSIDE_ALLOCATION
    assert "not allocated" in refused.message
    c.set_seats(picks(11))
    c.set_area_quantity(9, 3, 3)
    done = sale_service.record_cash_sale(
        ctx=ctx, cart=c, tendered=Money("105", EUR), seller="cashier", hold_id=None, offline=True
    )
    assert done.ok and done.offline
    with ctx.db.transaction() as s:
        assert own_allocation(s, 5).areas_left == {9: 0}  # the unsent sale used the quota
        sale = s.get(LocalSale, done.sale_id)
        assert "hold" not in sale.payload
        s.get(OutboxOp, sale.op_id).state = "applied"  # pushed; the server's `sold` lags
    with ctx.db.transaction() as s:
        assert own_allocation(s, 5).areas_left == {9: 0}
    c.clear()
    c.set_area_quantity(9, 3, 1)
    again = sale_service.record_cash_sale(
        ctx=ctx, cart=c, tendered=Money("20", EUR), seller="cashier", hold_id=None, offline=True
    )
    assert not again.ok and "0 more places" in again.message


def test_nothing_is_stored_when_the_cash_does_not_cover_the_total(counter):
    ctx, _key = counter
    c = cart()
    c.set_seats(picks(11))
    result = sale_service.record_cash_sale(
        ctx=ctx, cart=c, tendered=Money("40", EUR), seller="cashier", hold_id=None, offline=False
    )
    assert not result.ok and result.error is sale_service.SaleError.NOT_COVERED
    assert "does not cover" in result.message
    with ctx.db.transaction() as s:
        assert s.query(LocalSale).count() == 0
        assert s.query(OutboxOp).filter_by(type="counter_sale").count() == 0


def test_a_sale_belongs_to_the_open_shift_and_none_is_made_without_one(counter):
    ctx, _key = counter
    shift = shift_service.current_shift(ctx=ctx)
    c = cart()
    c.set_seats(picks(11))
    sold = sale_service.record_cash_sale(
        ctx=ctx, cart=c, tendered=Money("45", EUR), seller="cashier", hold_id=None, offline=False
    )
    assert sold.ok, sold.message
    with ctx.db.transaction() as s:
        assert s.get(LocalSale, sold.sale_id).payload["booking"]["shift"] == str(shift.id)

    report = shift_service.shift_report(ctx=ctx)
    counted = {m: report.expected[m] for m in ("cash", "card")}
    assert shift_service.close_shift(ctx=ctx, request=CloseRequest(counted)).ok
    assert sale_service.shift_refusal(ctx) == shift_service.NO_OPEN_SHIFT
    c = cart()
    c.set_seats(picks(12))
    refused = sale_service.record_cash_sale(
        ctx=ctx,
        cart=c,
        tendered=Money("45", EUR),
        seller="cashier",
        hold_id=None,
        offline=True,
        buyer=Buyer(name="Ada"),
    )
    assert not refused.ok and refused.needs_shift and "No shift is open" in refused.message
    with ctx.db.transaction() as s:
        assert s.query(LocalSale).count() == 1  # only the first one
        assert s.query(OutboxOp).filter_by(type="counter_sale").count() == 1


def test_the_buyer_field_takes_a_name_and_an_email_in_any_order():
    assert parse_buyer("") == Buyer()
    assert parse_buyer("  Ada Lovelace ") == Buyer("Ada Lovelace", "")
    assert parse_buyer("Ada Lovelace <Ada@Example.org>") == Buyer("Ada Lovelace", "ada@example.org")
    assert parse_buyer("ada@example.org Ada") == Buyer("Ada", "ada@example.org")
    assert parse_buyer("Ada Lovelace, ada@example.org").as_json() == {
        "buyer_name": "Ada Lovelace",
        "buyer_email": "ada@example.org",
    }
    for bad in ("Ada ada@", "ada@example", "ada@@example.org", "a b@c.d e@f.gh", "ada@-x.org"):
        assert isinstance(parse_buyer(bad), str), bad
    assert "not an e-mail address" in parse_buyer("Ada ada@example")
    assert "too long" in parse_buyer("x" * 201)
    assert isinstance(parse_buyer("x" * 250 + "@example.org"), str)


def test_cart_table_model_passes_the_model_tester(qtbot):
    c = cart()
    c.set_seats(picks(11, 12))
    c.set_area_quantity(9, 3, 2)
    model = CartTableModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.choices = c.choices_for
    changed = []
    model.on_ticket = lambda key, ticket: changed.append((key, ticket))
    model.set_rows(c.rows())
    assert model.rowCount() == 3
    ticket = model.index(0, CartTableModel.TICKET)
    assert model.flags(ticket) & model.flags(ticket).ItemIsEditable
    assert not model.flags(model.index(2, CartTableModel.TICKET)) & ticket.flags().ItemIsEditable
    assert model.setData(ticket, CHILD.id)
    assert changed == [("s11", CHILD.id)]
    assert model.index(2, CartTableModel.AMOUNT).data() == "€40.00"
