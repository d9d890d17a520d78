"""The audit trail in words for the Audit tab: an entry's action ("Refund"), what it was
done to ("Booking K7M2QX") and a one-line summary of its details ("€42.50 cash ·
“Customer ill”"), instead of the server's codes, model labels, ids and JSON (which stay
in the exports and in the cells' tooltips)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from enturf_core.money import Money
from enturf_core.staff_rights import RIGHT_LABELS, ROLE_LABELS, Right, staff_role

ACTIONS: dict[str, str] = {
    "sale.price_override": "Price override approved",
    "sale.price_override_refused": "Price override refused",
    "refund": "Refund",
    "refund.override": "Refund above the limit approved",
    "payment.extra": "Extra payment",
    "payment.take": "Payment taken",
    "shift.open": "Shift opened",
    "shift.close": "Shift closed",
    "shift.approve": "Shift difference approved",
    "drawer.float": "Drawer float",
    "drawer.cash_in": "Cash in",
    "drawer.cash_out": "Cash out",
    "drawer.open": "Drawer opened",
    "seat.block": "Seats blocked",
    "seat.release": "Seats released",
    "door.override": "Door override",
    "user.create": "User created",
    "user.update": "User changed",
    "staff.role_change": "Role changed",
    "staff.password_reset": "Password reset",
    "staff.deactivate": "Staff deactivated",
    "staff.reactivate": "Staff reactivated",
    "role_rights.change": "Role rights changed",
    "counter_sale": "Counter sale",
    "counter_sale.outside_shift": "Sale outside a shift",
    "counter_sale.voucher_refused": "Voucher refused on a sale",
    "booking.paid": "Booking paid",
    "booking.cancel": "Booking cancelled",
    "booking.review_accepted": "Sale review accepted",
    "booking.review_rejected": "Sale review rejected",
    "hold.release": "Hold released",
    "tickets.reprint": "Tickets reprinted",
    "voucher.create": "Voucher created",
    "voucher.bulk_create": "Vouchers made in bulk",
    "voucher.update": "Voucher changed",
    "voucher.delete": "Voucher deleted",
    "approval_key.register": "Approval key registered",
    "settings.update": "Settings changed",
}

# what the filter's "action" box offers: (the start the server matches, words)
ACTION_FILTERS: tuple[tuple[str, str], ...] = (
    ("sale.price_override", "price overrides"),
    ("refund", "refunds"),
    ("drawer.", "cash movements"),
    ("shift.", "shifts"),
    ("door.override", "door overrides"),
    ("staff.", "staff changes"),
    ("role_rights.", "role rights"),
    ("counter_sale", "counter sales"),
    ("booking.", "bookings"),
    ("voucher.", "vouchers"),
    ("seat.", "blocked seats"),
    ("event.", "events"),
    ("ticket.", "tickets"),
    ("device.", "counters and devices"),
)

OBJECTS: dict[str, str] = {
    "sales.booking": "Booking",
    "billing.refund": "Refund",
    "billing.payment": "Payment",
    "billing.voucher": "Voucher",
    "shifts.shift": "Shift",
    "shifts.drawermovement": "Drawer",
    "accounts.user": "User",
    "accounts.device": "Counter",
    "accounts.rolegrant": "Role",
    "accounts.approvalkey": "Approval key",
    "accounts.sitesettings": "Settings",
    "catalog.event": "Event",
    "catalog.ticket": "Ticket",
    "catalog.venue": "Venue",
    "catalog.seatmap": "Seat map",
    "checkins.checkinrecord": "Scan",
    "checkins.checkinlist": "Check-in list",
    "counters.allocation": "Allocation",
}

_DONE = {
    "create": "created",
    "update": "changed",
    "delete": "deleted",
    "import": "imported",
    "publish": "published",
    "register": "registered",
    "rename": "renamed",
    "duty": "duty changed",
    "retire": "retired",
}
_UUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.I)
_HEXISH = re.compile(r"^[0-9a-f-]{20,}$", re.I)  # a key no person reads


def action_text(action: str) -> str:
    """ "refund" -> "Refund"; an action not listed in words of its own code."""
    if action in ACTIONS:
        return ACTIONS[action]
    thing, _dot, verb = action.rpartition(".")
    if thing and verb in _DONE:  # "ticket.create" -> "Ticket created"
        action = f"{OBJECTS.get(thing, thing)} {_DONE[verb]}".lower()
    words = action.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def details_of(text: str) -> dict[str, Any]:
    """The JSON text of an entry's details as a dict ({} when it is not one)."""
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def object_text(
    object_type: str, object_id: str, details: Mapping[str, Any], known: str = ""
) -> str:
    """E.g. "Booking K7M2QX", "Voucher SPRING10", "User Anna Berg" (`known`: the name
    this device knows it by); a bare key (a UUID) left out."""
    kind, key = object_type, object_id
    label = OBJECTS.get(kind) or (kind.rpartition(".")[2].replace("_", " ").title() if kind else "")
    if known:
        return f"{label} {known}"
    code = details.get("code") or details.get("booking")
    if kind == "sales.booking" and isinstance(code, str):
        return f"{label} {code}"
    if kind in ("billing.refund", "billing.payment") and isinstance(code, str):
        return f"{label} of {code}"
    if kind == "billing.voucher" and isinstance(details.get("code"), str):
        return f"{label} {details['code']}"
    if kind == "accounts.rolegrant" and isinstance(details.get("role"), str):
        return f"{label} {_role(details['role'])}"
    if isinstance(details.get("name"), str) and details["name"]:
        return f"{label} “{details['name']}”"
    if not key or _UUID.match(key) or _HEXISH.match(key):
        return label
    return f"{label} #{key}" if key.isdigit() else f"{label} {key}"


