"""Makes the README's screenshot of the manager window's Reports tab on the demo's sold
arena (docs/img/reports-tab.png, 1366x768), from scratch:

    QT_QPA_PLATFORM=offscreen python docs/make_reports_screenshot.py [output.png]

1. a demo server in a temporary folder (SQLite): `migrate`, `seed_demo` (which sells part
   of the demo), `runserver` on a free port;
2. a POS in another temporary folder, registered as the demo counter (DEMO-COUNTER),
   opened through its window flow and logged in as the demo's `admin`, as a manager does;
3. the Reports tab with the best-selling arena show chosen, its sales by day, and its
   pace against the other show that sold; then the window grabbed.

Nothing of the real demo in ./var is touched. With `--occupancy`, the Occupancy page
(the heat map) is shot instead.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img" / "reports-tab.png"
ADMIN = ("admin", "enturf-admin")  # the demo's manager (enturf_demo/seed.py)
ARENA = "Enturf Arena"
SIZE = (1366, 768)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(folder: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "ENTURF_DATA_DIR": str(folder),
        "ENTURF_SECRET_KEY": secrets.token_urlsafe(40),
        "ENTURF_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "enturf_server.settings",
        "ENTURF_DEMO": "1",  # the demo installation: its counter's setup code exists
    }
    env.pop("DATABASE_URL", None)  # SQLite in the temporary folder
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "enturf_server.manage", *args], env=env, check=True, cwd=ROOT
    )


def wait_until_serving(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(f"{url}/api/v1/ticket-keys/", timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the demo server did not start")


def wait(app, until, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not until():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the window")
        app.processEvents()
        time.sleep(0.02)


def shoot(server_url: str, pos_dir: Path, out: Path, *, occupancy: bool) -> None:
    from PySide6.QtWidgets import QApplication

    from enturf_pos.config import PosConfig
    from enturf_pos.services.session import device_service
    from enturf_pos.services.session.pos_context import open_context
    from enturf_pos.ui.app import create_application
    from enturf_pos.ui.window_flow import WindowFlow

    app = create_application()
    ctx = open_context(PosConfig(data_dir=pos_dir, lock_after_seconds=0))
    done = device_service.register_device(
        ctx=ctx, server_url=server_url, setup_code="DEMO-COUNTER", name="Demo counter"
    )
    if not done.ok:
        raise SystemExit(done.message)
    flow = WindowFlow(ctx)
    flow.start()
    login = flow.login_window
    login.username.setText(ADMIN[0])
    login.password.setText(ADMIN[1])
    login.button.click()
    wait(app, lambda: flow.manager_window is not None)
    wait(app, lambda: flow.sync.last_sync is not None and not flow.sync.worker.running)
    window = flow.manager_window
    window.resize(*SIZE)
    window.tabs.setCurrentWidget(window.reports_tab)
    tab = window.reports_tab
    wait(app, lambda: tab.figures is not None and tab._asked is None)

    venue = tab.venue.findText(ARENA)
    if venue >= 0:
        tab.venue.setCurrentIndex(venue)
    # the arena show that sold most, compared with the other show that sold
    sold = tickets_sold(ctx)
    arena = [tab.event_combo.itemData(i) for i in range(1, tab.event_combo.count())]
    if any(sold.get(e) for e in arena):
        best = max(arena, key=lambda e: sold.get(e, 0))
        tab.event_combo.setCurrentIndex(tab.event_combo.findData(best))
        others = [tab.compare.itemData(i) for i in range(1, tab.compare.count())]
        others = [e for e in others if sold.get(e)]
        if others:
            tab.compare.setCurrentIndex(tab.compare.findData(others[0]))
            tab.chart_kind.setCurrentIndex(tab.chart_kind.findData("pace"))
    tab.group_by.setCurrentIndex(tab.group_by.findData("day"))
    tab.refresh()
    wait(app, lambda: tab.figures is not None and tab._asked is None and tab.figures.live)
    wait(app, lambda: tab.figures.filters == tab.filters() and tab._asked is None)
    if occupancy:
        tab.pages.setCurrentIndex(1)
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:  # let the charts and the map lay out
        app.processEvents()
        time.sleep(0.02)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise SystemExit(f"could not write {out}")
    print(f"wrote {out} ({window.width()}x{window.height()})")
    flow.shutdown()
    for widget in QApplication.topLevelWidgets():
        widget.close()
    app.processEvents()
    ctx.close()


def tickets_sold(ctx) -> dict[int, int]:
    """Tickets sold per event, by the server's sales report (grouped by event)."""
    client = ctx.user_client()
    try:
        answer = client.get("api/v1/reports/sales/", params={"group_by": "event"})
    finally:
        client.close()
    return {int(r["key"]): r["tickets"] for r in answer["rows"] if r["key"]}


def main(argv: list[str]) -> None:
    occupancy = "--occupancy" in argv
    paths = [a for a in argv if not a.startswith("--")]
    out = Path(paths[0]) if paths else OUT
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="enturf-shot-") as tmp:
        env = server_env(Path(tmp) / "server")
        Path(env["ENTURF_DATA_DIR"]).mkdir()
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed_demo")
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "enturf_server.manage", "runserver", f"127.0.0.1:{port}",
             "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_until_serving(url, server)
            shoot(url, Path(tmp) / "pos", out, occupancy=occupancy)
        finally:
            server.terminate()
            server.wait(timeout=20)
    # the file is written: leave without Qt's teardown of the finished windows' task pools
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
