"""The app driven like a user (pytest-qt, offscreen) against the real server via the proxy."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget
from support.pos_windows import WAIT, close, log_in, make_flow
from support.server_process import USERS

from enturf_pos.models import Event, SeatStatus, Ticket, Venue
from enturf_pos.services.session import auth_service
from enturf_pos.services.session.pos_context import open_context
from enturf_pos.services.session.secret_store import Secret
from enturf_pos.ui.window_flow import WindowFlow


@pytest.fixture
def flow(registered, qtbot) -> Iterator[WindowFlow]:
    flow = make_flow(registered, qtbot)
    yield flow
    close(flow)


def add_programme(ctx) -> None:
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    with ctx.db.transaction() as s:
        s.add(Venue(id=1, name="Grand Theatre"))
        shows = [
            ("Hamlet", 1, "on_sale"),
            ("The Magic Flute", 2, "on_sale"),
            ("Swan Lake", 4, "draft"),
            ("Jazz at Midnight", 6, "on_sale"),
        ]
        for event_id, (name, days, state) in enumerate(shows, start=1):
            s.add(
                Event(
                    id=event_id,
                    seat_map_id=1,
                    venue_id=1,
                    name=name,
                    starts_at=now + timedelta(days=days, hours=2),
                    state=state,
                    version=1,
                )
            )
            s.add(
                SeatStatus(event_id=event_id, seats={str(i): "sold" for i in range(event_id * 7)})
            )
        s.add(
            Event(
                id=9,
                seat_map_id=1,
                venue_id=1,
                name="Past show",
                starts_at=now - timedelta(days=3),
                state="closed",
            )
        )
        for ticket_id, (name, price, category) in enumerate(
            [
                ("Stalls", "45.00", "stalls"),
                ("Circle", "32.50", "circle"),
                ("Concession", "19.90", "stalls"),
            ],
            start=1,
        ):
            s.add(
                Ticket(
                    id=ticket_id,
                    event_id=1,
                    name=name,
                    price=Decimal(price),
                    tax_rate=Decimal("10.00"),
                    category=category,
                    position=ticket_id,
                )
            )


# -- setup ---------------------------------------------------------------------------------


def test_first_run_registers_with_a_setup_code_and_shows_the_login(ctx, server, proxy, qtbot):
    flow = make_flow(ctx, qtbot)
    try:
        window = flow.setup_window
        assert window is not None and window.isVisible()
        assert window.objectName() == "setupWindow"
        _id, code = server.new_setup_code("Box office 2")
        qtbot.keyClicks(window.server_url, proxy.base_url)
        qtbot.keyClicks(window.code, code.lower())  # typed sloppily: still accepted
        window.name.clear()
        qtbot.keyClicks(window.name, "Box office 2")
        qtbot.mouseClick(window.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: flow.login_window is not None, timeout=WAIT)
        notice = flow.login_window.findChild(QLabel, "loginNotice")
        assert notice.isVisible() and "Box office 2" in notice.text()
        assert ctx.secrets.get(Secret.DEVICE_TOKEN)
    finally:
        close(flow)


def test_a_wrong_setup_code_is_shown_in_the_setup_window(ctx, proxy, qtbot):
    flow = make_flow(ctx, qtbot)
    try:
        window = flow.setup_window
        qtbot.keyClicks(window.server_url, proxy.base_url)
        qtbot.keyClicks(window.code, "ZZZZZ-ZZZZZ")
        qtbot.mouseClick(window.button, Qt.MouseButton.LeftButton)
        error = window.findChild(QLabel, "setupError")
        qtbot.waitUntil(error.isVisible, timeout=WAIT)
        assert "not valid" in error.text()
        assert window.button.isEnabled() and flow.login_window is None
    finally:
        close(flow)


# -- login and roles -----------------------------------------------------------------------


def test_a_cashier_gets_the_counter_window_with_the_programme(flow, qtbot):
    add_programme(flow.ctx)
    log_in(qtbot, flow, "cashier")
    qtbot.waitUntil(lambda: flow.cashier_window is not None, timeout=WAIT)
    window = flow.cashier_window
    assert window.objectName() == "cashierWindow" and window.isVisible()
    assert flow.manager_window is None and flow.login_window is None

    def names() -> list[str]:
        return [window.events.row_at(r).name for r in range(window.events.rowCount())]

    # The programme loads off the UI thread: wait for it to be shown.
    expected = ["Hamlet", "The Magic Flute", "Swan Lake", "Jazz at Midnight"]
    qtbot.waitUntil(lambda: names() == expected, timeout=WAIT)


def test_an_admin_gets_the_manager_window_and_can_open_the_counter(flow, qtbot):
    add_programme(flow.ctx)
    log_in(qtbot, flow, "admin")
    qtbot.waitUntil(lambda: flow.manager_window is not None, timeout=WAIT)
    window = flow.manager_window
    assert window.objectName() == "managerWindow" and flow.cashier_window is None
    assert window.events.rowCount() == 5  # past events too
    assert window.tickets.rowCount() == 3  # of the selected (first) event
    window.open_cashier_action.trigger()
    assert flow.cashier_window is not None and flow.cashier_window.isVisible()
    assert window.isVisible()


def test_a_wrong_password_shows_the_login_error(flow, qtbot):
    log_in(qtbot, flow, "cashier", "not-my-password")
    error = flow.login_window.findChild(QLabel, "loginError")
    qtbot.waitUntil(error.isVisible, timeout=WAIT)
    assert error.text() == "Wrong username or password."
    assert flow.login_window.button.isEnabled()
    assert not flow.login_window.offline_button.isVisible()
    assert flow.cashier_window is None


def test_logout_returns_to_the_login_window(flow, qtbot):
    log_in(qtbot, flow, "cashier")
    qtbot.waitUntil(lambda: flow.cashier_window is not None, timeout=WAIT)
    flow.cashier_window.logout_action.trigger()
    assert flow.login_window is not None and flow.login_window.isVisible()
    assert flow.cashier_window is None
    qtbot.waitUntil(lambda: flow.ctx.secrets.get(Secret.USER_TOKEN) is None, timeout=WAIT)


# -- offline -------------------------------------------------------------------------------


def test_proxy_down_offline_login_for_a_known_user_refused_for_an_unknown(flow, proxy, qtbot):
    assert auth_service.login(ctx=flow.ctx, username="cashier", password=USERS["cashier"][1]).ok
    auth_service.logout(ctx=flow.ctx)
    proxy.down()

    log_in(qtbot, flow, "admin")  # never logged in on this counter
    error = flow.login_window.findChild(QLabel, "loginError")
    qtbot.waitUntil(error.isVisible, timeout=WAIT)
    assert "cannot be reached" in error.text()
    assert not flow.login_window.offline_button.isVisible()

    log_in(qtbot, flow, "cashier")
    qtbot.waitUntil(flow.login_window.offline_button.isVisible, timeout=WAIT)
    assert "log in offline" in error.text()
    qtbot.mouseClick(flow.login_window.offline_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.cashier_window is not None, timeout=WAIT)
    assert "offline login" in flow.cashier_window.user_label.text()


def test_the_status_bar_follows_the_server_going_down_and_up(flow, proxy, qtbot):
    log_in(qtbot, flow, "cashier")
    qtbot.waitUntil(lambda: flow.cashier_window is not None, timeout=WAIT)
    status = flow.cashier_window.sync_status
    assert status.objectName() == "syncStatus"
    label = status.findChild(QLabel, "syncStateLabel")
    qtbot.waitUntil(lambda: status.state == "online", timeout=WAIT)
    assert "Online" in label.text()
    proxy.down()
    qtbot.waitUntil(lambda: status.state == "offline", timeout=WAIT)
    assert "Offline" in label.text()
    proxy.up()
    qtbot.waitUntil(lambda: status.state == "online", timeout=WAIT)
    assert status.findChild(QLabel, "syncPending").text() == "All changes sent"
    # logging in started a sync, so the last good one is shown
    assert status.findChild(QLabel, "syncLastGood").text().startswith("Last sync ")


def test_the_status_bar_shows_progress_last_sync_and_unsent_changes(flow, qtbot):
    from enturf_pos.services.catalog import event_edits

    add_programme(flow.ctx)
    log_in(qtbot, flow, "admin")
    qtbot.waitUntil(lambda: flow.manager_window is not None, timeout=WAIT)
    status = flow.manager_window.sync_status
    qtbot.waitUntil(lambda: flow.sync.last_sync is not None, timeout=WAIT)  # the login's sync
    assert event_edits.edit_event(ctx=flow.ctx, event_id=1, changes={"name": "Hamlet!"}).ok
    flow.sync.check_now()
    pending = status.findChild(QLabel, "syncPending")
    qtbot.waitUntil(lambda: pending.text() == "1 change not sent yet", timeout=WAIT)

    flow.sync.begin_sync(total=40)
    flow.sync.report_progress(10, 40)
    assert status.state == "syncing" and status.progress.isVisible()
    assert status.progress.value() == 10
    flow.sync.end_sync(ok=True, pending=0)
    assert not status.progress.isVisible()
    assert status.findChild(QLabel, "syncLastGood").text().startswith("Last sync ")
    assert pending.text() == "All changes sent"


# -- lock screen ---------------------------------------------------------------------------


def test_the_screen_locks_when_idle_and_unlocks_with_the_same_password(
    registered, qtbot, proxy, artifacts
):
    registered.config = replace(registered.config, lock_after_seconds=0.5)
    flow = make_flow(registered, qtbot)
    try:
        log_in(qtbot, flow, "cashier")
        qtbot.waitUntil(lambda: flow.lock_window is not None, timeout=WAIT)
        lock = flow.lock_window
        assert lock.objectName() == "lockScreen" and lock.isVisible()
        assert not flow.cashier_window.isVisible()
        proxy.down()  # unlocking is local
        qtbot.keyClicks(lock.password, "not-the-password")
        qtbot.mouseClick(lock.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lock.error.isVisible, timeout=WAIT)
        assert lock.error.text() == "Wrong password."
        assert_fits_and_is_centred(lock, lock.logout_button, lock.error)
        lock.grab().save(str(artifacts / "lock-screen-wrong-password.png"))
        qtbot.keyClicks(lock.password, USERS["cashier"][1])
        qtbot.mouseClick(lock.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: flow.lock_window is None, timeout=WAIT)
        assert flow.cashier_window.isVisible()
    finally:
        close(flow)


def assert_fits_and_is_centred(window: QWidget, *parts: QWidget) -> None:
    """`window` is centred on its screen's free area and shows `parts` whole."""
    area = window.screen().availableGeometry()
    assert area.contains(window.frameGeometry())
    centre, middle = window.frameGeometry().center(), area.center()
    assert abs(centre.x() - middle.x()) <= 1 and abs(centre.y() - middle.y()) <= 1
    for part in parts:
        assert part.isVisible()
        assert window.rect().contains(QRect(part.mapTo(window, QPoint(0, 0)), part.size()))