def summary(action: str, details: Mapping[str, Any], currency: str) -> str:
    """One line of what the details say, the most telling first, without ids."""
    money = _money_of(details.get("currency") or currency)
    special = _SPECIAL.get(action)
    parts = special(details, money) if special else []
    done = set(_SPECIAL_KEYS.get(action, ()))
    for key, render in _KEYS:
        if key in done or key not in details:
            continue
        text = render(details[key], money, details)
        if text:
            parts.append(text)
    return " · ".join(p for p in parts if p)


# -- rendering ------------------------------------------------------------------------------


def _money_of(currency: str) -> Callable[[Any], str]:
    def money(value: Any) -> str:
        try:
            amount = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return str(value)
        return Money(amount, currency).format() if currency else f"{amount:.2f}"

    return money


def _role(value: Any) -> str:
    role = staff_role(str(value))
    return ROLE_LABELS[role] if role is not None else str(value)


def _quoted(value: Any) -> str:
    text = str(value or "").strip()
    return f"“{text}”" if text else ""


def _rights(names: Any) -> set[str]:
    return {str(n) for n in names} if isinstance(names, list) else set()


def _right(name: str) -> str:
    try:
        return RIGHT_LABELS[Right(name)]
    except ValueError:
        return name


def _price_override(d: Mapping[str, Any], money: Callable[[Any], str]) -> list[str]:
    listed, price = d.get("server_price"), d.get("price")
    change = f"{money(listed)} → {money(price)}" if listed and price else money(price or "")
    who = f"asked by {d['cashier']}" if d.get("cashier") else ""
    return [change, who, _quoted(d.get("reason")), _quoted(d.get("refusal"))]


def _role_change(d: Mapping[str, Any], _money: Callable[[Any], str]) -> list[str]:
    return [f"{_role(d.get('from'))} → {_role(d.get('to'))}"]


