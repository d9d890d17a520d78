from rest_framework import serializers

from enturf_server.audit.models import AuditEntry

EXPORT_COLUMNS = (
    "id",
    "at",
    "actor",
    "actor_name",
    "device",
    "device_name",
    "action",
    "object_type",
    "object_id",
    "details",
    "hash",
)


class AuditEntryOutput(serializers.ModelSerializer):
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    device = serializers.IntegerField(source="device_id", allow_null=True)

    class Meta:
        model = AuditEntry
        fields = [*EXPORT_COLUMNS, "prev_hash"]
        read_only_fields = fields


class AuditVerdictOutput(serializers.Serializer):
    ok = serializers.BooleanField()
    checked = serializers.IntegerField(help_text="entries checked")
    broken_id = serializers.IntegerField(allow_null=True, help_text="first entry that breaks it")
    reason = serializers.CharField(allow_blank=True)
