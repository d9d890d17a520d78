"""Screenshots of the manager's back-office tabs and their dialogs at 1366x768, with
realistic data: staff, 70 vouchers (a bulk batch with redemptions), then 500 made through
the tab and saved as CSV, a few hundred audit entries of every kind (price overrides,
refunds, cash movements, role changes, door overrides). For a person to look at, not a
behaviour test (those are the tabs' own tests): it runs only when ENTURF_SCREENSHOTS names
the folder for the PNGs, e.g.

    ENTURF_SCREENSHOTS=/tmp/eyes pytest tests/pos/ui/manager/test_back_office_screenshots.py
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLineEdit, QPushButton, QWidget
from shiboken6 import isValid
from support.pos_windows import log_in
from support.sync_support import make_show

OUT = Path(os.environ.get("ENTURF_SCREENSHOTS") or ".")
pytestmark = pytest.mark.skipif(
    not os.environ.get("ENTURF_SCREENSHOTS"), reason="set ENTURF_SCREENSHOTS to a folder"
)

SEED_AUDIT = r"""
import random
from datetime import timedelta
from django.utils import timezone
from enturf_server.accounts.models import Device, User
from enturf_server.audit.services import record
from enturf_server.sync import changes
random.seed(7)
users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
admin = User.objects.get(username="admin")
devices = list(Device.objects.filter(name__in=["Box office 1", "Box office 2", "Door North"]))
door = Device.objects.get(name="Door North")
now = timezone.now()
kinds = []
def add(actor, action, details, device=None, obj=None):
    kinds.append((actor, action, details, device, obj))
cashiers = [u for u in users.values()]
for i in range(320):
    c = cashiers[i % len(cashiers)]
    d = devices[i % len(devices)]
    code = "K%05d" % (7000 + i)
    pick = i % 10
    if pick == 0:
        add(admin, "sale.price_override", {"code": code, "line": "3f2a9c1e-1b2c-4d5e-8f90-%012d" % i, "cashier": c.username, "price": "15.00", "server_price": "25.00", "reason": "Student without card", "approval": "a1b2c3d4-0000-4000-8000-%012d" % i}, d)
    elif pick == 1:
        add(c, "refund", {"booking": code, "amount": "42.50", "currency": "EUR", "method": "cash", "lines": ["9f0e%028d" % i], "parts": [{"payment": "p%d" % i, "amount": "42.50", "gateway": None}], "reason": "Customer ill", "automatic": False}, d)
    elif pick == 2:
        add(c, "drawer.cash_in", {"shift": "5e1c%028d" % i, "amount": "50.00", "reason": "Change from the safe", "at": (now - timedelta(hours=i)).isoformat()}, d)
    elif pick == 3:
        add(c, "drawer.cash_out", {"shift": "5e1c%028d" % i, "amount": "200.00", "reason": "Banked", "at": (now - timedelta(hours=i)).isoformat()}, d)
    elif pick == 4:
        add(admin, "staff.role_change", {"from": "employee", "to": "door_supervisor"}, None, c)
    elif pick == 5:
        add(admin, "door.override", {"reason": "Ticket on a broken phone, name checked", "refused": "already_in", "let": "in", "list": 3, "gate": "North", "steward": c.username, "offline": False}, door)
    elif pick == 6:
        add(c, "counter_sale", {"code": code, "total": "64.00", "currency": "EUR", "lines": 2}, d)
    elif pick == 7:
        add(c, "shift.open", {"opening_float": "150.00", "currency": "EUR"}, d)
    elif pick == 8:
        add(admin, "role_rights.change", {"role": "employee", "before": {"rights": ["sell", "refund"], "refund_limit_cents": 5000}, "after": {"rights": ["sell", "refund", "discount"], "refund_limit_cents": 10000}})
    else:
        add(c, "shift.close", {"counted": {"cash": "812.40", "card": "1290.00"}, "difference": "-2.60", "server_difference": "-2.60", "approved_by": "admin", "approval_status": "approved", "approval": 12, "notes": "Coin roll short"}, d)
with changes.atomic():
    for n, (actor, action, details, device, obj) in enumerate(kinds):
        entry = record(actor=actor, action=action, details=details, device=device)
        entry.at = now - timedelta(minutes=37 * n)
        if action == "refund":
            entry.object_type, entry.object_id = "billing.refund", "0c9d%028d" % n
        elif action in ("drawer.cash_in", "drawer.cash_out"):
            entry.object_type, entry.object_id = "shifts.drawermovement", "77%030d" % n
        elif action == "staff.role_change":
            entry.object_type, entry.object_id = "accounts.user", str(obj.pk)
        elif action == "sale.price_override" or action == "counter_sale":
            entry.object_type, entry.object_id = "sales.booking", "b00c%028d" % n
