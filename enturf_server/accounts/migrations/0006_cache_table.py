# The database cache's table (throttle and lockout counts when there is no Redis), made by
# `migrate` like every other table: see enturf_server/api/cache.py.

from django.db import migrations

from enturf_server.api.cache import create_table, drop_table


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_site_settings_bounds"),
    ]

    operations = [migrations.RunPython(create_table, drop_table)]
