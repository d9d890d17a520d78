"""Every event that is not over and has no check-in list gets its default "All tickets"
list, announced in the change feed, so doors of an installation upgraded to check-in can
scan tickets sold before (later events get theirs when first needed: docs/checkin.md)."""

from datetime import timedelta

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

OVER_AFTER = timedelta(hours=12)  # checkins.feed.OVER_AFTER, as of this migration


def default_lists(apps, schema_editor):
    Event = apps.get_model("catalog", "Event")
    CheckinList = apps.get_model("checkins", "CheckinList")
    ChangeLogEntry = apps.get_model("sync", "ChangeLogEntry")
    cutoff = timezone.now() - OVER_AFTER
    live = Q(ends_at__gte=cutoff) | Q(ends_at__isnull=True, starts_at__gte=cutoff)
    for event in Event.objects.filter(live).exclude(checkin_lists__isnull=False):
        row = CheckinList.objects.create(event=event, name="All tickets", is_default=True)
        data = {
            "id": row.pk,
            "event": event.pk,
            "name": row.name,
            "tickets": [],
            "gates": [],
            "exits": False,
            "reentry": False,
            "starts_at": None,
            "ends_at": None,
            "version": row.version,
        }
        ChangeLogEntry.objects.create(
            entity="checkin_list", entity_id=str(row.pk), version=row.version, op="upsert", data=data
        )


class Migration(migrations.Migration):
    dependencies = [
        ("checkins", "0001_initial"),
        ("sync", "0002_horizon_processed_op"),
    ]

    operations = [migrations.RunPython(default_lists, migrations.RunPython.noop)]
