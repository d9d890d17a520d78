"""The database cache, for installations without Redis: Django's, with an `incr` that
counts exactly when several workers or hosts count the same key (throttles).

Django's `DatabaseCache.incr` reads, adds and writes the value back with the default
timeout: two workers counting at once both write n + 1, and the key's expiry moves.
Here the row is locked (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite transactions
already begin `IMMEDIATE`, one writer at a time) and only its value is rewritten.

The table (`TABLE`) is created by the accounts app's migration, so `migrate` (the demo,
a deployment) makes it; no separate `createcachetable` step.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction

TABLE = "enturf_cache"

_MISSING = object()


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        db_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT 1 FROM {table} WHERE {quote('cache_key')} = %s FOR UPDATE",
                        [db_key],
                    )
            value = self.get(key, _MISSING, version=version)  # honours the expiry
            if value is _MISSING:
                raise ValueError(f"Key '{key}' not found.")
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s",
                    [encoded, db_key],
                )
        return value


def create_table(apps, schema_editor) -> None:
    """Migration step: the cache table on the migrated database (whatever CACHES says now:
    an installation may move from Redis to the database cache later)."""
    from django.core.management.commands.createcachetable import Command

    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")
