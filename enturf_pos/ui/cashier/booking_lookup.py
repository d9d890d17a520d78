"""The booking lookup (objectName ``bookingLookup``): find a booking, look at it, refund
or cancel it, reprint its receipt or tickets as COPY (through the print controller).

A non-modal dialog of the cashier window (Ctrl+B; Esc closes it). Type a booking code,
part of the buyer's name or e-mail, or scan a ticket's QR code, Enter: results in a
table (Enter or a double click shows one). The detail lists the tickets with a check box
each; *Refund* gives back the ticked ones (all ticked: the whole booking). Everything
that talks to the server runs on the window's task runner; the server decides every
refund (services/sales/refund_service.py).

Here the search, the detail and the buttons; the tables are in `booking_models`, the
refund and cancel steps in `booking_refund`, the reprints in `booking_reprint`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from enturf_core.money import Money
from enturf_pos.services.sales import booking_lookup, booking_records, refund_service
from enturf_pos.services.sales.booking_records import (
    BookingDetail,
    DetailResult,
    SearchResult,
)
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui.cashier.booking_models import (
    BookingLinesModel,
    BookingResultsModel,
    state_text,
    when_text,
)
from enturf_pos.ui.cashier.booking_refund import UNEXPECTED, BookingRefunds
from enturf_pos.ui.cashier.booking_reprint import PRINTABLE, BookingReprints
from enturf_pos.ui.form_widgets import restyle
from enturf_pos.ui.main_window_base import table_view
from enturf_pos.ui.printing.controller import PrintController, PrintResult
from enturf_pos.ui.task_runner import TaskRunner
from enturf_pos.ui.theme import themed

LOOKUP_STYLE = themed("""
QLabel#bookingTitle { font-size: 20px; font-weight: 600; color: ${NAVY}; }
QLabel#lookupMessage { border-radius: 6px; padding: 8px 10px; background: ${INFO_BACK}; }
QLabel#lookupMessage[error="true"] { color: ${ERROR_TEXT}; background: ${ERROR_BACK}; }
QLabel#lookupMessage[done="true"] {
    color: ${SUCCESS_TEXT}; background: ${SUCCESS_BACK}; font-size: 17px; font-weight: 600;
}
QLineEdit#bookingSearch { font-size: 18px; min-height: 40px; }
""")


class BookingLookupDialog(QDialog, BookingRefunds, BookingReprints):
    """Find, refund, cancel and reprint. `is_online` says whether the server is reachable
    with a session (the cashier window's view)."""

    def __init__(
        self,
        *,
        ctx: PosContext,
        runner: TaskRunner,
        user: str,
        is_online: Callable[[], bool],
        printing: PrintController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bookingLookup")
        self.setWindowTitle("Find a booking")
        self.setStyleSheet(LOOKUP_STYLE)
        self.resize(1300, 700)
        self._ctx = ctx
        self._runner = runner
        self._user = user
        self._is_online = is_online
        self._printing = printing
        self._print_jobs: set[int] = set()
        self._slip_jobs: set[int] = set()  # refund slips: their outcome adds to the message
        self.last_print: PrintResult | None = None
        self.last_slip: PrintResult | None = None
        self.booking: BookingDetail | None = None
        self.busy = False
        self.last_refund: refund_service.RefundResult | None = None
        self.refund_refusal = ""  # set by `rights_gate.apply_to_lookup`
        self._pending_refund: tuple[tuple[uuid.UUID, ...] | None, uuid.UUID] | None = None
        self._limit_amount: Money | None = None  # a refund above the limit, to approve
        self._search_serial = 0
        self._loading: uuid.UUID | None = None

        self.search = QLineEdit(objectName="bookingSearch")
        self.search.setPlaceholderText("Booking code, buyer's name or e-mail — Enter")
        self.search.setClearButtonEnabled(True)
        self.search_button = QPushButton("Search", objectName="bookingSearchButton")
        self.status = QLabel("", objectName="bookingStatus")
        self.results = BookingResultsModel(parent=self)
        self.results_view = table_view(
            "bookingResults", self.results, "Bookings found", stretch_column=2
        )

        self.title = QLabel("", objectName="bookingTitle")
        self.info = QLabel("", objectName="bookingInfo")
        self.info.setWordWrap(True)
        self.lines = BookingLinesModel(self)
        self.lines_view = QTableView(objectName="bookingLines")
        self.lines_view.setModel(self.lines)
        self.lines_view.setAccessibleName("Tickets of the booking")
        self.lines_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lines_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines_view.verticalHeader().hide()
        self.lines_view.verticalHeader().setDefaultSectionSize(38)
        header = self.lines_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.money = QLabel("", objectName="bookingPayments")
        self.money.setWordWrap(True)
        self.reason = QLineEdit(objectName="refundReason")
        self.reason.setPlaceholderText("Reason for the refund (optional)")
        self.reason.setMaxLength(200)
        self.refund_button = QPushButton("Refund", objectName="refundButton")
        self.refund_button.setProperty("primary", True)
        self.refund_button.setProperty("big", True)
        self.cancel_button = QPushButton("Cancel booking", objectName="cancelBookingButton")
        self.cancel_button.setToolTip("An unpaid booking: cancel it, its places go back on sale")
        self.receipt_button = QPushButton("Reprint receipt", objectName="reprintReceiptButton")
        self.tickets_button = QPushButton("Reprint tickets", objectName="reprintTicketsButton")
        self.receipt_button.setToolTip("Sales of this counter: print again, marked COPY")
        self.tickets_button.setToolTip(
            "Any paid booking: print its valid tickets again, marked COPY (from the server; "
            "this counter's sales also offline)"
        )
        self.message = QLabel("", objectName="lookupMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.search_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.status)
        left_layout.addWidget(self.results_view, 1)

        self.detail = QFrame(objectName="bookingDetail")
        detail_layout = QVBoxLayout(self.detail)
        detail_layout.addWidget(self.title)
        detail_layout.addWidget(self.info)
        detail_layout.addWidget(self.lines_view, 1)
        detail_layout.addWidget(self.money)
        detail_layout.addWidget(self.reason)
        reprints = QHBoxLayout()
        reprints.addWidget(self.receipt_button)
        reprints.addWidget(self.tickets_button)
        reprints.addStretch(1)
        reprints.addWidget(self.cancel_button)
        detail_layout.addLayout(reprints)
        detail_layout.addWidget(self.refund_button)
        self.detail.hide()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setSizes([720, 580])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        # Enter searches (once: no button of the dialog clicks on Enter as well); it never
        # refunds by itself. The buttons are the dialog's children only from here on.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)

        self.search.returnPressed.connect(self.run_search)
        self.search_button.clicked.connect(self.run_search)
        self.results_view.activated.connect(self._open_row)
        self.results_view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._open_row(current)
        )
        self.lines.checkedChanged.connect(self._update_buttons)
        self.refund_button.clicked.connect(self.refund)
        self.cancel_button.clicked.connect(self.cancel_booking)
        self.receipt_button.clicked.connect(lambda: self.reprint("receipt"))
        self.tickets_button.clicked.connect(lambda: self.reprint("tickets"))
        printing.jobFinished.connect(self._printed)
        self._update_buttons()

    # -- searching -------------------------------------------------------------------------

    def start(self) -> None:
        """Shown from the window: focus the search field, its text selected."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.search.setFocus()
        self.search.selectAll()

    def run_search(self) -> None:
        text = self.search.text()
        ctx, online = self._ctx, self._is_online()
        self._search_serial += 1
        serial = self._search_serial
        self.status.setText("Searching…")
        self._runner.run(
            lambda: booking_lookup.search(ctx=ctx, text=text, online=online),
            lambda result: self._found(serial, result),
            lambda _e: self.status.setText(UNEXPECTED),
        )

    def _found(self, serial: int, result: SearchResult) -> None:
        if serial != self._search_serial:
            return  # a newer search is on its way
        self.status.setText(result.message)
        self.results.set_rows(result.bookings)
        if len(result.bookings) == 1:
            self.results_view.selectRow(0)
        elif result.bookings:
            self.results_view.setFocus()

    def _open_row(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        source = self.results_view.model().mapToSource(index)
        self.load(self.results.row_at(source.row()).id)

    def load(self, booking_id: uuid.UUID, *, keep_message: bool = False) -> None:
        ctx, online = self._ctx, self._is_online()
        self._loading = booking_id
        if not keep_message:
            self.show_message("")
        self._runner.run(
            lambda: booking_lookup.detail(ctx=ctx, booking_id=booking_id, online=online),
            self._loaded,
            lambda _e: self.show_message(UNEXPECTED, error=True),
        )

    def _loaded(self, result: DetailResult) -> None:
        if result.booking is not None and result.booking.id != self._loading:
            return  # the cashier opened another booking meanwhile
        if not result.ok or result.booking is None:
            self.show_message(result.message, error=True)
            return
        booking = result.booking
        if self.booking is None or self.booking.id != booking.id:
            self._pending_refund, self._limit_amount = None, None
        self.booking = booking
        summary = booking.summary
        self.title.setText(f"{summary.code} · {state_text(summary.state)}")
        who = " · ".join(p for p in (summary.buyer_name, summary.buyer_email) if p)
        where = (
            "From this counter's records (offline)"
            if summary.source == booking_records.LOCAL
            else "From the server"
        )
        if summary.pending_push:
            where = "Sold here, not on the server yet"
        self.info.setText(
            f"{summary.event_name} · {summary.total.format()} · sold {when_text(summary.created_at)}"
            + (f"<br>{who}" if who else "")
            + f"<br><i>{where}</i>"
        )
        self.lines.set_rows(booking.lines)
        self.results.update_row(summary)
        self.money.setText(self._money_text(booking))
        self.detail.show()
        self._update_buttons()

    @staticmethod
    def _money_text(booking: BookingDetail) -> str:
        parts = [
            f"Paid: {p.label} {p.amount.format()}"
            + (f" ({p.refunded.format()} refunded)" if p.refunded.is_positive() else "")
            for p in booking.payments
        ]
        for r in booking.refunds:
            tickets = len(r.lines)
            parts.append(
                f"Refund {when_text(r.created_at)}: {r.amount.format()} ({r.method}, "
                f"{tickets} ticket{'s' if tickets != 1 else ''}) · {state_text(r.state)}"
            )
        return "<br>".join(parts) or "No payment yet."

    # -- buttons ---------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        booking = self.booking
        online = self._is_online()
        chosen = self.lines.chosen() if booking is not None else []
        # offline it stays enabled, so that pressing it says why refunds need the server
        refundable = booking is not None and booking.has_refundable_lines
        self.refund_button.setEnabled(refundable and bool(chosen) and not self.busy)
        self.reason.setEnabled(refundable)
        if booking is not None and chosen:
            total = Money.total((line.price for line in chosen), booking.summary.total.currency)
            whole = len(chosen) == len(booking.lines)  # nothing refunded before
            what = (
                "whole booking"
                if whole
                else f"{len(chosen)} ticket{'s' if len(chosen) != 1 else ''}"
            )
            self.refund_button.setText(f"Refund {what} · {total.format()}")
        else:
            self.refund_button.setText("Refund")
        tip = "" if online else "Refunds need the server: the counter is offline."
        self.refund_button.setToolTip(tip)
        self.cancel_button.setVisible(booking is not None and booking.cancellable)
        self.cancel_button.setEnabled(not self.busy)
        local = booking is not None and booking.local_sale
        paid = booking is not None and booking.state in PRINTABLE
        self.receipt_button.setEnabled(local and not self.busy)
        self.tickets_button.setEnabled((local or paid) and not self.busy)

    # -- messages --------------------------------------------------------------------------

    def show_message(self, text: str, *, error: bool = False, done: bool = False) -> None:
        self.message.setText(text)
        restyle(self.message, error=error, done=done)
        self.message.setVisible(bool(text))
