"""Shifts and day close: shift_open / drawer_movement / shift_close pushed by a counter,
the server's check of the Z report, approval above the threshold, the admin API and PDF."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader
from support.counters import (
    allocated,
    closing,
    movement,
    opening,
    pos_client,
    register_counter,
    sale_line,
    sale_payload,
)
from support.counters import push as push_sale
from support.counters import push_ops as push
from support.rights import grant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cashiers_pay_out(db):
    """The cashiers here take cash out of the drawer: a right their role is not granted by
    default (tests/server/accounts/test_role_matrix.py shows the refusal)."""
    grant("employee", "cash_out")


def _audit_actions(shift_id) -> list[str]:
    from enturf_server.audit.models import AuditEntry
    from enturf_server.shifts.models import DrawerMovement

    ids = [str(shift_id)] + [
        str(m)
        for m in DrawerMovement.objects.filter(shift_id=shift_id).values_list("pk", flat=True)
    ]
    return sorted(AuditEntry.objects.filter(object_id__in=ids).values_list("action", flat=True))


def test_a_shift_opens_moves_cash_and_closes_checked_against_the_servers_figures(
    admin_client, shop, counter
):
    from enturf_server.shifts.models import DrawerMovement, Shift

    device, pos, key = counter
    start = timezone.now() - timedelta(hours=3)
    shift_id = uuid.uuid4()
    open_op = uuid.uuid4()
    cash_in = uuid.uuid4()
    results = push(
        pos,
        opening(shift_id, start),
        movement(
            shift_id,
            "cash_in",
            "50.00",
            "change from the safe",
            start + timedelta(minutes=5),
            cash_in,
        ),
        movement(
            shift_id, "cash_out", "20.00", "flowers for the lead", start + timedelta(minutes=9)
        ),
        op_ids=[open_op, uuid.uuid4(), uuid.uuid4()],
    )
    assert [r["status"] for r in results] == ["applied"] * 3, results
    assert results[0]["shift"]["state"] == "open"

    # two cash sales during the shift, one refunded in cash at the counter
    allocated(admin_client, shop, device, shop.seats[:2])
    sold_at = (start + timedelta(minutes=30)).isoformat()
    sales = [
        sale_payload(shop, [sale_line(shop, "standard", seat=seat, key=key)], created_at=sold_at)
        for seat in shop.seats[:2]
    ]
    assert [r["status"] for r in push_sale(pos, *sales)] == ["applied", "applied"]
    refund = pos.post("/api/v1/refunds/", {"booking": sales[1]["booking"]["id"]}, format="json")
    assert refund.status_code == 201, refund.content
    assert refund.json()["state"] == "succeeded"

    # replays: the same op id, and the same shift / movement under new op ids
    [again] = push(pos, opening(shift_id, start), op_ids=[open_op])
    assert (again["status"], again["first_status"]) == ("duplicate", "applied")
    [same_shift, same_move] = push(
        pos,
        opening(shift_id, start),
        movement(shift_id, "cash_in", "50.00", "change from the safe", start, cash_in),
    )
    assert (same_shift["status"], same_move["status"]) == ("duplicate", "duplicate")
    assert DrawerMovement.objects.filter(shift_id=shift_id).count() == 3  # float, in, out

    # expected cash: 100 float + 50 - 20 + 2 x 25.00 - 25.00 refunded = 155.00
    [closed] = push(
        pos,
        closing(
            shift_id,
            timezone.now(),
            cash="154.00",
            expected_cash="155.00",
            difference="-1.00",
            sales=[{"event": shop.event.name, "ticket": "Standard", "count": 2, "amount": "50.00"}],
            refunds=[
                {"event": shop.event.name, "ticket": "Standard", "count": 1, "amount": "25.00"}
            ],
        ),
    )
    assert closed["status"] == "applied", closed
    assert closed["shift"]["state"] == "closed"
    assert (closed["shift"]["difference"], closed["shift"]["server_difference"]) == (
        "-1.00",
        "-1.00",
    )
    assert closed["shift"]["notes"] == []

    shift = Shift.objects.get(pk=shift_id)
    assert (shift.device_id, shift.cashier.username, shift.opening_float) == (
        device.pk,
        "cashier",
        Decimal("100.00"),
    )
    server = shift.z_report["server"]
    assert server["expected"] == {"cash": "155.00", "card": "0.00"}
    ticket = shop.tickets["standard"]
    assert [(r["event_id"], r["ticket_id"], r["count"], r["amount"]) for r in server["sales"]] == [
        (shop.event.pk, ticket.pk, 2, "50.00")
    ]
    assert [(r["ticket_id"], r["count"], r["amount"]) for r in server["refunds"]] == [
        (ticket.pk, 1, "25.00")
    ]
    assert shift.z_report["counter"]["expected"]["cash"] == "155.00"

    # closed: immutable
    [late_move, reclose] = push(
        pos,
        movement(shift_id, "cash_out", "5.00", "too late", timezone.now()),
        closing(
            shift_id,
            timezone.now() + timedelta(minutes=1),
            cash="1.00",
            expected_cash="1.00",
            difference="0",
        ),
    )
    assert (late_move["status"], late_move["code"]) == ("rejected", "shift_closed")
    assert (reclose["status"], reclose["code"]) == ("rejected", "shift_closed")
    assert _audit_actions(shift_id) == sorted(
        ["shift.open", "drawer.float", "drawer.cash_in", "drawer.cash_out", "shift.close"]
    )


def test_a_difference_above_the_threshold_without_proof_waits_for_an_admin(
    admin_client, make_user, counter
):
    """A close above the threshold is kept; without a signed approval (test_approvals)
    it waits for an administrator, whatever name the counter sends."""
    from enturf_server.audit.models import AuditEntry
    from enturf_server.shifts.models import Shift

    _device, pos, _key = counter
    start = timezone.now() - timedelta(hours=1)
    end = timezone.now()
    over = dict(cash="90.00", expected_cash="100.00", difference="-10.00")  # threshold 5.00
    statuses = []
    for approved_by in (None, "cashier", "alice"):
        shift_id = uuid.uuid4()
        push(pos, opening(shift_id, start))
        [closed] = push(pos, closing(shift_id, end, approved_by=approved_by, **over))
        assert closed["status"] == "applied", closed
        statuses.append(closed["shift"]["approval_status"])
        shift = Shift.objects.get(pk=shift_id)
        assert (shift.state, shift.approved_by, shift.difference) == (
            "closed",
            None,
            Decimal("-10.00"),
        )
    assert statuses == ["awaiting_admin"] * 3
    entry = AuditEntry.objects.get(action="shift.close", object_id=str(shift_id))
    assert (entry.details["approved_by"], entry.details["approval_status"]) == (
        None,
        "awaiting_admin",
    )

    # exactly at the threshold: no approval needed (above means above)
    at_limit = uuid.uuid4()
    push(pos, opening(at_limit, start))
    [ok] = push(
        pos, closing(at_limit, end, cash="95.00", expected_cash="100.00", difference="-5.00")
    )
    assert (ok["status"], ok["shift"]["approval_status"]) == ("applied", "not_needed"), ok


def test_the_server_notes_when_its_figures_differ_from_the_counters(counter):
    """Sales made offline and not pushed yet: the close is kept, with a note."""
    _device, pos, _key = counter
    start = timezone.now() - timedelta(hours=1)
    shift_id = uuid.uuid4()
    push(pos, opening(shift_id, start))
    [closed] = push(
        pos,
        closing(shift_id, timezone.now(), cash="180.00", expected_cash="180.00", difference="0.00"),
    )
    assert closed["status"] == "applied", closed
    assert closed["shift"]["server_difference"] == "80.00"
    assert any("differ from the counter's" in n for n in closed["shift"]["notes"])
    assert any("above the threshold" in n for n in closed["shift"]["notes"])


@pytest.mark.parametrize(
    "op, code",
    [
        (("shift_open", {"shift": {"id": "x"}}), "invalid"),
        (opening(uuid.uuid4(), timezone.now(), currency="USD"), "currency_mismatch"),
        (opening(uuid.uuid4(), timezone.now(), opening_float="-1.00"), "invalid"),
        (
            movement(uuid.uuid4(), "cash_in", "5.00", "float top-up", timezone.now()),
            "unknown_shift",
        ),
        (("shift_close", {"shift": str(uuid.uuid4())}), "invalid"),
    ],
)
def test_bad_shift_ops_are_rejected_with_a_reason(make_user, counter, op, code):
    make_user("carl", "customer")
    _device, pos, _key = counter
    [result] = push(pos, op)
    assert (result["status"], result["code"]) == ("rejected", code), result
    assert result["reason"]


def test_bad_movements_and_closes_of_a_known_shift_are_rejected(counter):
    from enturf_server.shifts.models import DrawerMovement

    _device, pos, _key = counter
    shift_id, now = uuid.uuid4(), timezone.now()
    push(pos, opening(shift_id, now - timedelta(hours=1)))
    results = push(
        pos,
        movement(shift_id, "cash_out", "5.00", "  ", now),
        movement(shift_id, "cash_out", "0.00", "nothing", now),
        movement(shift_id, "float", "5.00", "second float", now),
        closing(
            shift_id,
            now - timedelta(hours=2),
            cash="100.00",
            expected_cash="100.00",
            difference="0",
        ),
        (
            "shift_close",
            {
                **closing(shift_id, now, cash="1", expected_cash="1", difference="0")[1],
                "counted": {"cheque": "1"},
            },
        ),
    )
    assert [r["code"] for r in results] == [
        "reason_required",
        "invalid_amount",
        "invalid",
        "invalid_closed_at",
        "invalid",
    ]
    assert DrawerMovement.objects.filter(shift_id=shift_id).count() == 1  # the float


def test_another_counter_cannot_touch_a_shift(make_user, counter):
    _device, pos, _key = counter
    _other, token, _ = register_counter("Counter 2")
    other = pos_client(make_user("cashier2", "employee"), token)
    shift_id, now = uuid.uuid4(), timezone.now()
    push(pos, opening(shift_id, now))
    results = push(
        other,
        opening(shift_id, now, cashier="cashier2"),
        movement(shift_id, "cash_in", "5.00", "mine now", now),
    )
    assert [r["code"] for r in results] == ["id_taken", "shift_of_other_device"]


def test_shifts_api_roles_filters_detail_and_z_report_pdf(
    admin_client, employee_client, customer_client, anon_client, make_user, counter
):
    device, pos, _key = counter
    eve_pos = pos_client(employee_client.user, register_counter("Counter 2")[1])
    start = timezone.now() - timedelta(hours=2)
    mine, eves = uuid.uuid4(), uuid.uuid4()
    push(pos, opening(mine, start), movement(mine, "cash_out", "12.50", "taxi for the band", start))
    push(
        pos,
        closing(
            mine,
            timezone.now(),
            cash="80.00",
            expected_cash="87.50",
            difference="-7.50",
            approved_by="alice",  # only a name: the close waits for an admin online
        ),
    )
    approved = admin_client.post(f"/api/v1/shifts/{mine}/approve/", {}, format="json")
    assert approved.status_code == 200, approved.content
    push(eve_pos, opening(eves, start, cashier="eve"))

    listed = admin_client.get("/api/v1/shifts/")
    assert listed.status_code == 200
    assert {s["id"] for s in listed.json()["results"]} == {str(mine), str(eves)}
    by = lambda q: {s["id"] for s in admin_client.get(f"/api/v1/shifts/?{q}").json()["results"]}  # noqa: E731
    assert by(f"device={device.pk}") == {str(mine)}
    assert by("cashier=eve") == {str(eves)}
    assert by("state=closed") == {str(mine)}
    assert by(f"date={start.date().isoformat()}") == {str(mine), str(eves)}
    assert by(f"date={(start - timedelta(days=3)).date().isoformat()}") == set()
    assert admin_client.get("/api/v1/shifts/?state=lost").status_code == 400

    # employees see their own shifts only, read-only
    assert [s["id"] for s in employee_client.get("/api/v1/shifts/").json()["results"]] == [
        str(eves)
    ]
    assert employee_client.get(f"/api/v1/shifts/{mine}/").status_code == 404
    assert employee_client.get(f"/api/v1/shifts/{eves}/").status_code == 200
    assert employee_client.post("/api/v1/shifts/", {}, format="json").status_code == 405
    assert customer_client.get("/api/v1/shifts/").status_code == 403
    assert customer_client.get(f"/api/v1/shifts/{mine}/z-report.pdf").status_code == 403
    assert anon_client.get("/api/v1/shifts/").status_code == 401

    detail = admin_client.get(f"/api/v1/shifts/{mine}/").json()
    assert (detail["state"], detail["approved_by"], detail["difference"]) == (
        "closed",
        "alice",
        "-7.50",
    )
    assert [(m["kind"], m["amount"], m["reason"]) for m in detail["movements"]] == [
        ("float", "100.00", "opening float"),
        ("cash_out", "12.50", "taxi for the band"),
    ]
    assert detail["z_report"]["server"]["expected"]["cash"] == "87.50"

    r = admin_client.get(f"/api/v1/shifts/{mine}/z-report.pdf")
    assert (r.status_code, r["Content-Type"]) == (200, "application/pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    for expected in (
        "Z report",
        "Counter 1",
        "Cashier: cashier",
        "-7.50",
        "87.50",
        "80.00",
        "approved by: alice",
        "taxi for the band",
        "Refunds by event and ticket",
    ):
        assert expected in text, (expected, text)
    x = employee_client.get(f"/api/v1/shifts/{eves}/z-report.pdf")
    assert x.status_code == 200
    assert "X report" in PdfReader(io.BytesIO(x.content)).pages[0].extract_text()
