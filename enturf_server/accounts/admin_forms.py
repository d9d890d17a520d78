"""The Django admin's user forms, under the staff API's rules: the form asks
`check_staff_changes` for what it would save, so a refusal is an error on the form."""

from __future__ import annotations

from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError

from enturf_server.accounts.models import User
from enturf_server.accounts.roles import Role
from enturf_server.accounts.services import StaffState
from enturf_server.accounts.staff_guards import StaffChange, check_staff_changes
from enturf_server.api.errors import ServiceError


def _checked(actor: User, change: StaffChange) -> None:
    try:
        check_staff_changes(actor, [change])
    except ServiceError as exc:
        raise ValidationError(exc.message, code=exc.code) from None


class StaffCreationForm(AdminUserCreationForm):
    actor: User  # set per request by UserAdmin.get_form

    def clean(self):
        cleaned = super().clean()
        _checked(self.actor, StaffChange(None, role=Role(cleaned.get("role", Role.CUSTOMER))))
        return cleaned


class StaffChangeForm(UserChangeForm):
    actor: User  # set per request by UserAdmin.get_form
    staff_before: StaffState  # the user as they were, for UserAdmin.save_related

    def clean(self):
        cleaned = super().clean()
        # read locked in the admin's transaction: the rules' answer holds until it commits
        user = User.objects.select_for_update().get(pk=self.instance.pk)
        self.staff_before = StaffState.of(user)
        role = Role(cleaned.get("role", user.role))
        if cleaned.get("is_superuser", user.is_superuser) and role != Role.ADMIN:
            raise ValidationError(
                {
                    "is_superuser": "A superuser is an administrator: set the role to "
                    "Administrator, or clear the superuser status."
                },
                code="superuser_not_admin",
            )
        deactivate = user.is_active and not cleaned.get("is_active", user.is_active)
        _checked(self.actor, StaffChange(user, role=role, deactivate=deactivate))
        return cleaned
