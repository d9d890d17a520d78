"""Starting the desktop app: Qt application, style, local database, first window."""

from __future__ import annotations

import logging
import os
import sys
import time
from importlib.resources import files

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from enturf_pos.config import APP_NAME, PosConfig
from enturf_pos.services.session.pos_context import PosContext, open_context
from enturf_pos.ui.task_runner import wait_for_all_tasks
from enturf_pos.ui.theme import themed
from enturf_pos.ui.window_flow import WindowFlow

log = logging.getLogger(__name__)


def style_sheet() -> str:
    """The app's style sheet (resources/ at the top of the repository: a package with no
    code in an installed wheel), its `${NAME}` colours from `enturf_core.palette`."""
    return themed(files("resources").joinpath("style.qss").read_text(encoding="utf-8"))


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("Enturf POS")
    app.setOrganizationName("Enturf")
    font = QFont(app.font())
    font.setPointSize(max(font.pointSize(), 12))
    app.setFont(font)
    app.setStyleSheet(style_sheet())
    return app  # type: ignore[return-value]


def run(
    config: PosConfig, *, ctx: PosContext | None = None, started_at: float | None = None
) -> int:
    """Run the app until its last window closes; the exit status."""
    app = create_application()
    ctx = ctx or open_context(config)
    flow = WindowFlow(ctx)
    if os.environ.get("ENTURF_POS_EXIT_WHEN_SHOWN"):
        _report_first_window(flow, started_at or time.perf_counter())
    app.aboutToQuit.connect(flow.shutdown)
    flow.start()
    try:
        return app.exec()
    finally:
        wait_for_all_tasks()  # every window's, before their database closes
        ctx.close()


def _report_first_window(flow: WindowFlow, started_at: float) -> None:
    """For bench/pos_cold_start.py: print when the first window is on screen, then quit."""

    def shown(window: QWidget) -> None:
        def report() -> None:
            elapsed = time.perf_counter() - started_at
            print(f"first-window {window.objectName()} {elapsed:.3f}", flush=True)
            QApplication.quit()

        QTimer.singleShot(0, report)  # after the window's first paint is queued

    flow.windowShown.connect(shown)
