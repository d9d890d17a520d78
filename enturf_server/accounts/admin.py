from django.contrib import admin, messages
from django.contrib.admin import actions as admin_actions
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect

from enturf_server.accounts import services
from enturf_server.accounts.admin_forms import StaffChangeForm, StaffCreationForm
from enturf_server.accounts.models import (
    ApiToken,
    Approval,
    ApprovalKey,
    Device,
    RoleGrant,
    SiteSettings,
    User,
)
from enturf_server.accounts.staff_guards import StaffChange, check_staff_changes
from enturf_server.accounts.throttles import login_wait
from enturf_server.api.admin_mixins import ReadOnlyAdminMixin
from enturf_server.api.errors import ServiceError
from enturf_server.api.rate_limits import RateStoreUnavailable
from enturf_server.sync import changes


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
    """Users under the staff API's rules (accounts.staff_guards): a refused change is an
    error on the form or a message on the page; a saved one is audited, ends sessions and
    reaches the counters as the API's does (accounts.services)."""

    form = StaffChangeForm
    add_form = StaffCreationForm
    list_display = ["username", "email", "role", "is_active", "is_superuser", "last_login"]
    list_filter = ["role", "is_active"]
    fieldsets = [*BaseUserAdmin.fieldsets, ("Enturf", {"fields": ["role"]})]
    readonly_fields = ["is_staff"]  # follows the role (services.set_role)
    actions = ["deactivate_selected", "reactivate_selected", "delete_selected"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user  # a class made for this request (modelform_factory)
        return form

    def save_related(self, request, form, formsets, change):
        # The form's groups are saved here; the role decides the role group, so apply it last.
        super().save_related(request, form, formsets, change)
        services.save_user_from_admin(
            user=form.instance,
            actor=request.user,
            before=form.staff_before if change else None,
            fields=set(form.changed_data) - {"role", "is_active"},
        )

    def _refused(self, request, changes: list[StaffChange]) -> bool:
        """Ask the staff rules; a refusal becomes the page's error message."""
        try:
            with transaction.atomic():
                check_staff_changes(request.user, changes)
        except ServiceError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return True
        return False

    def delete_view(self, request, object_id, extra_context=None):
        user = self.get_object(request, unquote(object_id))
        if user is not None and self._refused(request, [StaffChange(user, delete=True)]):
            return redirect("admin:accounts_user_change", user.pk)
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        services.delete_users(users=[obj], actor=request.user)

    def delete_queryset(self, request, queryset):
        services.delete_users(users=list(queryset), actor=request.user)

    @admin.action(description="Delete selected users", permissions=["delete"])
    def delete_selected(self, request, queryset):
        if self._refused(request, [StaffChange(u, delete=True) for u in queryset]):
            return None
        return admin_actions.delete_selected(
            self, request, queryset
        )  # Django's confirmation, then delete

    @admin.action(
        description="Deactivate selected users (ends their sessions)", permissions=["change"]
    )
    def deactivate_selected(self, request, queryset):
        self._set_active(request, queryset, active=False)

    @admin.action(description="Reactivate selected users", permissions=["change"])
    def reactivate_selected(self, request, queryset):
        self._set_active(request, queryset, active=True)

    def _set_active(self, request, queryset, *, active: bool) -> None:
        """All or none: one refusal (yourself, the last administrator) changes nobody."""
        users = list(queryset.order_by("pk"))
        try:
            with changes.atomic():
                for user in users:
                    services.update_user(user=user, actor=request.user, is_active=active)
        except ServiceError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        done = "Reactivated" if active else "Deactivated"
        self.message_user(request, f"{done} {len(users)} user(s).", messages.SUCCESS)

    def user_change_password(self, request, id, form_url=""):
        """A password set here is a reset as the API's: sessions end, approval keys are
        revoked, audited `staff.password_reset`."""
        user = self.get_object(request, unquote(id))
        if user is None or request.method != "POST":
            return super().user_change_password(request, id, form_url)
        if self._refused(request, [StaffChange(user)]):
            return redirect("admin:accounts_user_change", user.pk)
        before = services.StaffState.of(user)
        with changes.atomic():  # the new password and what follows from it, together
            response = super().user_change_password(request, id, form_url)
            saved = User.objects.get(pk=user.pk)
            if saved.password != user.password:
                services.staff_changed(
                    user=saved, actor=request.user, before=before, password_changed=True
                )
        return response


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
