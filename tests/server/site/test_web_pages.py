"""The server's own web pages (admin, Swagger UI) load their CSS and scripts from the
server itself, with debug off: in the demo (`make run`) and in production (HTTPS on)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser

import pytest
import requests
from support.server_process import ENTURF_SERVER, free_port, running_server


class _Assets(HTMLParser):
    """The URLs a page loads by itself: stylesheets, icons, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("href"):
            self.urls.append(found["href"])
        elif tag in ("script", "img") and found.get("src"):
            self.urls.append(found["src"])


def assert_page_loads_only_local_assets(
    base_url: str, path: str, headers: dict[str, str] | None = None
) -> list[str]:
    page = requests.get(base_url + path, headers=headers, timeout=10, allow_redirects=False)
    assert page.status_code == 200, (path, page.status_code)
    parser = _Assets()
    parser.feed(page.text)
    assert parser.urls, f"{path} loads no stylesheet or script"
    for url in parser.urls:
        assert url.startswith("/static/"), f"{path} loads {url} from elsewhere"
        asset = requests.get(base_url + url, headers=headers, timeout=10, allow_redirects=False)
        assert asset.status_code == 200, (url, asset.status_code)
        assert asset.content
    return parser.urls


def _css(urls: list[str]) -> list[str]:
    return [url for url in urls if url.endswith(".css")]


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """A live server as a venue runs it: debug off, HTTPS on, static files collected."""
    data_dir = tmp_path_factory.mktemp("production")
    subprocess.run(  # before the start, as after an install: WhiteNoise indexes it at start
        [ENTURF_SERVER, "collectstatic", "--noinput", "-v", "0"],
        env={**os.environ, "ENTURF_DATA_DIR": str(data_dir)},
        check=True,
        timeout=120,
    )
    with running_server(
        data_dir, extra_env={"ENTURF_HTTPS": "1", "ENTURF_ALLOWED_HOSTS": "127.0.0.1"}
    ) as server:
        yield server


BEHIND_TLS_PROXY = {"X-Forwarded-Proto": "https"}


def test_production_serves_the_admin_and_swagger_ui_assets_itself(production):
    admin = assert_page_loads_only_local_assets(
        production.base_url, "/admin/login/", BEHIND_TLS_PROXY
    )
    assert "/static/admin/css/base.css" in _css(admin)
    docs = assert_page_loads_only_local_assets(production.base_url, "/api/docs/", BEHIND_TLS_PROXY)
    assert any("swagger-ui" in url for url in _css(docs))
    css = requests.get(
        production.base_url + "/static/admin/css/base.css", headers=BEHIND_TLS_PROXY, timeout=10
    )
    assert css.headers["Content-Type"].startswith("text/css")


def test_production_redirects_to_https_and_sends_hsts_and_secure_cookies(production):
    plain = requests.get(production.base_url + "/admin/login/", allow_redirects=False, timeout=10)
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"https://127.0.0.1:{production.port}/admin/login/"

    secure = requests.get(
        production.base_url + "/admin/login/", headers=BEHIND_TLS_PROXY, timeout=10
    )
    assert secure.status_code == 200
    hsts = secure.headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    csrf_cookie = next(c for c in secure.cookies if c.name == "csrftoken")
    assert csrf_cookie.secure


def test_demo_serves_styled_pages_and_keeps_the_counter_data_where_told(tmp_path):
    """`make run` without a display: server and simulator start, the POS window does not;
    ENTURF_POS_DATA_DIR holds the demo counter's files."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ENTURF_")
        and k not in ("DATABASE_URL", "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    port = free_port()
    env.update(
        ENTURF_DATA_DIR=str(tmp_path / "var"),
        ENTURF_POS_DATA_DIR=str(tmp_path / "counter"),
        ENTURF_PORT=str(port),
        ENTURF_SIM_PORT=str(free_port()),
    )
    log_path = tmp_path / "demo.log"
    with log_path.open("wb") as log:
        demo = subprocess.Popen(
            [sys.executable, "-m", "enturf_demo"],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 240
        while "The POS window is not opened" not in log_path.read_text(errors="replace"):
            assert demo.poll() is None, log_path.read_text(errors="replace")
            assert time.monotonic() < deadline, log_path.read_text(errors="replace")
            time.sleep(0.5)
        output = log_path.read_text(errors="replace")
        assert "needs a display" in output

        base_url = f"http://127.0.0.1:{port}"
        assert "/static/admin/css/base.css" in _css(
            assert_page_loads_only_local_assets(base_url, "/admin/login/")
        )
        assert_page_loads_only_local_assets(base_url, "/api/docs/")

        counter_files = {p.name for p in (tmp_path / "counter").iterdir()}
        assert {"enturf-pos.sqlite3", "printers.ini"} <= counter_files  # database, demo printers
        assert not (tmp_path / "var" / "pos").exists()
    finally:
        demo.send_signal(signal.SIGINT)  # Ctrl+C: the demo stops its server and simulator
        try:
            demo.wait(timeout=30)
        except subprocess.TimeoutExpired:
            demo.kill()
            demo.wait(timeout=10)
