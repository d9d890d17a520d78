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
