"""`make run`: migrate the demo database, seed the demo once, and serve the API.

Later pieces (gateway simulator, POS window) join here as they land.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enturf_server.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo")
    host = os.environ.get("ENTURF_HOST", "127.0.0.1")
    port = os.environ.get("ENTURF_PORT", "8000")
    print(f"Enturf demo API on http://{host}:{port}/api/v1/ (docs: /api/docs/, admin: /admin/)")
    print("Demo logins: admin / enturf-admin, cashier / enturf-cashier, customer / enturf-customer")
    sys.stdout.flush()
    call_command("runserver", f"{host}:{port}", "--noreload")


if __name__ == "__main__":
    main()
