"""Push ops of a counter's shift: `shift_open`, `drawer_movement`, `shift_close`.

Payloads (amounts are decimal strings, times ISO 8601 with an offset)::

    shift_open      {"shift": {"id", "opened_at", "opening_float", "currency", "cashier"}}
    drawer_movement {"movement": {"id", "shift", "kind": "cash_in" | "cash_out",
                                  "amount", "reason", "at", "user"?}}
    shift_close     {"shift": id, "closed_at", "counted": {"cash", "card"?},
                     "report": {"expected": {"cash", "card"?}, "sales"?: [...],
                                "refunds"?: [...], ...}, "difference", "approved_by"?,
                     "approval"?: {"statement", "key_id", "signature"}}

Each is idempotent by its op id (the push layer) and by the object's id: a shift or
movement already recorded answers ``duplicate`` with the same ``shift``.

The shift's cashier and a movement's user are who the server authenticated (the token
that pushed the op, with the device's token), never the name in the payload: a
``cashier`` or ``user`` naming someone else is kept only as an unverified note in the
audit entry (`accounts.claims`), and is not an error.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from enturf_core.wire import ops as wire
from enturf_server.accounts.claims import claimed_name
from enturf_server.api.errors import ServiceError
from enturf_server.api.inputs import int_field, money_field
from enturf_server.shifts import services
from enturf_server.shifts.figures import METHODS
from enturf_server.shifts.models import Shift
from enturf_server.sync.push_registry import (
    APPLIED,
    DUPLICATE,
    OpResult,
    PushContext,
    PushOp,
    push_handler,
    typed_payload,
)


class ShiftOpenInput(serializers.Serializer):
    id = serializers.UUIDField()
    opened_at = serializers.DateTimeField()
    opening_float = money_field(min_value=0)
    currency = serializers.CharField(min_length=3, max_length=3)
    cashier = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class ShiftOpenPayload(serializers.Serializer):
    shift = ShiftOpenInput()


class MovementInput(serializers.Serializer):
    id = serializers.UUIDField()
    shift = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=["cash_in", "cash_out"])
    amount = money_field(min_value=0)
    reason = serializers.CharField(max_length=300, allow_blank=True)
    at = serializers.DateTimeField()
    user = serializers.CharField(max_length=150, required=False, allow_blank=True)


class MovementPayload(serializers.Serializer):
    movement = MovementInput()


class ReportRow(serializers.Serializer):
    event = serializers.CharField(max_length=300)
    ticket = serializers.CharField(max_length=300)
    count = int_field()
    amount = money_field()


class ReportInput(serializers.Serializer):
    expected = serializers.DictField(child=money_field())
    sales = ReportRow(many=True, required=False)
    refunds = ReportRow(many=True, required=False)

    def validate_expected(self, value):
        unknown = sorted(set(value) - set(METHODS))
        if unknown or "cash" not in value:
            raise serializers.ValidationError("Expected amounts are per method: cash, card.")
        return value


class ShiftClosePayload(serializers.Serializer):
    shift = serializers.UUIDField()
    closed_at = serializers.DateTimeField()
    counted = serializers.DictField(child=money_field(min_value=0))
    report = serializers.JSONField()
    difference = money_field()
    approved_by = serializers.CharField(
        max_length=150, required=False, allow_blank=True, allow_null=True
    )
    approval = serializers.JSONField(required=False, allow_null=True)

    def validate_counted(self, value):
        unknown = sorted(set(value) - set(METHODS))
        if unknown or "cash" not in value:
            raise serializers.ValidationError("Counted amounts are per method: cash, card.")
        return value

    def validate_report(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("The report is an object.")
        checked = ReportInput(data=value)
        checked.is_valid(raise_exception=True)
        return value


CENT = Decimal("0.01")


def _parsed(input_class: type[serializers.Serializer], payload: dict[str, Any]) -> dict:
    data = input_class(data=payload)
    if not data.is_valid():
        raise ServiceError(
            "The shift op is not valid; see details.", code="invalid", details=data.errors
        )
    return data.validated_data


def shift_result(shift: Shift) -> dict[str, Any]:
    return {
        "id": str(shift.pk),
        "state": shift.state,
        "version": shift.version,
        "difference": None if shift.difference is None else str(shift.difference),
        "server_difference": (
            None if shift.server_difference is None else str(shift.server_difference)
        ),
        "approval_status": shift.approval_status,
        "notes": shift.z_report.get("server", {}).get("notes", []),
    }


def _result(outcome: services.Outcome, **extra: Any) -> OpResult:
    return OpResult(
        APPLIED if outcome.created else DUPLICATE,
        extra={"shift": shift_result(outcome.shift), **extra},
    )


def _cents(amount: Decimal) -> Decimal:
    """An amount as the serializers gave it (two places; they checked it has no more)."""
    return amount.quantize(CENT)


@push_handler(wire.SHIFT_OPEN)
def shift_open(op: PushOp, ctx: PushContext) -> OpResult:
    _parsed(ShiftOpenPayload, op.payload)
    shift = typed_payload(op, wire.ShiftOpen).shift
    outcome = services.open_shift(
        device=ctx.device,
        shift_id=shift.id,
        cashier=ctx.user,
        claim=claimed_name(shift.cashier, ctx.user).audit("cashier"),
        opened_at=shift.opened_at,
        opening_float=_cents(shift.opening_float),
        currency=shift.currency,
    )
    return _result(outcome)


@push_handler(wire.DRAWER_MOVEMENT)
def drawer_movement(op: PushOp, ctx: PushContext) -> OpResult:
    _parsed(MovementPayload, op.payload)
    movement = typed_payload(op, wire.DrawerMovement).movement
    outcome = services.record_movement(
        device=ctx.device,
        movement_id=movement.id,
        shift_id=movement.shift,
        kind=movement.kind,
        amount=_cents(movement.amount),
        reason=movement.reason.strip(),  # as the serializer trims it
        at=movement.at,
        user=ctx.user,
        claim=claimed_name(movement.user or None, ctx.user).audit("user"),
    )
    return _result(outcome, movement=str(outcome.movement.pk))


@push_handler(wire.SHIFT_CLOSE)
def shift_close(op: PushOp, ctx: PushContext) -> OpResult:
    _parsed(ShiftClosePayload, op.payload)
    close = typed_payload(op, wire.ShiftClose)
    outcome = services.close_shift(
        device=ctx.device,
        shift_id=close.shift,
        closed_at=close.closed_at,
        counted={method: _cents(amount) for method, amount in close.counted.items()},
        report=close.report,
        difference=_cents(close.difference),
        approval=close.approval,
        approved_by=close.approved_by or None,
        actor=ctx.user,
    )
    return _result(outcome)
