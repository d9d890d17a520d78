"""The X report (open shift) or Z report (closed) of the cashier's shift: its figures as
rich text (`report_html`) and the dialog that shows, prints and saves them."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from enturf_core import palette
from enturf_core.money import Money
from enturf_core.wording import plural
from enturf_pos.services import venue_time
from enturf_pos.services.printing.shift_report_pdf import ReportPaper
from enturf_pos.services.shifts.shift_records import CARD, CASH, ShiftReport
from enturf_pos.ui.cashier.shift_dialogs import ShiftDialog
from enturf_pos.ui.form_widgets import message_label, show_message


def _row(name: str, value: Money, *, bold: bool = False, note: str = "") -> str:
    cell = f"<b>{value.format()}</b>" if bold else value.format()
    name = f"<b>{name}</b>" if bold else name
    note = (
        f"<td><small style='color:{palette.TEXT_HINT}'>{note}</small></td>" if note else "<td></td>"
    )
    return f"<tr><td>{name}</td><td align='right'>{cell}</td>{note}</tr>"


def report_html(
    report: ShiftReport, counted: dict[str, Money] | None = None, *, details: bool = True
) -> str:
    """The figures of an X or Z report as rich text for a QLabel (`details`: with sales,
    refunds and movements). Refunds have their own lines per method; card refunds went
    back to the card through the server, never through the terminal, so they are shown
    but do not lower the card expected."""
    f = report.figures

    def counted_rows(method: str) -> str:
        if counted is None:
            return ""
        diff = counted[method] - report.expected[method]
        return _row(f"{method.title()} counted", counted[method]) + _row(
            f"{method.title()} difference", diff
        )

    parts = [
        "<table cellpadding='3'>",
        "<tr><td colspan='3'><b>Cash drawer</b></td></tr>",
        _row("Float", f.opening_float),
        _row("Cash in", f.cash_in),
        _row("Cash out", -f.cash_out),
        _row("Cash sales", f.cash_sales),
        _row("Refunds cash", -f.cash_refunds, note="given back from the drawer"),
        _row("Cash expected", report.expected[CASH], bold=True),
        counted_rows(CASH),
        "<tr><td colspan='3'><b>Card terminal</b></td></tr>",
        _row("Card sales", f.card_sales),
        _row("Card expected", report.expected[CARD], bold=True, note="the terminal's total"),
        counted_rows(CARD),
        _row("Refunds card", f.card_refunds, note="back to the card by the server"),
    ]
    if counted is not None:
        parts.append(_row("Difference", report.difference(counted), bold=True))
    parts.append("</table>")
    counts = f"{plural(report.sales_count, 'sale')}, {plural(report.refunds_count, 'refund')}"
    parts.append(f"<p>{counts}</p>")
    if not details:
        return "".join(parts)
    for title, items in (("Sales", report.sales), ("Refunds", report.refunds)):
        parts.append(f"<p><b>{title} by event and ticket</b></p><table cellpadding='2'>")
        for r in items:
            parts.append(
                f"<tr><td>{escape(r.event)}</td><td>{escape(r.ticket)}</td>"
                f"<td align='right'>{r.count}</td><td align='right'>{r.amount.format()}</td></tr>"
            )
        if not items:
            parts.append("<tr><td>none</td></tr>")
        parts.append("</table>")
    if report.movements:
        parts.append("<p><b>Drawer movements</b></p><table cellpadding='2'>")
        for m in report.movements:
            parts.append(
                f"<tr><td>{venue_time.text(m.at, venue_time.CLOCK)}</td><td>{m.label}</td>"
                f"<td align='right'>{m.amount.format()}</td><td>{escape(m.reason)}</td></tr>"
            )
        parts.append("</table>")
    return "".join(parts)


class ShiftReportDialog(ShiftDialog):
    """objectName ``shiftReportDialog``: the X report (open shift) or Z report (closed),
    with Print (the counter's report printer), Save as PDF, and the paper (A4 or roll)."""

    printRequested = Signal()
    saveRequested = Signal()
    paperChanged = Signal(str)  # a ReportPaper value

    def __init__(self, parent: QWidget | None, report: ShiftReport, *, paper: str) -> None:
        closed = not report.shift.is_open
        super().__init__(parent, "shiftReportDialog", "Z report" if closed else "X report")
        self.report = report
        shift = report.shift
        head = QLabel(objectName="shiftReportTitle")
        when = venue_time.text(shift.opened_at, venue_time.DATE_CLOCK)
        head.setText(
            f"<b>{'Z report' if closed else 'X report (shift still open)'}</b><br>"
            f"Cashier {escape(shift.cashier_name or shift.cashier)} · opened {when}"
            + (
                f" · closed {venue_time.text(shift.closed_at, venue_time.CLOCK)}"
                if shift.closed_at
                else ""
            )
            + (
                f"<br>Difference approved by {escape(shift.approved_by)}"
                if shift.approved_by
                else ""
            )
        )
        self.text = QLabel(
            report_html(report, report.counted or None), objectName="shiftReportText"
        )
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidget(self.text)
        scroll.setWidgetResizable(True)
        self.resize(560, 640)
        self.message = message_label("shiftReportMessage")
        self.print_button = QPushButton("Print", objectName="printReportButton")
        self.paper = QComboBox(objectName="reportPaperCombo")
        self.paper.setAccessibleName("Report paper")
        self.paper.addItem("A4", ReportPaper.A4.value)
        self.paper.addItem("80 mm roll", ReportPaper.ROLL.value)
        self.paper.setCurrentIndex(max(0, self.paper.findData(paper)))
        self.paper.currentIndexChanged.connect(
            lambda _i: self.paperChanged.emit(self.paper.currentData())
        )
        self.save_button = QPushButton("Save as PDF…", objectName="saveReportPdfButton")
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.button(QDialogButtonBox.StandardButton.Close).setObjectName("closeReportButton")
        box.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        box.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        box.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.printRequested)
        self.save_button.clicked.connect(self.saveRequested)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        paper_row = QFormLayout()
        paper_row.addRow("Paper", self.paper)
        layout.addLayout(paper_row)
        layout.addWidget(box)

    def notify(self, text: str) -> None:
        show_message(self.message, text)
