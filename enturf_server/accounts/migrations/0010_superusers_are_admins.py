"""The role decides the Django flags (accounts.services.set_role): a superuser has the admin
role (and its group), `is_staff` is set for administrators only. Rows from before the rule
(`createsuperuser` left the role `customer`) are brought in line."""

from django.db import migrations

import enturf_server.accounts.models

ROLE_GROUPS = ["admin", "manager", "employee", "door_steward", "door_supervisor", "customer"]


def superusers_are_admins(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Group = apps.get_model("auth", "Group")
    promoted = list(User.objects.filter(is_superuser=True).exclude(role="admin"))
    if promoted:
        admin_group, _ = Group.objects.get_or_create(name="admin")
        others = Group.objects.filter(name__in=ROLE_GROUPS).exclude(pk=admin_group.pk)
        for user in promoted:
            user.groups.remove(*others)
            user.groups.add(admin_group)
        User.objects.filter(pk__in=[u.pk for u in promoted]).update(role="admin")
    User.objects.filter(role="admin").update(is_staff=True)
    User.objects.exclude(role="admin").update(is_staff=False)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0009_staff_roles")]

    operations = [
        migrations.AlterModelManagers(
            name="user",
            managers=[("objects", enturf_server.accounts.models.StaffUserManager())],
        ),
        migrations.RunPython(superusers_are_admins, migrations.RunPython.noop),
    ]