print(len(kinds))
"""

STAFF = [
    ("anna", "Anna", "Berg", "employee"),
    ("jonas", "Jonas", "Weber", "door_steward"),
    ("maria", "Maria", "Costa", "manager"),
    ("piet", "Piet", "de Vries", "door_supervisor"),
]


def seed_staff(server, tag: str) -> list[str]:
    names = []
    lines = [
        "from enturf_server.accounts.roles import Role",
        "from enturf_server.accounts.services import create_user",
    ]
    for username, first, last, role in STAFF:
        name = f"{username}-{tag}"
        names.append(name)
        lines.append(
            f"create_user(username={name!r}, password='Staff-pass-4821', role=Role({role!r}),"
            f" first_name={first!r}, last_name={last!r})"
        )
    server.shell("\n".join(lines))
    return names


def seed_vouchers(api, show) -> str:
    for i in range(30):
        body = {
            "code": f"SPRING{i:02d}-{uuid.uuid4().hex[:4].upper()}",
            "kind": "percent" if i % 3 else "fixed",
            "max_uses": None if i % 4 == 0 else 1 + i % 5,
        }
        if i % 3:
            body["percent"] = str(5 + i)
        else:
            body["amount"] = f"{5 + i}.00"
            body["currency"] = "EUR"
        if i % 5 == 0:
            body["events"] = [show.event_id]
        if i % 7 == 0:
            body["tickets"] = [show.ticket_ids[0]]
        if i % 2:
            body["valid_until"] = "2027-03-31T22:00:00Z"
        api.post("vouchers/", body)
    bulk = api.post(
        "vouchers/bulk/",
        {"count": 40, "prefix": "GALA-", "kind": "percent", "percent": "20", "max_uses": 2},
    )
    seats = [s["id"] for s in api.get(f"events/{show.event_id}/availability/")["seats"]]
    for n, code in enumerate([*bulk["codes"][:3], bulk["codes"][0]]):
        booking = api.post(
            "bookings/",
            {
                "event": show.event_id,
                "lines": [{"seat": seats[n], "ticket": show.ticket_ids[0]}],
                "voucher": code,
            },
        )
        api.post(
            f"bookings/{booking['id']}/payments/",
            {
                "id": str(uuid.uuid4()),
                "method": "cash",
                "amount": booking["total"],
                "currency": "EUR",
            },
        )
    return bulk["batch"]


def shot(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    OUT.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(OUT / f"{name}.png"))


def visible_dialog(parent: QWidget, name: str) -> QDialog:
    found = [d for d in parent.findChildren(QDialog, name) if d.isVisible()]
    assert found, name
    return found[-1]


def test_screens(flow, api, server, proxy, qtbot, monkeypatch, tmp_path):
    tag = uuid.uuid4().hex[:4]
    show = make_show(api, rows=6, seats=12)
    staff = seed_staff(server, tag)
    for name in ("Box office 2", "Door North"):
        server.new_setup_code(name)
    server.new_setup_code("Box office 1")
    batch = seed_vouchers(api, show)
    server.shell(f"USERNAMES = {staff!r}\n" + SEED_AUDIT)
    log_in(qtbot, flow, "admin")
    qtbot.waitUntil(lambda: flow.manager_window is not None, timeout=120_000)
    qtbot.waitUntil(lambda: flow.sync.last_sync is not None, timeout=120_000)
    window = flow.manager_window
    window.resize(1366, 768)
    qtbot.wait(200)

    # Staff
    tab = window.findChild(QWidget, "staffTab")
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.loaded and tab.online, timeout=60_000)
    qtbot.wait(300)
    shot(window, "staff_people")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    shot(visible_dialog(tab, "staffAddDialog"), "staff_add_dialog")
    visible_dialog(tab, "staffAddDialog").reject()
    tab.select(staff[0])
    qtbot.mouseClick(tab.password_button, Qt.MouseButton.LeftButton)
    shot(visible_dialog(tab, "staffPasswordDialog"), "staff_password_dialog")
    visible_dialog(tab, "staffPasswordDialog").reject()
    qtbot.mouseClick(tab.role_button, Qt.MouseButton.LeftButton)
    shot(visible_dialog(tab, "staffRoleDialog"), "staff_role_dialog")
    visible_dialog(tab, "staffRoleDialog").reject()
    tab.pages.setCurrentIndex(1)
    qtbot.wait(300)
    shot(window, "staff_rights")

    # Vouchers
    tab = window.findChild(QWidget, "vouchersTab")
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.listing is not None and tab.listing.live, timeout=60_000)
    qtbot.wait(200)
    shot(window, "vouchers_list")
    tab.batch_filter.setText(batch)
    tab.fetch()
    qtbot.waitUntil(lambda: not tab._fetching and tab.model.rowCount() == 40, timeout=60_000)
    for r in range(tab.model.rowCount()):
        if tab.model.row_at(r).used:
            tab.table.selectRow(r)
            break
    qtbot.waitUntil(lambda: tab.redemptions_model.rowCount() > 0, timeout=60_000)
    qtbot.wait(200)
    shot(window, "vouchers_redemptions")
    tab.open_dialog(tab.selected())
    qtbot.wait(100)
    shot(tab.dialog, "voucher_edit_dialog")
    tab.dialog.reject()
    tab.open_dialog(None)
    qtbot.wait(100)
    shot(tab.dialog, "voucher_new_dialog")
    tab.dialog.reject()
    qtbot.mouseClick(tab.bulk_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    dialog.findChild(QLineEdit, "voucherPrefix").setText(f"XMAS{tag.upper()}-")
    dialog.findChild(QLineEdit, "voucherValue").setText("10")
    shot(dialog, "voucher_bulk_dialog")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=60_000)
    shot(dialog, "voucher_bulk_made")
    target = tmp_path / "codes.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(dialog.csv_button, Qt.MouseButton.LeftButton)
    shot(dialog, "voucher_bulk_saved")
    dialog.reject()
    qtbot.waitUntil(lambda: not tab._fetching and tab.model.rowCount() == 500, timeout=60_000)
    qtbot.wait(200)
    shot(window, "vouchers_after_bulk")
    tab.code_filter.setText("nomatch-zzz")
    tab.batch_filter.clear()
    tab.fetch()
    qtbot.waitUntil(lambda: not tab._fetching and tab.model.rowCount() == 0, timeout=60_000)
    shot(window, "vouchers_empty")

    # Audit
    tab = window.findChild(QWidget, "auditTab")
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.page is not None and tab.page.live, timeout=60_000)
    qtbot.wait(200)
    tab.table.selectRow(2)
    qtbot.wait(100)
    shot(window, "audit_all")
    qtbot.mouseClick(tab.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab._fetching and tab.page.page == 2, timeout=60_000)
    tab.table.selectRow(5)
    shot(window, "audit_page2")
    tab.action.setText("refund")
    tab.fetch(1)
    qtbot.waitUntil(lambda: not tab._fetching, timeout=60_000)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Home)
    shot(window, "audit_refunds")
    tab.action.setText("zzz")
    tab.fetch(1)
    qtbot.waitUntil(lambda: not tab._fetching, timeout=60_000)
    shot(window, "audit_empty")
    tab.action.clear()
    tab.fetch(1)
    qtbot.waitUntil(lambda: not tab._fetching, timeout=60_000)
    target = tmp_path / "audit.csv"
    qtbot.mouseClick(tab.csv_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.exported is not None, timeout=60_000)
    shot(window, "audit_exported")

    # Reports
    tab = window.findChild(QWidget, "reportsTab")
    window.tabs.setCurrentWidget(tab)
    qtbot.wait(3000)
    shot(window, "reports")

    # Lock screen with a PIN
    window.pin_action.trigger()
    (pin_dialog,) = [d for d in window.findChildren(QDialog, "pinDialog") if d.isVisible()]
    shot(pin_dialog, "pin_dialog")
    qtbot.keyClicks(pin_dialog.findChild(QLineEdit, "pinEdit"), "4821")
    qtbot.keyClicks(pin_dialog.findChild(QLineEdit, "pinAgainEdit"), "4821")
    qtbot.mouseClick(pin_dialog.findChild(QPushButton, "pinSetButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not isValid(pin_dialog) or not pin_dialog.isVisible(), timeout=60_000)
    flow.lock()
    qtbot.wait(300)
    shot(flow.lock_window, "lock_screen")
    field = flow.lock_window.findChild(QLineEdit, "pinUnlock")
    qtbot.keyClicks(field, "1111")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.wait(2000)
    shot(flow.lock_window, "lock_screen_wrong")
    flow.lock_window.refuse_pin("You have no unlock PIN on this counter: use your password.")
    qtbot.wait(100)
    flow.lock_window.fit()
    shot(flow.lock_window, "lock_screen_no_pin")
