from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError

from enturf_server.accounts import services
from enturf_server.accounts.models import (
    ApiToken,
    Approval,
    ApprovalKey,
    Device,
    RoleGrant,
    SiteSettings,
    User,
)
from enturf_server.accounts.throttles import login_wait
from enturf_server.api.admin_mixins import ReadOnlyAdminMixin
from enturf_server.api.rate_limits import RateStoreUnavailable


class LockoutAdminLoginForm(AdminAuthenticationForm):
    """The admin site's login, counted against the API login's lockout (per user name and
    per client address): the admin is no way around it."""

    def clean(self):
        try:
            wait = login_wait(self.request, self.cleaned_data.get("username"))
        except RateStoreUnavailable as exc:
            raise ValidationError(exc.message, code=exc.code) from None
        if wait:
            raise ValidationError(
                f"Too many login attempts. Try again in {wait} seconds.", code="throttled"
            )
        return super().clean()


admin.site.login_form = LockoutAdminLoginForm


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    fieldsets = [*BaseUserAdmin.fieldsets, ("Enturf", {"fields": ["role"]})]

    def save_related(self, request, form, formsets, change):
        # The form's groups are saved here; the role decides the role group, so apply it last.
        super().save_related(request, form, formsets, change)
        services.save_user_from_admin(
            user=form.instance,
            actor=request.user,
            created=not change,
            was_counter_user=getattr(form.instance, "_was_counter_user", False),
        )

    def save_model(self, request, obj, form, change):
        obj._was_counter_user = change and services.is_counter_user(User.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)


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

    def save_model(self, request, obj, form, change):
        services.save_site_settings(site=obj, actor=request.user, changed=form.changed_data)


@admin.register(ApprovalKey)
class ApprovalKeyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Approval keys are registered by counters and revoked by a password change."""

    list_display = ["key_id", "user", "device", "created_at", "revoked_at"]
    list_filter = ["device"]
    search_fields = ["user__username", "key_id"]


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "subject", "approver", "device", "figures"]
    list_filter = ["kind", "device"]
    search_fields = ["subject", "approver__username"]


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Role grants change through `PUT /api/v1/roles/{role}/` (audited, sent to counters)."""

    list_display = ["role", "rights", "refund_limit_cents", "version", "updated_at"]
