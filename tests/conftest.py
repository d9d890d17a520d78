"""Fixtures shared by the whole suite. PostgreSQL-only tests import `requires_postgres`
from `support.databases` (tests/ is on sys.path; `conftest` modules shadow each other)."""
