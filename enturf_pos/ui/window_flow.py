"""Which window shows when: setup, login, the role's main window(s), the lock screen.

Service calls that may touch the network run on the task runner; results come back
here on the UI thread.
"""

from __future__ import annotations

import gc
import importlib
import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from enturf_core.staff_rights import DOOR_ROLES, Right, StaffRole
from enturf_pos.services.door import door_service
from enturf_pos.services.session import (
    auth_service,
    counter_key,
    device_service,
    role_grants,
    unlock_pin,
)
from enturf_pos.services.session.auth_service import CurrentUser, LoginResult
from enturf_pos.services.session.device_service import RegistrationResult
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.sync import counter_update
from enturf_pos.services.sync.sync_session import SessionCredentials
from enturf_pos.ui.idle_watcher import IdleWatcher
from enturf_pos.ui.lock_window import LockWindow
from enturf_pos.ui.login_window import LoginWindow
from enturf_pos.ui.main_window_base import MainWindowBase
from enturf_pos.ui.manager.tab_rights import may_open_manager
from enturf_pos.ui.session_lock import SessionLock
from enturf_pos.ui.setup_window import SetupWindow
from enturf_pos.ui.sync_controller import SyncController
from enturf_pos.ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from enturf_pos.ui.cashier_window import CashierWindow
    from enturf_pos.ui.door.window import DoorWindow
    from enturf_pos.ui.manager_window import ManagerWindow

log = logging.getLogger(__name__)

UNEXPECTED = "Something went wrong on this counter; it was logged. Please try again."
ACCOUNT_DISABLED = (
    "The server no longer accepts your account (it was deactivated), so you have been "
    "logged out. Ask an administrator."
)
CREDENTIALS_LOST = (
    "This counter's keys were kept in memory only (no system keyring) and were lost when "
    "the program restarted. Register the counter again with a new setup code."
)


# The main windows pull in the seat map, printing (reportlab, QtPdf), the card gateway...:
# about a second of imports that the login window does not need.
MAIN_WINDOW_MODULES = (
    "enturf_pos.ui.cashier_window",
    "enturf_pos.ui.manager_window",
    "enturf_pos.ui.door.window",
)
PRELOAD_AFTER_MS = 300


_settled = threading.Event()


def settle_heap() -> None:
    """When the first main window is up (once per process): what exists then (modules,
    the window, its models) lives as long as the app, so the garbage collector stops
    walking it (`gc.freeze`). Its full collections otherwise walk all of it and stop every
    thread, the window's too, for a few hundred ms while a sync allocates
    (bench/door_sync_stall_bench.py)."""
    if not _settled.is_set():
        _settled.set()
        gc.freeze()


def preload_main_windows() -> None:
    """Import the main windows' modules on a background thread while the login window
    waits for the password, so that the login window shows without them (cold start) and
    the cashier window opens without waiting for them after login. Only classes are
    defined by these imports; every widget is still made on the UI thread."""

    def load() -> None:
        for name in MAIN_WINDOW_MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # the UI thread's own import will say what is wrong
                log.exception("preloading %s failed", name)

    threading.Thread(target=load, name="preload-main-windows", daemon=True).start()


