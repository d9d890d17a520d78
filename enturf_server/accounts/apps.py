from django.apps import AppConfig
from django.db.models.signals import post_migrate

from enturf_server.accounts.roles import Role

ENTURF_APPS = [
    "accounts",
    "audit",
    "catalog",
    "sales",
    "billing",
    "invoicing",
    "ticketing",
    "sync",
    "shifts",
]


def ensure_role_groups(sender, **kwargs) -> None:
    """Create a group per role (admin, manager, employee, door roles, customer) with their model permissions (idempotent).

    Runs after each Enturf app migrates, so permissions of apps migrated later are included.
    """
    if getattr(sender, "label", None) not in ENTURF_APPS:
        return
    from django.contrib.auth.models import Group, Permission

    perms = Permission.objects.filter(content_type__app_label__in=ENTURF_APPS)
    admin, _ = Group.objects.get_or_create(name=Role.ADMIN.value)
    admin.permissions.set(perms)
    employee, _ = Group.objects.get_or_create(name=Role.EMPLOYEE.value)
    employee.permissions.set(
        perms.filter(
            content_type__app_label__in=["catalog", "sales", "billing", "invoicing", "ticketing"]
        ).exclude(codename__startswith="delete_")
    )
    # The newer staff roles' groups carry no model permissions: what they may do through
    # the API is their grant (accounts.rights); the Django admin is for administrators.
    for role in (Role.MANAGER, Role.DOOR_STEWARD, Role.DOOR_SUPERVISOR, Role.CUSTOMER):
        Group.objects.get_or_create(name=role.value)


class AccountsConfig(AppConfig):
    name = "enturf_server.accounts"
    label = "accounts"
    verbose_name = "Accounts, devices and settings"

    def ready(self) -> None:
        post_migrate.connect(ensure_role_groups)
        from enturf_server.accounts import feed  # noqa: F401  (registers `settings`, `user`)
        from enturf_server.api import checks  # noqa: F401  (registers the deployment checks)
