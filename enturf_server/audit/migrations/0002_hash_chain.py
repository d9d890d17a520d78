"""The audit trail becomes a hash chain: names of actor and device recorded with each
entry, `prev_hash` and `hash`, the chain head; the entries already there are chained in
id order (the order they were written in)."""

import django.utils.timezone
from django.db import migrations, models

from enturf_server.audit.hashing import GENESIS, entry_hash, normal_details



def chain_existing(apps, schema_editor):
    Entry = apps.get_model("audit", "AuditEntry")
    Head = apps.get_model("audit", "AuditChainHead")
    User = apps.get_model("accounts", "User")
    Device = apps.get_model("accounts", "Device")
    users = dict(User.objects.values_list("id", "username"))
    devices = dict(Device.objects.values_list("id", "name"))
    prev, last_id, count, batch = GENESIS, 0, 0, []
    for entry in Entry.objects.order_by("id").iterator(chunk_size=2000):
        entry.actor_name = users.get(entry.actor_id, "")
        entry.device_name = devices.get(entry.device_id, "")
        entry.details = normal_details(entry.details)
        entry.prev_hash = prev
        entry.hash = prev = entry_hash(
            prev_hash=prev,
            at=entry.at,
            actor_name=entry.actor_name,
            device_name=entry.device_name,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            details=entry.details,
        )
        last_id, count = entry.id, count + 1
        batch.append(entry)
        if len(batch) >= 2000:
            Entry.objects.bulk_update(
                batch, ["actor_name", "device_name", "details", "prev_hash", "hash"]
            )
            batch = []
    if batch:
        Entry.objects.bulk_update(
            batch, ["actor_name", "device_name", "details", "prev_hash", "hash"]
        )
    Head.objects.update_or_create(
        pk=1, defaults={"last_id": last_id, "last_hash": prev, "length": count}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("last_id", models.BigIntegerField(default=0)),
                ("last_hash", models.CharField(default=GENESIS, max_length=64)),
                ("length", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="actor_name",
            field=models.CharField(blank=True, default="", max_length=150),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="device_name",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(default=GENESIS, max_length=64),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(db_index=True, default="", max_length=64),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop, elidable=False),
    ]
