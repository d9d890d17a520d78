"""`make run`: the whole demo on one machine.

1. migrates the demo database (SQLite in ./var) and seeds the demo once;
2. starts the card-gateway simulator on 127.0.0.1:12111 (webhooks to the server);
3. serves the API on 127.0.0.1:8000.

Later pieces (the POS window) join here as they land. Ctrl+C stops everything.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SIM_PORT = int(os.environ.get("ENTURF_SIM_PORT", "12111"))


def start_gateway_simulator(data_dir: Path, server_url: str) -> subprocess.Popen:
    sim_dir = data_dir / "gateway_sim"
    sim_dir.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gateway_sim",
            "--port",
            str(SIM_PORT),
            "--db",
            str(sim_dir / "gateway.sqlite3"),
            "--webhook-url",
            f"{server_url}/api/v1/webhooks/gateway/",
            "--auto-approve-delay",
            os.environ.get("ENTURF_DEMO_AUTO_APPROVE", "3"),
        ]
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enturf_server.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo")
    host = os.environ.get("ENTURF_HOST", "127.0.0.1")
    port = os.environ.get("ENTURF_PORT", "8000")
    server_url = f"http://{host}:{port}"
    simulator = start_gateway_simulator(Path(settings.DATA_DIR), server_url)
    print(f"Enturf demo API on {server_url}/api/v1/ (docs: /api/docs/, admin: /admin/)")
    print(f"Card-gateway simulator on http://127.0.0.1:{SIM_PORT}/ (readers approve by themselves)")
    print("Demo logins: admin / enturf-admin, cashier / enturf-cashier, customer / enturf-customer")
    from enturf_server.catalog.demo_seed import DEMO_COUNTER_SETUP_CODE

    print(
        f"Demo counter setup code: {DEMO_COUNTER_SETUP_CODE} (theatre stalls' back row allocated)"
    )
    sys.stdout.flush()
    try:
        call_command("runserver", f"{host}:{port}", "--noreload")
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)


if __name__ == "__main__":
    main()
