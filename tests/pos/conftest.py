"""POS fixtures: offscreen Qt, an in-memory keyring, a fresh local database per test, and
the real server (one subprocess per session) behind a fault-injecting proxy per test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from support.artifacts import ARTIFACTS
from support.card_support import GatewayView
from support.memory_keyring import MemoryKeyring
from support.server_process import ServerProcess, card_gateway_env, running_server
from support.sync_support import AdminApi, log_in_online, open_counter, register
from support.tcp_proxy import TcpProxy

from enturf_pos.config import PosConfig
from enturf_pos.services.session import device_service
from enturf_pos.services.session.pos_context import PosContext, open_context
from gateway_sim.testing import SimulatorHandle, start_simulator


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets an empty in-memory keyring (no system keyring is touched)."""
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """No usable keyring backend at all, as on a bare Linux box."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def pos_config(tmp_path: Path) -> PosConfig:
    return PosConfig(
        data_dir=tmp_path / "pos-data", lock_after_seconds=0, ping_interval_seconds=0.3
    )


@pytest.fixture
def ctx(pos_config: PosConfig) -> Iterator[PosContext]:
    context = open_context(pos_config)
    yield context
    context.close()


@pytest.fixture(scope="session")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorHandle]:
    """The card-gateway simulator (in this process, over HTTP) the server and counters use."""
    sim = start_simulator(db_path=tmp_path_factory.mktemp("gateway") / "gateway.sqlite3")
    yield sim
    sim.stop()


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory, gateway: SimulatorHandle
) -> Iterator[ServerProcess]:
    with running_server(
        tmp_path_factory.mktemp("server"), extra_env=card_gateway_env(gateway)
    ) as process:
        yield process


@pytest.fixture
def proxy(server: ServerProcess) -> Iterator[TcpProxy]:
    with TcpProxy(upstream_port=server.port) as tcp_proxy:
        yield tcp_proxy


@pytest.fixture
def registered(ctx: PosContext, server: ServerProcess, proxy: TcpProxy) -> PosContext:
    """`ctx`, registered with the server through the proxy (a new device per test)."""
    _device_id, code = server.new_setup_code("Test counter")
    result = device_service.register_device(
        ctx=ctx, server_url=proxy.base_url, setup_code=code, name="Test counter"
    )
    assert result.ok, result.message
    return ctx


@pytest.fixture(scope="session")
def api(server: ServerProcess) -> AdminApi:
    """The server's API as its admin (straight, not through the proxy)."""
    return AdminApi(server)


@pytest.fixture
def new_counter(tmp_path: Path, server: ServerProcess, proxy: TcpProxy):
    """Makes counters: each with its own local database, registered through the proxy
    and logged in online (as the admin unless another username is given); closed after
    the test."""
    made: list[PosContext] = []

    def make(name: str, username: str = "admin") -> PosContext:
        folder = tmp_path / f"counter-{len(made)}"
        ctx = register(open_counter(folder), server, proxy.base_url, name)
        log_in_online(ctx, username)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


NewCounter = Callable[..., PosContext]


@pytest.fixture
def sim(gateway: SimulatorHandle) -> Iterator[GatewayView]:
    """The card gateway as the tests check money against it (secret key), its reader idle
    before and after the test."""
    view = GatewayView(gateway.url, gateway.secret_key, gateway.reader_id)
    view.idle_reader()
    yield view
    view.idle_reader()
    view.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
