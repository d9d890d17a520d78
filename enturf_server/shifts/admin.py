"""Shifts in the Django admin: read-only (they arrive by push), movements inline."""

from __future__ import annotations

from django.contrib import admin

from enturf_server.api.admin_mixins import ReadOnlyAdminMixin
from enturf_server.shifts.models import DrawerMovement, Shift


class DrawerMovementInline(admin.TabularInline):
    model = DrawerMovement
    extra = 0
    can_delete = False
    fields = ["at", "kind", "amount", "reason", "user"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Shift)
class ShiftAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "opened_at",
        "closed_at",
        "device",
        "cashier",
        "state",
        "opening_float",
        "difference",
        "server_difference",
        "approved_by",
        "approval_status",
    ]
    list_filter = ["state", "approval_status", "device"]
    search_fields = ["cashier__username", "device__name"]
    date_hierarchy = "opened_at"
    inlines = [DrawerMovementInline]
