"""Shifts at the counter, service level (no Qt, no server): the local rows, the exact push
payloads, the expected amounts (sales and refunds included), approval above the
threshold (checked offline against the local hash), and the report PDF read back."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from enturf_core.approvals import parse_proof, verify_signature
from enturf_core.money import Money
from enturf_core.ticket_codes import SigningKey
from enturf_pos.models import (
    ApprovalKey,
    Device,
    Event,
    LocalDrawerMovement,
    LocalRefund,
    LocalSale,
    LocalShift,
    LocalUser,
    OutboxOp,
    OutboxState,
    SiteSettings,
    Ticket,
)
from enturf_pos.services.printing.shift_report_pdf import ReportPaper, render_shift_report
from enturf_pos.services.session import approvals, counter_key
from enturf_pos.services.shifts import shift_service
from enturf_pos.services.shifts.shift_records import CloseRequest
from tests.support.local_sales import sale_payload

ADMIN_PASSWORD = "Boss-pass-99"


@pytest.fixture
def counter(ctx):
    """Settings (EUR, threshold 5.00), an event with two tickets, an admin and a cashier
    who logged in here before (local hashes)."""
    now = datetime.now(UTC)
    with ctx.db.transaction() as s:
        s.add(
            SiteSettings(
                id=1,
                data={
                    "currency": "EUR",
                    "shift_difference_threshold": "5.00",
                    "seller_name": "Theatre Royal Ltd",
                },
            )
        )
        s.add(Event(id=7, seat_map_id=1, name="Gala", starts_at=now, state="on_sale"))
        s.add(Ticket(id=71, event_id=7, name="Standard", price=Decimal("25.00"), currency="EUR"))
        s.add(Ticket(id=72, event_id=7, name="Child", price=Decimal("15.00"), currency="EUR"))
        s.add(
            LocalUser(
                id=1,
                username="boss",
                role="admin",
                password_hash=counter_key.new_hash(ctx, ADMIN_PASSWORD),
                last_online_login=now,
            )
        )
        s.add(
            LocalUser(
                id=2,
                username="eve",
                role="employee",
                password_hash=counter_key.new_hash(ctx, "Eve-pass-1"),
                last_online_login=now,
            )
        )
    return ctx


def ops(ctx, type_: str) -> list[dict]:
    with ctx.db.transaction() as s:
        rows = s.scalars(
            select(OutboxOp).where(OutboxOp.type == type_).order_by(OutboxOp.created_at)
        )
        return [op.payload for op in rows]


def add_sale(ctx, *, seller="eve", at=None, lines=(), payments=()) -> uuid.UUID:
    sale_id = uuid.uuid4()
    at = at or datetime.now(UTC)
    payload = sale_payload(sale_id, event=7, seller=seller, lines=lines, payments=payments, at=at)
    total = sum((Decimal(p) for _t, p in lines), Decimal("0"))
    with ctx.db.transaction() as s:
        s.add(
            LocalSale(
                id=sale_id,
                created_at=at,
                payload=payload,
                event_id=7,
                code="ABC1234",
                total=total,
                currency="EUR",
                seller=seller,
            )
        )
    return sale_id


def add_refund(ctx, *, shift_id, parts, lines=(), user="eve", at=None, amount=None) -> None:
    with ctx.db.transaction() as s:
        s.add(
            LocalRefund(
                id=uuid.uuid4(),
                created_at=at or datetime.now(UTC),
                booking_id=uuid.uuid4(),
                booking_code="REF0001",
                amount=Decimal(amount or sum(Decimal(a) for _m, a in parts)),
                currency="EUR",
                parts=[{"method": m, "amount": a} for m, a in parts],
                lines=[
                    {"line": str(uuid.uuid4()), "event": e, "ticket": t, "amount": a}
                    for e, t, a in lines
                ],
                user=user,
                shift_id=shift_id,
            )
        )


def counted(cash: str, card: str = "0.00") -> dict[str, Money]:
    return {"cash": Money(cash, "EUR"), "card": Money(card, "EUR")}


def test_opening_a_shift_records_it_and_its_push_op_and_refuses_bad_input(counter):
    ctx = counter
    assert shift_service.current_shift(ctx=ctx) is None
    for bad, says in (("", "Enter the cash"), ("abc", "not an amount"), ("-5", "not an amount")):
        result = shift_service.open_shift(ctx=ctx, cashier="eve", opening_float=bad)
        assert not result.ok and says in result.message
    assert ops(ctx, "shift_open") == []

    result = shift_service.open_shift(ctx=ctx, cashier="eve", opening_float="100")
    assert result.ok, result.message
    shift = shift_service.current_shift(ctx=ctx)
    assert shift.id == result.shift_id and shift.cashier == "eve"
    assert shift.opening_float == Money("100.00", "EUR") and shift.sync_state == "pending"
    (payload,) = ops(ctx, "shift_open")
    opened = datetime.fromisoformat(payload["shift"]["opened_at"])
    assert opened == shift.opened_at and opened.utcoffset() is not None
    assert payload == {
        "shift": {
            "id": str(shift.id),
            "opened_at": payload["shift"]["opened_at"],
            "opening_float": "100.00",
            "currency": "EUR",
            "cashier": "eve",
        }
    }

    again = shift_service.open_shift(ctx=ctx, cashier="bob", opening_float="50")
    assert not again.ok and again.code == "already_open" and "already open" in again.message
    assert len(ops(ctx, "shift_open")) == 1


def test_cash_in_and_out_need_an_open_shift_an_amount_and_a_reason(counter):
    ctx = counter
    nothing = shift_service.record_movement(
        ctx=ctx, kind="cash_in", amount="10", reason="change", user="eve"
    )
    assert not nothing.ok and nothing.code == "no_shift"
    shift_id = shift_service.open_shift(ctx=ctx, cashier="eve", opening_float="100").shift_id

    for amount, reason, says in (
        ("0", "change", "more than 0"),
        ("", "change", "Enter the amount put in"),
        ("1.234", "change", "not an amount"),
        ("10", "   ", "Give a reason"),
        ("10", "x" * 301, "too long"),
    ):
        result = shift_service.record_movement(
            ctx=ctx, kind="cash_in", amount=amount, reason=reason, user="eve"
        )
        assert not result.ok and says in result.message, (amount, reason, result.message)
    too_much = shift_service.record_movement(
        ctx=ctx, kind="cash_out", amount="150", reason="to the safe", user="eve"
    )
    assert not too_much.ok and "€100.00" in too_much.message

    assert shift_service.record_movement(
        ctx=ctx, kind="cash_in", amount="50", reason="  change  from the safe ", user="eve"
    ).ok
    assert shift_service.record_movement(
        ctx=ctx, kind="cash_out", amount="20.50", reason="to the safe", user="eve"
    ).ok
    first, second = ops(ctx, "drawer_movement")
    with ctx.db.transaction() as s:
        rows = s.scalars(select(LocalDrawerMovement).order_by(LocalDrawerMovement.at)).all()
        ids = [str(r.id) for r in rows]
        at = [r.at for r in rows]
    assert first == {
        "movement": {
            "id": ids[0],
            "shift": str(shift_id),
            "kind": "cash_in",
            "amount": "50.00",
            "reason": "change from the safe",
            "at": first["movement"]["at"],
            "user": "eve",
        }
    }
    assert datetime.fromisoformat(first["movement"]["at"]) == at[0]
    assert (second["movement"]["kind"], second["movement"]["amount"]) == ("cash_out", "20.50")
    report = shift_service.shift_report(ctx=ctx)
    assert report.expected["cash"] == Money("129.50", "EUR")


def test_expected_amounts_count_the_counters_sales_and_this_shifts_refunds(counter):
    """Every sale at the counter in the shift's window counts (whoever sold it: it went
    into this drawer); card refunds are reported but never lower the card expected."""
    ctx = counter
    before = datetime.now(UTC) - timedelta(minutes=5)
    add_sale(
        ctx, at=before, lines=[(71, "25.00")], payments=[{"method": "cash", "amount": "25.00"}]
    )
    shift_id = shift_service.open_shift(ctx=ctx, cashier="eve", opening_float="100").shift_id
    shift_service.record_movement(ctx=ctx, kind="cash_in", amount="50", reason="safe", user="eve")
    shift_service.record_movement(ctx=ctx, kind="cash_out", amount="20", reason="safe", user="eve")
    # cash: 40.00 paid with 50.00, 10.00 change -> 40.00 in the drawer
    add_sale(
        ctx,
        lines=[(71, "25.00"), (72, "15.00")],
        payments=[{"method": "cash", "amount": "40.00", "tendered": "50.00", "change": "10.00"}],
    )
    # card and cash in one sale
    add_sale(
        ctx,
        lines=[(71, "25.00"), (71, "25.00")],
        payments=[
            {"method": "card", "amount": "30.00"},
            {"method": "cash", "amount": "20.00", "tendered": "20.00", "change": "0.00"},
        ],
    )
    add_sale(
        ctx, seller="bob", lines=[(71, "25.00")], payments=[{"method": "cash", "amount": "25.00"}]
    )
    # refunds: linked to this shift, unlinked in the window, linked to another shift
    add_refund(
        ctx,
        shift_id=shift_id,
        parts=[("cash", "15.00"), ("card", "10.00")],
        lines=[("Gala", "Standard", "25.00")],
    )
    add_refund(ctx, shift_id=None, parts=[("cash", "5.00")], lines=[(7, 72, "5.00")])
    add_refund(ctx, shift_id=uuid.uuid4(), parts=[("cash", "99.00")])
    add_refund(ctx, shift_id=None, user="bob", parts=[("cash", "7.00")])

    report = shift_service.shift_report(ctx=ctx)
    f = report.figures
    assert (f.opening_float, f.cash_in, f.cash_out) == (
        Money("100", "EUR"),
        Money("50", "EUR"),
        Money("20", "EUR"),
    )
    assert (f.cash_sales, f.card_sales) == (Money("85.00", "EUR"), Money("30.00", "EUR"))
    assert (f.cash_refunds, f.card_refunds) == (Money("27.00", "EUR"), Money("10.00", "EUR"))
    # 100 + 50 - 20 + 85 - 27 ; card: the terminal's sales only (the refund went back
    # to the card through the gateway)
    assert report.expected == {"cash": Money("188.00", "EUR"), "card": Money("30.00", "EUR")}
    assert (report.sales_count, report.refunds_count) == (3, 3)
    assert [(r.event, r.ticket, r.count, r.amount.amount_text()) for r in report.sales] == [
        ("Gala", "Child", 1, "15.00"),
        ("Gala", "Standard", 4, "100.00"),
    ]
    assert [(r.event, r.ticket, r.count, r.amount.amount_text()) for r in report.refunds][-2:] == [
        ("Gala", "Child", 1, "5.00"),
        ("Gala", "Standard", 1, "25.00"),
    ]
    assert report.difference(counted("188.00", "30.00")).is_zero()
    assert report.difference(counted("186.00", "30.00")) == Money("-2.00", "EUR")
    assert not report.needs_approval(counted("183.00", "30.00"))  # 5.00 is not above 5.00
    assert report.needs_approval(counted("182.99", "30.00"))


def test_closing_within_the_threshold_sends_the_z_report_and_frees_the_counter(counter):
    ctx = counter
    shift_id = shift_service.open_shift(ctx=ctx, cashier="eve", opening_float="100").shift_id
    add_sale(
        ctx,
        lines=[(71, "25.00")],
        payments=[{"method": "cash", "amount": "25.00", "tendered": "30.00", "change": "5.00"}],
    )
    bad = shift_service.parse_counted(cash="12,3,4", card="", currency_code="EUR")
    assert bad[0] is None and "not an amount" in bad[1]
    missing = shift_service.parse_counted(cash="120", card="", currency_code="EUR")
    assert missing[0] is None and "card total" in missing[1]
    amounts, _ = shift_service.parse_counted(cash="124", card="0", currency_code="EUR")

    result = shift_service.close_shift(ctx=ctx, request=CloseRequest(amounts))
    assert result.ok, result.message
    assert "-€1.00" in result.message
    (payload,) = ops(ctx, "shift_close")
    assert payload["shift"] == str(shift_id)
    assert payload["counted"] == {"cash": "124.00", "card": "0.00"}
    assert payload["difference"] == "-1.00" and "approved_by" not in payload
    assert payload["report"]["expected"] == {"cash": "125.00", "card": "0.00"}
    assert payload["report"]["sales"] == [
        {"event": "Gala", "ticket": "Standard", "count": 1, "amount": "25.00"}
    ]
    assert payload["report"]["refunds"] == []
    with ctx.db.transaction() as s:
        row = s.get(LocalShift, shift_id)
        assert (row.state, row.open_slot, row.difference) == ("closed", None, Decimal("-1.00"))
        assert datetime.fromisoformat(payload["closed_at"]) == row.closed_at
    assert shift_service.current_shift(ctx=ctx) is None
    again = shift_service.close_shift(ctx=ctx, request=CloseRequest(amounts))
    assert not again.ok and again.code == "no_shift"
    assert shift_service.open_shift(ctx=ctx, cashier="eve", opening_float="80").ok


def test_a_difference_above_the_threshold_needs_an_administrators_password(counter):
    ctx = counter
    shift_service.open_shift(ctx=ctx, cashier="eve", opening_float="100")
    short = counted("90.00")

    refused = shift_service.close_shift(ctx=ctx, request=CloseRequest(short))
    assert not refused.ok and refused.code == "approval_required"
    assert "-€10.00" in refused.message and "€5.00" in refused.message
    for user, password, says in (
        ("boss", "wrong", "Wrong administrator"),
        ("eve", "Eve-pass-1", "not an administrator"),
        ("nobody", "x", "has not logged in on this counter"),
        ("boss", "", "must enter"),
    ):
        result = shift_service.close_shift(
            ctx=ctx, request=CloseRequest(short, approver=user, approver_password=password)
        )
        assert not result.ok and says in result.message, (user, result.message)
    assert ops(ctx, "shift_close") == [] and shift_service.current_shift(ctx=ctx) is not None

    ok = shift_service.close_shift(
        ctx=ctx, request=CloseRequest(short, approver="boss", approver_password=ADMIN_PASSWORD)
    )
    assert ok.ok and "Approved by boss" in ok.message
    (payload,) = ops(ctx, "shift_close")
    assert payload["approved_by"] == "boss" and payload["difference"] == "-10.00"


def test_the_report_pdf_shows_the_figures(counter):
    ctx = counter
    assert render_shift_report(ctx=ctx) is None
    shift_id = shift_service.open_shift(ctx=ctx, cashier="eve", opening_float="100").shift_id
    shift_service.record_movement(
        ctx=ctx, kind="cash_out", amount="30", reason="to the safe", user="eve"
    )
    add_sale(
        ctx,
        lines=[(72, "15.00")],
        payments=[{"method": "card", "amount": "15.00"}],
    )
    x_text = "\n".join(
        p.extract_text() for p in PdfReader(BytesIO(render_shift_report(ctx=ctx))).pages
    )
    assert "X report (shift still open)" in x_text
    assert "70.00" in x_text and "15.00" in x_text and "to the safe" in x_text

    shift_service.close_shift(
        ctx=ctx,
        request=CloseRequest(
            counted("80.00", "15.00"), approver="boss", approver_password=ADMIN_PASSWORD
        ),
    )
    pdf = render_shift_report(ctx=ctx, shift_id=shift_id)
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    for expected in (
        "Z report",
        "Theatre Royal Ltd",
        "Cashier: eve",
        "Opening float: 100.00 EUR",
        "Difference: 10.00 EUR",
        "Difference approved by: boss",
        "Gala",
        "Child",
        "Cash out",
        "to the safe",
        "Float",
    ):
        assert expected in text, expected
    assert "server" not in text.lower()
    # method, expected, counted, difference
    assert re.search(r"cash\s+70\.00\s+80\.00\s+10\.00", text), text
    assert re.search(r"card\s+15\.00\s+15\.00\s+0\.00", text), text


def test_a_shift_op_the_server_refused_is_reported_with_its_reason(counter):
    ctx = counter
    shift_service.open_shift(ctx=ctx, cashier="eve", opening_float="100")
    shift_service.close_shift(ctx=ctx, request=CloseRequest(counted("99.00")))
    last = shift_service.last_shift(ctx=ctx)
    assert (last.state, last.sync_state, last.sync_problem) == ("closed", "pending", "")
    with ctx.db.transaction() as s:  # as the push records a refusal (sync_push._mark)
        op = s.get(OutboxOp, s.get(LocalShift, last.id).close_op_id)
        op.state = OutboxState.REJECTED
        op.last_error = "The difference is above the threshold: an approval is required."
    last = shift_service.last_shift(ctx=ctx)
    assert last.sync_state == "rejected"
    assert last.sync_problem == (
        "shift close: The difference is above the threshold: an approval is required."
    )


def test_the_report_on_the_80_mm_roll_shows_the_same_figures(counter):
    ctx = counter
    shift_id = shift_service.open_shift(ctx=ctx, cashier="eve", opening_float="100").shift_id
    shift_service.record_movement(ctx=ctx, kind="cash_in", amount="5", reason="coins", user="eve")
    add_sale(
        ctx,
        lines=[(71, "25.00"), (72, "15.00")],
        payments=[{"method": "cash", "amount": "40.00", "tendered": "40.00", "change": "0"}],
    )
    shift_service.close_shift(ctx=ctx, request=CloseRequest(counted("144.00", "0")))
    pdf = render_shift_report(ctx=ctx, shift_id=shift_id, paper=ReportPaper.ROLL)
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 1
    width = float(reader.pages[0].mediabox.upper_right[0])
    assert width == pytest.approx(80 * 72 / 25.4)
    text = reader.pages[0].extract_text()
    for expected in (
        "Z REPORT",
        "Theatre Royal Ltd",
        "Cash expected",
        "145.00",
        "Cash counted",
        "144.00",
        "DIFFERENCE (EUR)",
        "-1.00",
        "Gala · Standard",
        "1 x 25.00",
        "Gala · Child",
        "coins (eve)",
    ):
        assert expected in text, expected


# -- approvals signed at the counter (services/session/approvals.py; issue 11, item 4) ---------------
# The counter is offline (its server address answers nothing): the local hash checks the
# password, the admin's sealed key signs, and the server can check the signature.

DEVICE_ID = 41


def offline_counter(ctx) -> None:
    with ctx.db.transaction() as s:
        s.add(Device(id=1, server_url="http://127.0.0.1:9", device_id=str(DEVICE_ID), name="C1"))


def test_the_admins_sealed_key_signs_an_offline_close_the_server_can_check(counter):
    ctx = counter
    offline_counter(ctx)
    key = SigningKey.generate()
    with ctx.db.transaction() as s:
        s.add(approvals._seal(ctx, 1, key, ADMIN_PASSWORD))
    with ctx.db.transaction() as s:
        row = s.get(ApprovalKey, 1)
        assert key.to_base64() not in row.sealed  # never stored in clear
        s.expunge(row)
    assert approvals._unseal(ctx, row, "not-the-password") is None
    assert approvals._unseal(ctx, row, ADMIN_PASSWORD).key_id == key.key_id

    shift_id = shift_service.open_shift(ctx=ctx, cashier="eve", opening_float="100").shift_id
    result = shift_service.close_shift(
        ctx=ctx,
        request=CloseRequest(counted("90.00"), approver="boss", approver_password=ADMIN_PASSWORD),
    )
    assert result.ok, result.message
    (payload,) = ops(ctx, "shift_close")
    statement, key_id, signature = parse_proof(payload["approval"])
    verify_signature(statement, signature, key.public_key_base64())  # raises if not
    assert key_id == key.key_id
    assert (statement.kind, statement.subject, dict(statement.figures)) == (
        "shift_close",
        str(shift_id),
        {"difference": payload["difference"]},
    )
    assert (statement.approver, statement.device) == (1, DEVICE_ID)


def test_without_a_key_the_close_goes_on_unsigned_and_says_the_server_will_ask(counter):
    ctx = counter
    offline_counter(ctx)
    shift_service.open_shift(ctx=ctx, cashier="eve", opening_float="100")
    result = shift_service.close_shift(
        ctx=ctx,
        request=CloseRequest(counted("90.00"), approver="boss", approver_password=ADMIN_PASSWORD),
    )
    assert result.ok and "confirm online" in result.message, result.message
    (payload,) = ops(ctx, "shift_close")
    assert "approval" not in payload and payload["approved_by"] == "boss"
