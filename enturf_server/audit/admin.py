from django.contrib import admin

from enturf_server.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is appended by the services and never edited (a hash chain,
    `audit.chain`; `enturf-server verify_audit` checks it)."""

    list_display = ["at", "actor_name", "device_name", "action", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["object_id", "actor_name", "action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    actions = None  # not even the bulk "delete selected"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
