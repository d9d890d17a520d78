"""Staff roles (issue 16): manager and the door roles, and each staff role's grant
(`RoleGrant`) seeded from `enturf_core.staff_rights.DEFAULT_GRANTS`."""

from django.db import migrations, models

STAFF_ROLE_CHOICES = [
    ("admin", "Administrator"),
    ("manager", "Box-office manager"),
    ("employee", "Cashier"),
    ("door_steward", "Door steward"),
    ("door_supervisor", "Door supervisor"),
]


def seed_grants(apps, schema_editor):
    # The grants as they are when this migration was written: later edits of DEFAULT_GRANTS
    # do not rewrite what an installation already has.
    from enturf_core.staff_rights import DEFAULT_GRANTS

    RoleGrant = apps.get_model("accounts", "RoleGrant")
    for role, grant in DEFAULT_GRANTS.items():
        RoleGrant.objects.get_or_create(
            role=role.value,
            defaults={
                "rights": sorted(r.value for r in grant.rights),
                "refund_limit_cents": grant.refund_limit_cents,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_device_duty"),
    ]

    operations = [
        migrations.CreateModel(
            name="RoleGrant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(choices=STAFF_ROLE_CHOICES, max_length=16, unique=True),
                ),
                (
                    "rights",
                    models.JSONField(
                        default=list, help_text="Right values (enturf_core.staff_rights)"
                    ),
                ),
                (
                    "refund_limit_cents",
                    models.PositiveBigIntegerField(
                        blank=True,
                        help_text="caps one refund per booking; empty: no cap of its own",
                        null=True,
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[*STAFF_ROLE_CHOICES, ("customer", "Customer")],
                db_index=True,
                default="customer",
                max_length=16,
            ),
        ),
        migrations.RunPython(seed_grants, migrations.RunPython.noop),
    ]
