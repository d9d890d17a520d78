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
    """Create the admin / employee / customer groups with their model permissions (idempotent).

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
    Group.objects.get_or_create(name=Role.CUSTOMER.value)


class AccountsConfig(AppConfig):
    name = "enturf_server.accounts"
    label = "accounts"
    verbose_name = "Accounts, devices and settings"

    def ready(self) -> None:
        post_migrate.connect(ensure_role_groups)
        from enturf_server.accounts import feed  # noqa: F401  (registers `settings`, `user`)
        from enturf_server.api import checks  # noqa: F401  (registers the deployment checks)
