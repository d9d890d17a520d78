"""The cashier window's shift desk driven like a cashier (pytest-qt, offscreen): clicks and
typing, the shift dialog that opens, the threshold the server set, the Z report printed
to a PDF folder, the counter synced."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from enturf_pos.models import SiteSettings
from enturf_pos.services.sync import sync_engine
from enturf_pos.ui.cashier.window import CashierWindow
from enturf_pos.ui.window_flow import WindowFlow
from support.pos_windows import WAIT
from support.server_process import USERS

ADMIN_PASSWORD = USERS["admin"][1]


def click(qtbot, widget: QWidget) -> None:
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot, edit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def threshold(flow: WindowFlow) -> str | None:
    with flow.ctx.db.transaction() as s:
        row = s.get(SiteSettings, 1)
        return (row.data or {}).get("shift_difference_threshold") if row else None


def dialog_of(qtbot, window: CashierWindow, kind: type):
    try:
        qtbot.waitUntil(lambda: isinstance(window.shift_panel.dialog, kind), timeout=WAIT)
    except Exception:
        print("shift bar says:", window.shift_panel.message.text())
        raise
    dialog = window.shift_panel.dialog
    assert dialog.isVisible()
    return dialog


def z_report_pdf(qtbot, window: CashierWindow, folder: Path) -> str:
    qtbot.waitUntil(lambda: any(folder.glob("*.pdf")), timeout=WAIT)
    (pdf,) = folder.glob("*.pdf")
    qtbot.waitUntil(lambda: "Z report printed" in window.shift_panel.message.text(), timeout=WAIT)
    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf.read_bytes())).pages)


def synced(flow: WindowFlow) -> bool:
    pending, _conflicts, rejected = sync_engine.counts(flow.ctx)
    assert rejected == 0
    return pending == 0
