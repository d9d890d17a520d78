"""Approvals made at a counter carry proof the server checks (issue 11, item 4): an
admin's approval key registered per counter, a signed statement per approval, used once;
a Z close without valid proof is kept and waits for an administrator's decision online."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from support.counters import closing, opening, pos_client, register_counter
from support.counters import push_ops as push

from enturf_core.approvals import ApprovalStatement, sign_statement
from enturf_core.ticket_codes import SigningKey

pytestmark = pytest.mark.django_db

KEYS = "/api/v1/auth/approval-keys/"
OVER = dict(cash="0.00", expected_cash="500.00", difference="-500.00")


@pytest.fixture
def desk(make_user):
    """A counter with a cashier on it, and an admin who registered an approval key there."""
    device, token, _ticket_key = register_counter("Counter 1")
    cashier = pos_client(make_user("cashier", "employee"), token)
    admin = make_user("boss", "admin")
    key = SigningKey.generate()
    answer = pos_client(admin, token).post(
        KEYS, {"public_key": key.public_key_base64()}, format="json"
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["key_id"] == key.key_id
    return device, token, cashier, admin, key


def proof(key, *, approver, device, subject, difference=None, kind="shift_close", **changes):
    statement = ApprovalStatement(
        kind=kind,
        subject=str(subject),
        figures=changes.pop("figures", None) or {"difference": difference},
        approver=approver.pk,
        device=device.pk,
        at=changes.pop("at", datetime.now(UTC)),
        **changes,
    )
    return sign_statement(statement, key)


def open_shift(pos):
    shift_id = uuid.uuid4()
    [opened] = push(pos, opening(shift_id, timezone.now() - timedelta(hours=1)))
    assert opened["status"] == "applied", opened
    return shift_id


def close(shift_id, approval=None, approved_by=None):
    op = closing(shift_id, timezone.now(), approved_by=approved_by, **OVER)
    if approval is not None:
        op[1]["approval"] = approval
    return op


def test_an_admins_name_alone_does_not_approve_a_close_it_waits_for_an_admin(desk, admin_client):
    from enturf_server.audit.models import AuditEntry
    from enturf_server.shifts.models import Shift

    _device, _token, cashier, _admin, _key = desk
    shift_id = open_shift(cashier)
    [result] = push(cashier, close(shift_id, approved_by="alice"))
    # kept, never lost: closed, but not approved
    assert result["status"] == "applied", result
    assert result["shift"]["approval_status"] == "awaiting_admin"
    assert any("without a signed approval" in n for n in result["shift"]["notes"])
    shift = Shift.objects.get(pk=shift_id)
    assert (shift.state, shift.approved_by, shift.difference) == (
        "closed",
        None,
        Decimal("-500.00"),
    )
    listed = admin_client.get("/api/v1/shifts/", {"state": "closed"}).json()["results"]
    assert [(s["id"], s["approval_status"]) for s in listed] == [(str(shift_id), "awaiting_admin")]

    # the cashier cannot decide; an admin can, once
    url = f"/api/v1/shifts/{shift_id}/approve/"
    assert cashier.post(url, {}, format="json").status_code == 403
    decided = admin_client.post(url, {"note": "counted twice, ok"}, format="json")
    assert decided.status_code == 200, decided.content
    assert (decided.json()["approval_status"], decided.json()["approved_by"]) == (
        "approved_online",
        "alice",
    )
    again = admin_client.post(url, {}, format="json")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "not_awaiting_approval")
    assert AuditEntry.objects.filter(action="shift.approve", object_id=str(shift_id)).exists()


def test_a_signed_approval_closes_above_the_threshold_once(desk):
    from enturf_server.shifts.models import Shift

    device, _token, cashier, admin, key = desk
    shift_id = open_shift(cashier)
    signed = proof(key, approver=admin, device=device, subject=shift_id, difference="-500.00")
    [result] = push(cashier, close(shift_id, signed))
    assert (result["status"], result["shift"]["approval_status"]) == ("applied", "signed")
    shift = Shift.objects.get(pk=shift_id)
    assert (shift.approved_by, shift.approval.nonce) == (admin, signed["statement"]["nonce"])

    # the Django admin lists keys and approvals, read-only
    from django.test import Client

    web = Client()
    web.force_login(admin)
    for url, shows in (
        ("/admin/accounts/approvalkey/", key.key_id),
        ("/admin/accounts/approval/", str(shift_id)),
    ):
        page = web.get(url)
        assert page.status_code == 200 and shows in page.content.decode()
    assert web.get("/admin/accounts/approval/add/").status_code == 403

    # the same approval on another shift: used already (and for another subject)
    other = open_shift(cashier)
    replay = dict(signed)
    [reused] = push(cashier, close(other, replay))
    assert reused["shift"]["approval_status"] == "awaiting_admin"
    assert Shift.objects.get(pk=other).approved_by is None


@pytest.mark.parametrize(
    "tamper, reason",
    [
        ("difference", "not for shift_close"),
        ("signature", "does not verify"),
        ("employee_key", "does not know"),
        ("deactivated", "no longer active staff"),
        ("other_device", "another counter"),
        ("unregistered", "does not know"),
        ("kind", "not for shift_close"),
    ],
)
def test_a_close_with_a_bad_approval_waits_for_an_admin(desk, make_user, tamper, reason):
    from enturf_server.shifts.models import Shift

    device, token, cashier, admin, key = desk
    shift_id = open_shift(cashier)
    kwargs = dict(approver=admin, device=device, subject=shift_id, difference="-500.00")
    if tamper == "difference":
        kwargs["difference"] = "-5.00"  # approved a smaller difference
    if tamper == "kind":
        kwargs["kind"] = "refund"
    if tamper == "unregistered":
        key = SigningKey.generate()
    if tamper == "employee_key":
        employee = make_user("eve", "employee")
        refused = pos_client(employee, token).post(
            KEYS, {"public_key": SigningKey.generate().public_key_base64()}, format="json"
        )
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "not_admin")
        kwargs["approver"] = employee
        key = SigningKey.generate()
    if tamper == "other_device":
        other, other_token, _ = register_counter("Counter 2")
        second = SigningKey.generate()
        assert (
            pos_client(admin, other_token)
            .post(KEYS, {"public_key": second.public_key_base64()}, format="json")
            .status_code
            == 201
        )
        key, kwargs["device"] = second, other
    signed = proof(key, **kwargs)
    if tamper == "signature":
        signed["statement"]["nonce"] = proof(key, **kwargs)["statement"]["nonce"]
    if tamper == "deactivated":
        admin.is_active = False
        admin.save(update_fields=["is_active"])
    [result] = push(cashier, close(shift_id, signed))
    assert (result["status"], result["shift"]["approval_status"]) == ("applied", "awaiting_admin")
    assert any(reason in note for note in result["shift"]["notes"]), result["shift"]["notes"]
    assert Shift.objects.get(pk=shift_id).approved_by is None


def test_approval_keys_need_an_admin_session_bound_to_the_counter(desk, admin_client):
    _device, token, _cashier, admin, _key = desk
    unbound = admin_client.post(
        KEYS, {"public_key": SigningKey.generate().public_key_base64()}, format="json"
    )
    assert (unbound.status_code, unbound.json()["error"]["code"]) == (
        403,
        "device_session_required",
    )
    bad = pos_client(admin, token).post(KEYS, {"public_key": "nope"}, format="json")
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "invalid_public_key")


def test_a_changed_password_revokes_the_admins_approval_keys(desk, admin_client):
    from enturf_server.accounts.models import ApprovalKey

    device, _token, cashier, admin, key = desk
    changed = admin_client.patch(
        f"/api/v1/users/{admin.pk}/", {"password": "a-brand-new-pass-7"}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert ApprovalKey.objects.get(key_id=key.key_id).revoked_at is not None
    shift_id = open_shift(cashier)
    signed = proof(key, approver=admin, device=device, subject=shift_id, difference="-500.00")
    [result] = push(cashier, close(shift_id, signed))
    assert result["shift"]["approval_status"] == "awaiting_admin"


def test_a_refund_above_the_limit_passes_with_a_supervisors_signed_approval(desk, shop):
    """Issue 12, item 11: the counter asks an admin in place; the server checks it."""
    from support.billing_fixtures import booked, pay

    from enturf_server.accounts.models import SiteSettings
    from enturf_server.audit.models import AuditEntry

    SiteSettings.objects.update_or_create(pk=1, defaults={"employee_refund_limit": Decimal("30")})
    device, _token, cashier, admin, key = desk
    booking = booked(cashier, shop, shop.seats[:3])
    assert pay(cashier, booking["id"], "cash", "75.00").json()["state"] == "paid"
    refund_id = uuid.uuid4()
    body = {"id": str(refund_id), "booking": booking["id"]}
    refused = cashier.post("/api/v1/refunds/", body, format="json")
    assert refused.status_code == 403
    details = refused.json()["error"]["details"]
    assert (details["limit"], details["amount"]) == ("30.00", "75.00")

    def approval(subject=refund_id, amount="75.00"):
        return proof(
            key,
            approver=admin,
            device=device,
            subject=subject,
            kind="refund",
            figures={"amount": amount},
        )

    for bad, code in (
        (approval(amount="30.00"), "approval_mismatch"),  # approved less
        (approval(subject=uuid.uuid4()), "approval_mismatch"),  # another refund
        ({"statement": {}, "key_id": "x", "signature": "y"}, "approval_malformed"),
    ):
        r = cashier.post("/api/v1/refunds/", {**body, "approval": bad}, format="json")
        assert (r.status_code, r.json()["error"]["code"]) == (403, code)

    signed = approval()
    done = cashier.post("/api/v1/refunds/", {**body, "approval": signed}, format="json")
    assert done.status_code == 201, done.content
    assert (done.json()["amount"], done.json()["state"]) == ("75.00", "succeeded")
    entry = AuditEntry.objects.get(action="refund.override", object_id=str(refund_id))
    assert (entry.actor, entry.details["cashier"]) == (admin, "cashier")

    # each approval is used once: the same nonce, signed again for another refund
    other = booked(cashier, shop, shop.seats[3:6])
    pay(cashier, other["id"], "cash", "75.00")
    other_id = uuid.uuid4()
    reused = proof(
        key,
        approver=admin,
        device=device,
        subject=other_id,
        kind="refund",
        figures={"amount": "75.00"},
        nonce=signed["statement"]["nonce"],
    )
    again = cashier.post(
        "/api/v1/refunds/",
        {"id": str(other_id), "booking": other["id"], "approval": reused},
        format="json",
    )
    assert (again.status_code, again.json()["error"]["code"]) == (403, "approval_used")


def test_a_refund_approval_needs_a_role_whose_limit_covers_it(desk, shop, make_user):
    """Issue 16: a box-office manager approves (no cap by default); a manager whose grant
    caps refunds below the booking's refunds may not."""
    from support.billing_fixtures import booked, pay
    from support.counters import pos_client

    from enturf_server.accounts.models import RoleGrant, SiteSettings

    SiteSettings.objects.update_or_create(pk=1, defaults={"employee_refund_limit": Decimal("10")})
    device, token, cashier, _admin, _key = desk
    standard = list(shop.seats_by_category["standard"])
    manager = make_user("bo-manager", "manager")
    key = SigningKey.generate()
    registered = pos_client(manager, token).post(
        KEYS, {"public_key": key.public_key_base64()}, format="json"
    )
    assert registered.status_code == 201, registered.content

    def refund(limit_cents):
        RoleGrant.objects.filter(role="manager").update(refund_limit_cents=limit_cents)
        booking = booked(cashier, shop, [standard.pop()])
        pay(cashier, booking["id"], "cash", "25.00")
        refund_id = uuid.uuid4()
        signed = proof(
            key,
            approver=manager,
            device=device,
            subject=refund_id,
            kind="refund",
            figures={"amount": "25.00"},
        )
        body = {"id": str(refund_id), "booking": booking["id"], "approval": signed}
        return cashier.post("/api/v1/refunds/", body, format="json")

    capped = refund(2000)  # 20.00 < 25.00
    assert (capped.status_code, capped.json()["error"]["code"]) == (403, "approver_not_admin")
    assert "20.00" in capped.json()["error"]["message"]
    assert refund(None).status_code == 201
