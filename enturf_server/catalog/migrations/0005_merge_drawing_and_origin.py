from django.db import migrations


class Migration(migrations.Migration):
    """The seat-map drawing (srvmaps) and the events' and tickets' origin (srvsetup)."""

    dependencies = [
        ("catalog", "0004_event_ticket_origin"),
        ("catalog", "0004_seat_map_drawing"),
    ]

    operations = []
