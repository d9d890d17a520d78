from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from enturf_server.accounts.models import ApiToken, Device, SiteSettings, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    fieldsets = [*BaseUserAdmin.fieldsets, ("Enturf", {"fields": ["role"]})]

    def save_model(self, request, obj, form, change):
        from enturf_server.accounts.roles import Role
        from enturf_server.accounts.services import set_role

        super().save_model(request, obj, form, change)
        set_role(obj, Role(obj.role))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "device"]
    readonly_fields = ["digest", "user", "created_at", "device"]


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at", "registered_at", "retired_at"]
    readonly_fields = ["setup_code_digest", "token_digest", "signing_public_key"]


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
