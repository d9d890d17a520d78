"""The task runner: background work must never freeze the counter, also when its window
goes away while a task still runs (logout during a sync or a search)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

# The window's Python `event()` override is on the stack when Qt deletes it (deleteLater):
# Qt then destroys the runner's thread pool there, holding the GIL a finishing task needs.
SCRIPT = textwrap.dedent(
    """
    import time
    from PySide6.QtCore import QCoreApplication, QObject, QTimer
    from enturf_pos.ui.task_runner import TaskRunner

    class Window(QObject):
        def event(self, event):
            return super().event(event)

    app = QCoreApplication([])
    window = Window()
    runner = TaskRunner(window)
    runner.run(lambda: time.sleep(0.5) or 1, lambda result: None)
    time.sleep(0.1)  # the task is running
    del runner
    window.deleteLater()
    QTimer.singleShot(1500, app.quit)
    app.exec()
    print("still running")
    """
)


def test_a_window_deleted_while_its_task_runs_does_not_freeze_the_counter():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=30, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "still running" in done.stdout


# The counter's entry point with windows open at exit and others closed during the session
# (their runners' pools retired): PySide's exit clean-up deletes the Qt objects in no order.
EXIT_SCRIPT = textwrap.dedent(
    """
    import sys
    import time

    from PySide6.QtWidgets import QApplication, QWidget

    from enturf_pos.__main__ import main
    from enturf_pos.ui.task_runner import TaskRunner

    app = QApplication(sys.argv[:1])
    open_windows = []
    for _ in range(10):
        window = QWidget()
        window.runner = TaskRunner(window)
        open_windows.append(window)
        closed = QWidget()
        TaskRunner(closed).run(lambda: time.sleep(0.2), lambda _result: None)
        closed.deleteLater()
    sys.exit(main(sys.argv[1:]))
    """
)


def test_the_counter_exits_without_qt_warnings(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ENTURF_POS_EXIT_WHEN_SHOWN": "1"}
    done = subprocess.run(
        [sys.executable, "-c", EXIT_SCRIPT, "--data-dir", str(tmp_path / "pos-data")],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "first-window setupWindow" in done.stdout
    assert "already deleted" not in done.stderr
    assert "Traceback" not in done.stderr