def _role_rights(d: Mapping[str, Any], money: Callable[[Any], str]) -> list[str]:
    before, after = d.get("before") or {}, d.get("after") or {}
    was, now = _rights(before.get("rights")), _rights(after.get("rights"))
    parts = [_role(d.get("role"))]
    parts += [f"+ {_right(n)}" for n in sorted(now - was)]
    parts += [f"- {_right(n)}" for n in sorted(was - now)]
    limits = before.get("refund_limit_cents"), after.get("refund_limit_cents")
    if limits[0] != limits[1]:

        def limit(cents: Any) -> str:
            return money(Decimal(cents).scaleb(-2)) if isinstance(cents, int) else "no limit"

        parts.append(f"refund limit {limit(limits[0])} → {limit(limits[1])}")
    return parts


def _door_override(d: Mapping[str, Any], _money: Callable[[Any], str]) -> list[str]:
    refused = str(d.get("refused") or "").replace("_", " ")
    let = str(d.get("let") or "in")
    gate = f" at gate {d['gate']}" if d.get("gate") else ""
    steward = f"steward {d['steward']}" if d.get("steward") else ""
    return [f"let {let} though {refused}{gate}", steward, _quoted(d.get("reason"))]


def _shift_close(d: Mapping[str, Any], money: Callable[[Any], str]) -> list[str]:
    counted = d.get("counted")
    parts = []
    if isinstance(counted, dict):
        parts.append("counted " + ", ".join(f"{k} {money(v)}" for k, v in counted.items()))
    if d.get("difference") not in (None, "", "0", "0.00"):
        parts.append(f"difference {money(d['difference'])}")
    if d.get("approved_by"):
        parts.append(f"approved by {d['approved_by']}")
    return parts


_SPECIAL: dict[str, Callable[[Mapping[str, Any], Callable[[Any], str]], list[str]]] = {
    "sale.price_override": _price_override,
    "sale.price_override_refused": _price_override,
    "staff.role_change": _role_change,
    "role_rights.change": _role_rights,
    "door.override": _door_override,
    "shift.close": _shift_close,
}
_SPECIAL_KEYS: dict[str, tuple[str, ...]] = {
    "sale.price_override": ("price", "server_price", "cashier", "reason", "refusal", "code"),
    "sale.price_override_refused": ("price", "server_price", "cashier", "reason", "refusal"),
    "staff.role_change": ("from", "to"),
    "role_rights.change": ("role", "before", "after"),
    "door.override": ("refused", "let", "gate", "steward", "reason"),
    "shift.close": ("counted", "difference", "approved_by", "approval_status"),
}

Render = Callable[[Any, Callable[[Any], str], Mapping[str, Any]], str]

# the details people read, in the order they read them; the rest (line, payment, shift
# and approval keys, hashes) stay in the tooltip and the exports
_KEYS: tuple[tuple[str, Render], ...] = (
    ("amount", lambda v, m, d: m(v) + (f" {d['method']}" if d.get("method") else "")),
    ("opening_float", lambda v, m, _d: f"float {m(v)}"),
    ("total", lambda v, m, _d: f"total {m(v)}"),
    ("price", lambda v, m, _d: f"price {m(v)}"),
    ("difference", lambda v, m, _d: f"difference {m(v)}"),
    ("count", lambda v, _m, _d: f"{v} codes"),
    ("batch", lambda v, _m, _d: f"batch {v}"),
    ("seats", lambda v, _m, _d: f"{len(v)} seats" if isinstance(v, list) else ""),
    ("fields", lambda v, _m, _d: "changed " + ", ".join(map(str, v)) if v else ""),
    ("role", lambda v, _m, _d: _role(v)),
    ("from", lambda v, _m, d: f"{v} → {d.get('to')}" if "to" in d else ""),
    ("cashier", lambda v, _m, _d: f"by {v}"),
    ("approved_by", lambda v, _m, _d: f"approved by {v}" if v else ""),
    ("reason", lambda v, _m, _d: _quoted(v)),
    ("note", lambda v, _m, _d: _quoted(v)),
    ("notes", lambda v, _m, _d: _quoted(v)),
    ("automatic", lambda v, _m, _d: "automatic" if v is True else ""),
    ("offline", lambda v, _m, _d: "offline" if v is True else ""),
)