def test_the_lock_ends_a_modal_dialog_and_gives_the_windows_back_on_unlock(flow, qtbot):
    """A dialog in its own event loop (the printer settings) when the idle lock comes:
    the dialog is cancelled, the lock screen shows alone, unlocking brings the counter
    back."""
    log_in(qtbot, flow, "cashier")
    qtbot.waitUntil(lambda: flow.cashier_window is not None, timeout=WAIT)
    window = flow.cashier_window
    QTimer.singleShot(300, flow.lock)  # the idle watcher, while the dialog waits
    window.printing.settings_action.trigger()  # returns once the dialog's loop has ended
    lock = flow.lock_window
    assert lock is not None
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [lock]
    assert_fits_and_is_centred(lock, lock.logout_button)
    late = QDialog(window)  # a window that opens while locked (a sync's decisions)
    late.show()
    qtbot.waitUntil(lambda: not late.isVisible(), timeout=WAIT)
    assert not late.isEnabled() and late in flow.session_lock.hidden
    qtbot.keyClicks(lock.password, USERS["cashier"][1])
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: flow.lock_window is None, timeout=WAIT)
    assert window.isVisible() and window.isEnabled()
    assert late.isVisible() and late.isEnabled()  # back for the same user
    late.close()
    assert not any(isinstance(w, QDialog) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_lock_action_and_switching_user_from_the_lock_screen(flow, qtbot):
    log_in(qtbot, flow, "admin")
    qtbot.waitUntil(lambda: flow.manager_window is not None, timeout=WAIT)
    flow.manager_window.lock_action.trigger()
    assert flow.lock_window is not None and not flow.manager_window.isVisible()
    qtbot.mouseClick(flow.lock_window.logout_button, Qt.MouseButton.LeftButton)
    assert flow.lock_window is None and flow.manager_window is None
    assert flow.login_window.isVisible()


# -- no keyring ----------------------------------------------------------------------------


def test_without_a_keyring_the_app_warns_works_in_memory_and_writes_no_secret(
    no_keyring, pos_config, server, proxy, qtbot
):
    ctx = open_context(pos_config)
    flow = make_flow(ctx, qtbot)
    try:
        setup = flow.setup_window
        assert setup.findChild(QLabel, "keyringWarning").isVisible()
        _id, code = server.new_setup_code("No keyring")
        qtbot.keyClicks(setup.server_url, proxy.base_url)
        qtbot.keyClicks(setup.code, code)
        qtbot.mouseClick(setup.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: flow.login_window is not None, timeout=WAIT)
        warning = flow.login_window.findChild(QLabel, "keyringWarning")
        assert warning.isVisible() and "memory" in warning.text()
        log_in(qtbot, flow, "cashier")
        qtbot.waitUntil(lambda: flow.cashier_window is not None, timeout=WAIT)

        secrets = [ctx.secrets.get(name) for name in Secret]
        assert all(secrets), "every secret is held (in memory)"
        ctx.db.engine.dispose()  # let SQLite write everything it holds
        files = [p for p in Path(pos_config.data_dir).rglob("*") if p.is_file()]
        assert files
        for path in files:
            content = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in content, f"a secret was written to {path}"
    finally:
        close(flow)
        ctx.close()

    # After a restart the keys are gone: the app says so and asks to register again.
    again = open_context(pos_config)
    flow = make_flow(again, qtbot)
    try:
        assert flow.setup_window is not None
        notice = flow.setup_window.findChild(QLabel, "setupNotice")
        assert notice.isVisible() and "register the counter again" in notice.text().lower()
        assert flow.setup_window.server_url.text() == proxy.base_url
    finally:
        close(flow)
        again.close()


# -- screenshots ---------------------------------------------------------------------------


def test_screenshots_of_the_login_and_manager_windows(flow, qtbot, artifacts):
    add_programme(flow.ctx)
    login = flow.login_window
    login.resize(1100, 720)
    qtbot.waitExposed(login)
    assert login.grab().save(str(artifacts / "pos-login.png"))
    log_in(qtbot, flow, "admin")
    qtbot.waitUntil(lambda: flow.manager_window is not None, timeout=WAIT)
    manager = flow.manager_window
    qtbot.waitUntil(lambda: manager.sync_status.state == "online", timeout=WAIT)
    assert manager.grab().save(str(artifacts / "pos-manager.png"))
    flow.manager_window.open_cashier_action.trigger()
    assert flow.cashier_window.grab().save(str(artifacts / "pos-cashier.png"))


def test_wrapped_notices_of_the_setup_window_are_shown_whole(qtbot, artifacts):
    from enturf_pos.services.session.secret_store import NO_KEYRING_WARNING
    from enturf_pos.ui.setup_window import SetupWindow
    from enturf_pos.ui.window_flow import CREDENTIALS_LOST

    window = SetupWindow(notice=CREDENTIALS_LOST, keyring_warning=NO_KEYRING_WARNING)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    labels = [window.findChild(QLabel, name) for name in ("setupNotice", "keyringWarning")]
    qtbot.wait(50)  # let the polish (the app's style sheet) and its re-layout run
    for label in labels:
        assert label.isVisible()
        # as tall as its wrapped text needs: no line cut off at the bottom
        assert label.height() >= label.heightForWidth(label.width()), label.objectName()
    assert window.grab().save(str(artifacts / "pos-setup-no-keyring.png"))