class WindowFlow(QObject):
    windowShown = Signal(QWidget)  # every top-level window the flow shows
    rightsChanged = Signal()  # sync changed the signed-in user's grant (`user.grant`)

    def __init__(self, ctx: PosContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = TaskRunner(self)
        self.sync = SyncController(
            ctx,
            self.runner,
            ping_seconds=ctx.config.ping_interval_seconds,
            interval_seconds=ctx.config.sync_interval_seconds,
            max_backoff_seconds=ctx.config.sync_max_backoff_seconds,
            parent=self,
        )
        self.sync.grantsChanged.connect(self.follow_grants)
        self.sync.accountDisabled.connect(self._account_disabled)
        self.idle = IdleWatcher(ctx.config.lock_after_seconds, self)
        self.idle.idle.connect(self.lock)
        self.session_lock = SessionLock(self)  # puts the user's windows away while locked
        self.user: CurrentUser | None = None
        self.setup_window: SetupWindow | None = None
        self.login_window: LoginWindow | None = None
        self.lock_window: LockWindow | None = None
        self.cashier_window: CashierWindow | None = None
        self.manager_window: ManagerWindow | None = None
        self.door_window: DoorWindow | None = None
        self.update_notice = ""  # a newer counter version, said in this session's windows
        # the password typed at login, for background re-login by sync (memory only)
        self._typed: tuple[str, str] | None = None

    # -- start -------------------------------------------------------------------------------

    def start(self) -> None:
        device = device_service.current_device(ctx=self.ctx)
        if device is None:
            self.show_setup()
        elif not device_service.has_credentials(ctx=self.ctx):
            self.show_setup(notice=CREDENTIALS_LOST, server_url=device.server_url, name=device.name)
        else:
            self.show_login()
        # once the first window has painted: the user needs a moment to type anyway
        QTimer.singleShot(PRELOAD_AFTER_MS, preload_main_windows)

    def _show(self, window: QWidget) -> None:
        if isinstance(window, MainWindowBase) and not window.isVisible():
            window.place_on(self._screen())
            QTimer.singleShot(0, settle_heap)  # once it is up
        window.show()
        window.raise_()
        window.activateWindow()
        self.windowShown.emit(window)

    def _screen(self) -> QScreen:
        """The screen the user works on: the login's, or the manager window's for the
        counter it opens."""
        for window in (
            self.login_window,
            self.manager_window,
            self.cashier_window,
            self.door_window,
        ):
            if window is not None and window.isVisible():
                return window.screen()
        return QGuiApplication.primaryScreen()

    @property
    def main_windows(self) -> list[MainWindowBase]:
        windows = (self.manager_window, self.cashier_window, self.door_window)
        return [w for w in windows if w is not None]

    # -- setup -------------------------------------------------------------------------------

    def show_setup(
        self, *, notice: str | None = None, server_url: str = "", name: str = ""
    ) -> None:
        self.setup_window = SetupWindow(
            server_url=server_url,
            name=name,
            notice=notice,
            keyring_warning=self.ctx.secrets.warning,
        )
        self.setup_window.registerRequested.connect(self._register)
        self._show(self.setup_window)

    def _register(self, server_url: str, code: str, name: str) -> None:
        ctx = self.ctx
        self.runner.run(
            lambda: device_service.register_device(
                ctx=ctx, server_url=server_url, setup_code=code, name=name
            ),
            self._registered,
            lambda _exc: self.setup_window and self.setup_window.show_error(UNEXPECTED),
        )

    def _registered(self, result: RegistrationResult) -> None:
        if self.setup_window is None:
            return
        if not result.ok:
            self.setup_window.show_error(result.message)
            return
        setup, self.setup_window = self.setup_window, None
        self.show_login(notice=result.message)
        setup.close()
        setup.deleteLater()

    # -- login -------------------------------------------------------------------------------

    def show_login(self, notice: str | None = None) -> None:
        device = device_service.current_device(ctx=self.ctx)
        assert device is not None
        self.login_window = LoginWindow(
            counter_name=device.name,
            server_url=device.server_url,
            notice=notice,
            keyring_warning=self.ctx.secrets.warning,
        )
        self.login_window.loginRequested.connect(self._login)
        self.login_window.offlineLoginRequested.connect(self._login_offline)
        self._show(self.login_window)
        self.sync.start()

    def _login(self, username: str, password: str) -> None:
        ctx = self.ctx
        self._typed = (username.strip(), password)
        self.runner.run(
            lambda: auth_service.login(ctx=ctx, username=username, password=password),
            self._logged_in,
            self._login_crashed,
        )

    def _login_offline(self, username: str, password: str) -> None:
        ctx = self.ctx
        self._typed = (username.strip(), password)
        self.runner.run(
            lambda: auth_service.login_offline(ctx=ctx, username=username, password=password),
            self._logged_in,
            self._login_crashed,
        )

    def _login_crashed(self, _exc: Exception) -> None:
        if self.login_window is not None:
            self.login_window.show_error(UNEXPECTED)

    def _logged_in(self, result: LoginResult) -> None:
        if self.login_window is None:
            return
        typed, self._typed = self._typed, None
        if not result.ok or result.user is None:
            self.login_window.show_error(result.message, offline_possible=result.offline_possible)
            if result.code == auth_service.LoginCode.DEVICE_REVOKED:
                self.sync.stop()
            return
        self.user = result.user
        username, password = typed or (result.user.username, "")
        self.sync.set_session(SessionCredentials(username, password))
        self._open_first_window(result.user)
        login, self.login_window = self.login_window, None
        login.close()
        login.deleteLater()
        self.idle.start()
        if not result.user.offline:
            self.check_for_update()

    def check_for_update(self) -> None:
        """Online at login: is a newer counter version published (said at most once a day),
        and do the wire formats still meet (`counter_update`; sync says why if not)."""
        ctx = self.ctx
        self.runner.run(lambda: counter_update.check(ctx=ctx), self._update_checked)

    def _update_checked(self, check: counter_update.UpdateCheck) -> None:
        if check.notice:
            self.update_notice = check.notice
            for window in self.main_windows:
                window.show_update_notice(check.notice)

    # -- main windows ------------------------------------------------------------------------

    def _open_first_window(self, user: CurrentUser) -> None:
        """By role: door roles (and everyone on a device on door duty) the door window;
        administrators and managers the manager window; a cashier the counter. The others
        stay reachable by the windows' actions when the user holds their rights."""
        role = user.staff_role
        at_door = door_service.device_duty(ctx=self.ctx) == door_service.DOOR
        if role in DOOR_ROLES or at_door:
            self.open_door()  # the scanning window, not the counter
        elif role in (StaffRole.ADMIN, StaffRole.MANAGER) and may_open_manager(user):
            self.open_manager()
        elif user.can(Right.SELL):
            self.open_cashier()
        elif may_open_manager(user):
            self.open_manager()
        else:
            self.open_door()  # says what the user may do there (nothing: no scan right)

    def follow_grants(self) -> None:
        """Sync brought role grants: the signed-in user's rights (and refund limit) follow
        at once, and every window shows or hides what they may do now."""
        user = self.user
        if user is None:
            return
        if user.follow_grant(role_grants.session_grant_for(ctx=self.ctx, role=user.role)):
            log.info("the rights of %s changed on the server", user.username)
            self.rightsChanged.emit()

    def _account_disabled(self) -> None:
        """The server ended the signed-in user's session and refuses their login
        (deactivated): nothing they do here would reach it, so back to the login window."""
        if self.user is not None:
            self.logout(notice=ACCOUNT_DISABLED)

    def _wire(self, window: MainWindowBase) -> None:
        window.logoutRequested.connect(self.logout)
        self.rightsChanged.connect(window.apply_rights)
        window.lockRequested.connect(self.lock)
        window.syncRequested.connect(self.sync.sync_now)
        self.sync.dataChanged.connect(window.refresh)
        window.doorRequested.connect(self.open_door)
        if self.update_notice:
            window.show_update_notice(self.update_notice)
        window.managerRequested.connect(self.open_manager)
        window.pinRequested.connect(lambda: self.ask_pin(window))

    def open_manager(self) -> None:
        assert self.user is not None
        if not may_open_manager(self.user):
            return  # no tab to show (the action that asks is hidden)
        if self.manager_window is not None:
            self._show(self.manager_window)
            return
        from enturf_pos.ui.manager_window import ManagerWindow

        self.manager_window = ManagerWindow(ctx=self.ctx, user=self.user, sync=self.sync)
        self._wire(self.manager_window)
        self.manager_window.openCashierRequested.connect(self.open_cashier)
        self._show(self.manager_window)

    def open_cashier(self) -> None:
        assert self.user is not None
        if not self.user.can(Right.SELL):
            return  # the action that asks is disabled and says why
        if self.cashier_window is not None:
            self._show(self.cashier_window)
            return
        from enturf_pos.ui.cashier_window import CashierWindow

        self.cashier_window = CashierWindow(ctx=self.ctx, user=self.user, sync=self.sync)
        self.cashier_window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._wire(self.cashier_window)
        self.cashier_window.destroyed.connect(self._cashier_closed)
        self._show(self.cashier_window)

    def _cashier_closed(self) -> None:
        self.cashier_window = None

    def open_door(self) -> None:
        """The door window: after login on a device on door duty, or by the Door action of
        the counter and manager windows (a counter used at the door)."""
        assert self.user is not None
        if self.door_window is not None:
            self._show(self.door_window)
            return
        from enturf_pos.ui.door.window import DoorWindow

        self.door_window = DoorWindow(ctx=self.ctx, user=self.user, sync=self.sync)
        self.door_window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._wire(self.door_window)
        self.door_window.destroyed.connect(self._door_closed)
        self._show(self.door_window)

    def _door_closed(self) -> None:
        self.door_window = None

    def _close_main_windows(self) -> None:
        windows = self.main_windows
        self.manager_window = self.cashier_window = self.door_window = None
        for window in windows:
            window.hide()
            window.deleteLater()

    # -- logout and lock ----------------------------------------------------------------------

    def logout(self, notice: str | None = None) -> None:
        self.idle.stop()
        self.user = None
        self.update_notice = ""  # said once: the next login of the day does not say it again
        self.sync.set_session(None, active=False)  # forgets the password held for sync
        self.session_lock.forget()
        if self.lock_window is not None:
            lock, self.lock_window = self.lock_window, None
            lock.hide()
            lock.deleteLater()
        self.show_login(notice)  # before the main windows close, so the app does not quit
        self._close_main_windows()
        ctx = self.ctx
        self.runner.run(lambda: auth_service.logout(ctx=ctx), self._logged_out)

    def _logged_out(self, result: auth_service.LogoutResult) -> None:
        if self.login_window is not None and not result.revoked:
            from enturf_pos.ui import form_widgets

            form_widgets.show_message(self.login_window.notice, result.message)

    def lock(self) -> None:
        if self.user is None or self.lock_window is not None:
            return
        self.idle.stop()
        pin = unlock_pin.pin_state(ctx=self.ctx, user=self.user)
        self.lock_window = LockWindow(
            display_name=self.user.display_name or self.user.username,
            username=self.user.username,
            pin_refusal="" if pin.usable else pin.reason,
        )
        self.lock_window.unlockRequested.connect(self._unlock)
        self.lock_window.pinUnlockRequested.connect(self._unlock_pin)
        self.lock_window.logoutRequested.connect(self.logout)
        screen = next((w.screen() for w in self.main_windows if w.isVisible()), None)
        if screen is not None:
            self.lock_window.setScreen(screen)  # the counter's screen
        self.session_lock.lock(keep=self.lock_window)  # every window and dialog of the user
        self._show(self.lock_window)

    def _unlock(self, password: str) -> None:
        user, ctx = self.user, self.ctx
        if user is None:
            return
        self.runner.run(
            lambda: auth_service.check_unlock(ctx=ctx, user=user, password=password),
            self._unlocked,
        )

    def _unlock_pin(self, pin: str) -> None:
        user, ctx = self.user, self.ctx
        if user is None:
            return
        # the locked session's own user only: a PIN never opens someone else's session
        self.runner.run(
            lambda: unlock_pin.check_pin(ctx=ctx, user=user, pin=pin),
            lambda result: self._unlocked(result, pin=True),
        )

    def _unlocked(self, result: LoginResult, *, pin: bool = False) -> None:
        if self.lock_window is None:
            return
        if not result.ok:
            pin_off = pin and result.message in (unlock_pin.LOCKED_OUT, unlock_pin.NO_PIN)
            if pin_off or result.message == counter_key.MISSING_LOCKED:  # the key: PIN too
                self.lock_window.refuse_pin(result.message)
            self.lock_window.show_error(result.message, pin=pin)
            return
        self.session_lock.unlock()
        lock, self.lock_window = self.lock_window, None
        lock.close()
        lock.deleteLater()
        self.idle.start()

    def ask_pin(self, window: QWidget) -> None:
        """ "Set unlock PIN…": the signed-in user's PIN on this counter."""
        from enturf_pos.ui.pin_dialog import PinDialog

        user, ctx = self.user, self.ctx
        if user is None:
            return
        dialog = PinDialog(window)

        def chosen(pin: str, again: str) -> None:
            self.runner.run(
                lambda: unlock_pin.set_pin(ctx=ctx, user=user, pin=pin, again=again),
                dialog.show_result,
                lambda _exc: dialog.show_result(LoginResult(False, UNEXPECTED)),
            )

        dialog.pinChosen.connect(chosen)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # -- end ---------------------------------------------------------------------------------

    def shutdown(self) -> None:
        self.idle.stop()
        self.sync.set_session(None, active=False)
        self.sync.shutdown()
        self.runner.shutdown()
