from __future__ import annotations

from rest_framework import serializers

from enturf_server.api.inputs import id_field
from enturf_server.shifts.models import ApprovalStatus, ShiftState

_MONEY = {"max_digits": 12, "decimal_places": 2}


class ShiftListQuery(serializers.Serializer):
    device = id_field(required=False)
    cashier = serializers.CharField(max_length=150, required=False)
    state = serializers.ChoiceField(choices=ShiftState.choices, required=False)
    date = serializers.DateField(required=False)


class MovementOutput(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    amount = serializers.DecimalField(**_MONEY)
    reason = serializers.CharField()
    at = serializers.DateTimeField()
    user = serializers.CharField(source="user.username", default=None)


class ShiftOutput(serializers.Serializer):
    id = serializers.UUIDField()
    device = serializers.IntegerField(source="device_id", allow_null=True)
    device_name = serializers.CharField(source="device.name", default=None)
    cashier = serializers.CharField(source="cashier.username", default=None)
    state = serializers.CharField()
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    opening_float = serializers.DecimalField(**_MONEY)
    currency = serializers.CharField()
    counted = serializers.JSONField()
    difference = serializers.DecimalField(**_MONEY, allow_null=True)
    server_difference = serializers.DecimalField(**_MONEY, allow_null=True)
    approved_by = serializers.CharField(source="approved_by.username", default=None)
    approval_status = serializers.ChoiceField(choices=ApprovalStatus.choices)
    approved_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class ShiftApproveInput(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ShiftDetailOutput(ShiftOutput):
    movements = MovementOutput(many=True, source="movements.all")
    z_report = serializers.JSONField()
