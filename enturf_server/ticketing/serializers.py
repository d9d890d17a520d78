"""Input and output shapes of the ticketing API."""

from __future__ import annotations

from rest_framework import serializers

from enturf_core.ticket_codes import MAX_CODE_LENGTH


class VerifyInput(serializers.Serializer):
    code = serializers.CharField(max_length=MAX_CODE_LENGTH, trim_whitespace=True)


class TicketKeyOutput(serializers.Serializer):
    key_id = serializers.CharField()
    public_key = serializers.CharField(help_text="raw Ed25519 public key, base64url")
    owner = serializers.CharField(help_text='"server" or "device:<id>"')
    retired_at = serializers.DateTimeField(allow_null=True)


class TicketKeysOutput(serializers.Serializer):
    keys = TicketKeyOutput(many=True)


class VerifyOutput(serializers.Serializer):
    valid = serializers.BooleanField()
    reason = serializers.CharField(required=False)
    message = serializers.CharField()
    signed_by = serializers.CharField(allow_null=True)
    line = serializers.DictField(allow_null=True)
