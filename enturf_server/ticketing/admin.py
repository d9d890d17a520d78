"""The server's ticket-signing keys in the Django admin (read-only; devices' keys are on
the devices' pages)."""

from __future__ import annotations

from django.contrib import admin

from enturf_server.api.admin_mixins import ReadOnlyAdminMixin
from enturf_server.ticketing.models import ServerSigningKey


@admin.register(ServerSigningKey)
class ServerSigningKeyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["key_id", "created_at", "retired_at", "public_key"]
    readonly_fields = ["key_id", "public_key", "created_at", "retired_at"]
