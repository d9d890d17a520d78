"""Shapes of the change feed and push endpoints (for validation and the OpenAPI schema)."""

from __future__ import annotations

from rest_framework import serializers

from enturf_core.wire.results import PushStatus

MAX_OPS_PER_PUSH = 1000


class ChangeOutput(serializers.Serializer):
    seq = serializers.IntegerField()
    entity = serializers.CharField()
    id = serializers.CharField()
    version = serializers.IntegerField()
    op = serializers.ChoiceField(choices=["upsert", "delete"])
    data = serializers.JSONField()


class ChangesOutput(serializers.Serializer):
    changes = ChangeOutput(many=True)
    next = serializers.CharField(help_text="cursor for the next request (opaque)")
    has_more = serializers.BooleanField()


class OpInput(serializers.Serializer):
    """One op; only `id` is checked for the whole request, the rest is answered per op."""

    id = serializers.UUIDField()
    type = serializers.JSONField(required=False, help_text="e.g. event_update, ticket_update")
    payload = serializers.JSONField(required=False)
    base_version = serializers.JSONField(required=False, allow_null=True)
    base = serializers.JSONField(required=False, allow_null=True)


class PushInput(serializers.Serializer):
    ops = OpInput(many=True, max_length=MAX_OPS_PER_PUSH, allow_empty=True)


class OpResultOutput(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=[str(s) for s in PushStatus])
    code = serializers.CharField(required=False)
    reason = serializers.CharField(required=False)
    server = serializers.JSONField(required=False)


class PushOutput(serializers.Serializer):
    results = OpResultOutput(many=True)
