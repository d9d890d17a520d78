"""Door scans and check-in lists in the Django admin: scans read-only (they come from the
doors), lists read-only too (the API and the back office change them, with the feed)."""

from __future__ import annotations

from django.contrib import admin

from enturf_server.api.admin_mixins import ReadOnlyAdminMixin
from enturf_server.checkins.models import CheckinList, CheckinRecord


@admin.register(CheckinList)
class CheckinListAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "event", "exits", "reentry", "starts_at", "ends_at", "is_default"]
    list_filter = ["event"]


@admin.register(CheckinRecord)
class CheckinRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "scanned_at",
        "event",
        "checkin_list",
        "gate",
        "kind",
        "verdict",
        "server_verdict",
        "double_entry",
        "device",
        "user",
        "override_by",
        "offline",
    ]
    list_filter = ["verdict", "double_entry", "kind", "offline", "event"]
    search_fields = ["gate", "line_ref", "override_reason"]
    date_hierarchy = "scanned_at"
