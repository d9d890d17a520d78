"""Input and output shapes of the device endpoints."""

from __future__ import annotations

from rest_framework import serializers

from enturf_server.accounts.device_selectors import device_state
from enturf_server.accounts.models import Device, DeviceDuty


class DeviceOutput(serializers.ModelSerializer):
    state = serializers.SerializerMethodField(
        help_text="pending (setup code not used yet), expired (code expired), active, retired"
    )

    class Meta:
        model = Device
        fields = [
            "id",
            "name",
            "state",
            "duty",
            "reader_id",
            "signing_key_id",
            "created_at",
            "setup_code_expires_at",
            "registered_at",
            "retired_at",
            "last_seen_at",
        ]
        read_only_fields = fields

    def get_state(self, obj: Device) -> str:
        return device_state(obj)


class DeviceCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    reader_id = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="card reader at this counter (default: ENTURF_GATEWAY_READER_ID)",
    )
    duty = serializers.ChoiceField(choices=DeviceDuty.choices, required=False, default="counter")


class DeviceRenameInput(serializers.Serializer):
    """A new name, a new duty (counter | door), or both."""

    name = serializers.CharField(max_length=100, required=False)
    duty = serializers.ChoiceField(choices=DeviceDuty.choices, required=False)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Give a name or a duty (counter or door).")
        return attrs


class DeviceCreateOutput(DeviceOutput):
    setup_code = serializers.CharField(
        help_text="one-time code to type at the counter; shown only now"
    )

    class Meta(DeviceOutput.Meta):
        fields = [*DeviceOutput.Meta.fields, "setup_code"]
        read_only_fields = fields


class DeviceRegisterInput(serializers.Serializer):
    setup_code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    signing_public_key = serializers.CharField(
        max_length=100, help_text="Ed25519 public key: raw 32 bytes, base64url"
    )


class GatewayOutput(serializers.Serializer):
    base_url = serializers.CharField()
    restricted_key = serializers.CharField()
    reader_id = serializers.CharField(allow_blank=True)


class DeviceRegisterOutput(serializers.Serializer):
    device_id = serializers.IntegerField()
    name = serializers.CharField()
    device_token = serializers.CharField(help_text="shown once; send as X-Enturf-Device")
    duty = serializers.CharField(help_text="counter or door: which window the device opens")
    signing_key_id = serializers.CharField()
    gateway = GatewayOutput()
