"""Moving the test database to given migrations, for tests of a data migration."""

from __future__ import annotations


def migrate_to(targets: list[tuple[str, str]]):
    """Migrate to `targets` ((app, migration) pairs); returns the apps as they were then."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps
