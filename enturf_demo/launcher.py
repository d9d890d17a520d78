"""`make run` (`python -m enturf_demo`): the whole demo on one machine.

1. migrates the demo database (SQLite in ./var) and seeds the demo once, the demo sales'
   card payments into the simulator's file (./var/gateway_sim);
2. starts the card-gateway simulator on 127.0.0.1:12111 on that file (webhooks to the
   server);
3. serves the API on 127.0.0.1:8000;
4. opens the POS (registered as the demo counter with the setup code DEMO-COUNTER), its
   local database in ENTURF_POS_DATA_DIR when set, else ./var/pos;
5. with ENTURF_DEMO_DOOR=1, opens a second POS as the demo door (setup code DEMO-DOOR,
   on door duty: it opens the scanning window), its local database in ./var/door.

The server runs without debug, as in production: it serves the admin's CSS and Swagger UI
itself (collected into ./var/static on each start).

Server, simulator and POS run as their own programs; this launcher imports the POS only to
write the demo counter's PDF printer settings and to ask whether a POS window can open here,
and the server's seed once Django is set up (the settings are chosen in `main`).
Ctrl+C stops everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from enturf_pos.qt_platform import display_problem
from enturf_pos.ui.printing.settings import (
    SETTINGS_FILE,
    PrinterSettings,
    PrintTarget,
    TargetKind,
    save_settings,
)

SIM_PORT = int(os.environ.get("ENTURF_SIM_PORT", "12111"))


def gateway_db(data_dir: Path) -> Path:
    """The simulator's SQLite file: the seed makes the demo sales' card payments in it."""
    return data_dir / "gateway_sim" / "gateway.sqlite3"


def start_gateway_simulator(data_dir: Path, server_url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gateway_sim",
            "--port",
            str(SIM_PORT),
            "--db",
            str(gateway_db(data_dir)),
            "--webhook-url",
            f"{server_url}/api/v1/webhooks/gateway/",
            "--auto-approve-delay",
            os.environ.get("ENTURF_DEMO_AUTO_APPROVE", "3"),
        ]
    )


def start_server(host: str, port: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "enturf_server.manage", "runserver", f"{host}:{port}", "--noreload"]
    )


def wait_until_serving(url: str, process: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(f"{url}/api/v1/ticket-keys/", timeout=2).close()
            return True
        except urllib.error.HTTPError:
            return True  # it answers
        except OSError:
            time.sleep(0.3)
    return False


def pos_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "enturf_pos", *args]


def check_says_registered(stdout: bytes) -> bool:
    """Whether `enturf-pos --check`'s JSON line says the counter's credentials are at hand."""
    for line in stdout.decode(errors="replace").splitlines():
        if line.startswith("{"):
            return json.loads(line).get("registered") is True
    return False


def prepare_demo_counter(pos_dir: Path) -> None:
    """Without a system keyring the POS forgets its device token between runs: give the
    demo setup code a fresh demo counter so this run can register again."""
    from enturf_demo.seed import rearm_demo_counter  # Django models: only after django.setup()

    check = subprocess.run(
        pos_command("--data-dir", str(pos_dir), "--check"),
        env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
        capture_output=True,
    )
    if not check_says_registered(check.stdout) and rearm_demo_counter():
        print("The demo counter's credentials were not kept (no system keyring): re-armed.")
    demo_printers(pos_dir)


def demo_printers(pos_dir: Path) -> None:
    """The demo counter "prints" receipts, tickets and reports as PDF files into
    `var/pos/prints/` (set once; the counter's Printers… dialog changes it)."""
    if (pos_dir / SETTINGS_FILE).exists():
        return
    folder = pos_dir / "prints"
    folder.mkdir(parents=True, exist_ok=True)
    pdf = PrintTarget(kind=TargetKind.PDF, folder=str(folder))
    save_settings(pos_dir, PrinterSettings(receipt=pdf, tickets=pdf, report=pdf))


def prepare_demo_door(door_dir: Path) -> None:
    """As `prepare_demo_counter`, for the demo door (`ENTURF_DEMO_DOOR=1`)."""
    from enturf_demo.seed import rearm_demo_door  # Django models: only after django.setup()

    check = subprocess.run(
        pos_command("--data-dir", str(door_dir), "--check"),
        env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
        capture_output=True,
    )
    if check.returncode != 0 and rearm_demo_door():
        print("The demo door's credentials were not kept (no system keyring): re-armed.")


def demo_pos_dir(data_dir: Path) -> Path:
    """The demo counter's local database folder: ENTURF_POS_DATA_DIR when set, as for
    `enturf-pos` itself, else `pos/` in the server's data folder (./var/pos)."""
    if env := os.environ.get("ENTURF_POS_DATA_DIR"):
        return Path(env).expanduser()
    return data_dir / "pos"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enturf_server.settings")
    os.environ["ENTURF_DEMO"] = "1"  # this is the demo installation (its fixed counter code)
    # counters registered by the demo pay through the simulator started below
    os.environ.setdefault("ENTURF_GATEWAY_URL", f"http://127.0.0.1:{SIM_PORT}")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    from enturf_demo.seed import DEMO_COUNTER_SETUP_CODE, DEMO_DOOR_NAME
    from enturf_server.accounts.device_services import DEMO_DOOR_SETUP_CODE

    data_dir = Path(settings.DATA_DIR)
    call_command("migrate", interactive=False, verbosity=0)
    # the seeded sales' card payments go into the simulator's file, started on it below
    call_command("seed_demo", gateway_db=str(gateway_db(data_dir)))
    # the admin's CSS and Swagger UI, served by the server itself (WhiteNoise, no CDN)
    call_command("collectstatic", interactive=False, verbosity=0)
    host = os.environ.get("ENTURF_HOST", "127.0.0.1")
    port = os.environ.get("ENTURF_PORT", "8000")
    server_url = f"http://{host}:{port}"
    pos_dir = demo_pos_dir(data_dir)
    prepare_demo_counter(pos_dir)
    door_dir = data_dir / "door"
    with_door = os.environ.get("ENTURF_DEMO_DOOR") == "1"
    if with_door:
        prepare_demo_door(door_dir)

    children = [start_gateway_simulator(data_dir, server_url)]
    server = start_server(host, port)
    children.append(server)
    try:
        if not wait_until_serving(server_url, server):
            print("The demo server did not start; see the messages above.", file=sys.stderr)
            sys.exit(1)
        print(f"Enturf demo API on {server_url}/api/v1/ (docs: /api/docs/, admin: /admin/)")
        print(
            f"Card-gateway simulator on http://127.0.0.1:{SIM_PORT}/ (readers approve by themselves)"
        )
        print(
            "Demo logins: admin / enturf-admin, manager / enturf-manager, cashier / enturf-cashier, customer / enturf-customer"
        )
        print(
            f"Demo door setup code: {DEMO_DOOR_SETUP_CODE} (logins door / enturf-door, "
            "supervisor / enturf-supervisor; ENTURF_DEMO_DOOR=1 opens it too)"
        )
        print(
            f"Demo counter setup code: {DEMO_COUNTER_SETUP_CODE} (theatre stalls' back row allocated)"
        )
        # why the POS window cannot open here (no display, a missing system library), or None
        if (problem := display_problem()) is None:
            children.append(
                subprocess.Popen(
                    pos_command(
                        "--data-dir",
                        str(pos_dir),
                        "--server",
                        server_url,
                        "--setup-code",
                        DEMO_COUNTER_SETUP_CODE,
                        "--name",
                        "Demo counter",
                    )
                )
            )
            print(
                "The POS window is opening (log in as cashier or admin); receipts and "
                f"tickets print as PDF files into {pos_dir / 'prints'}"
            )
            if with_door:
                children.append(
                    subprocess.Popen(
                        pos_command(
                            "--data-dir",
                            str(door_dir),
                            "--server",
                            server_url,
                            "--setup-code",
                            DEMO_DOOR_SETUP_CODE,
                            "--name",
                            DEMO_DOOR_NAME,
                        )
                    )
                )
                print(
                    "The demo door is opening (log in as door / enturf-door, or supervisor "
                    "/ enturf-supervisor to override a refusal)"
                )
        else:
            print(f"The POS window is not opened. {problem}")
        sys.stdout.flush()
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for child in reversed(children):
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


if __name__ == "__main__":
    main()
