"""The booking lookup (objectName ``bookingLookup``): find a booking, look at it, refund
or cancel it, reprint its receipt or tickets as COPY (through the print controller).

A non-modal dialog of the cashier window (Ctrl+B; Esc closes it). Type a booking code,
part of the buyer's name or e-mail, or scan a ticket's QR code, Enter: results in a table (Enter or a double click shows one).
The detail lists the tickets with a check box each; *Refund* gives back the ticked ones
(all ticked: the whole booking). Everything that talks to the server runs on the
window's task runner; the server decides every refund (services/sales/refund_service.py).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from enturf_core.money import Money
from enturf_pos.services import venue_time
from enturf_pos.services.printing import ticket_reprint
from enturf_pos.services.printing.refund_slip import refund_slip_for, render_refund_slip
from enturf_pos.services.printing.ticket_pdf import render_tickets
from enturf_pos.services.sales import booking_lookup, booking_records, refund_service
from enturf_pos.services.sales.booking_records import (
    BookingDetail,
    BookingLine,
    BookingSummary,
    DetailResult,
    SearchResult,
)
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.session.secret_store import Secret
from enturf_pos.ui.cashier.supervisor_dialog import SupervisorDialog
from enturf_pos.ui.form_widgets import restyle
from enturf_pos.ui.main_window_base import table_view
from enturf_pos.ui.printing.controller import PrintController, PrintResult
from enturf_pos.ui.table_models import RIGHT, Column, Index, RowTableModel
from enturf_pos.ui.task_runner import TaskRunner

log = logging.getLogger(__name__)

PRINTABLE = ("paid", "partially_refunded")  # a booking whose tickets may be printed
UNEXPECTED = "Something went wrong on this counter; it was logged. Please try again."

STATES = {
    "pending": "Not paid",
    "paid": "Paid",
    "partially_refunded": "Partly refunded",
    "refunded": "Refunded",
    "cancelled": "Cancelled",
    "expired": "Expired",
    "review": "Held for a manager's review",
    "valid": "Valid",
}

LOOKUP_STYLE = """
QLabel#bookingTitle { font-size: 20px; font-weight: 600; color: #12263f; }
QLabel#lookupMessage { border-radius: 6px; padding: 8px 10px; background: #e8f0fc; }
QLabel#lookupMessage[error="true"] { color: #8a1414; background: #fdecec; }
QLabel#lookupMessage[done="true"] {
    color: #0f4d2a; background: #e6f5ec; font-size: 17px; font-weight: 600;
}
QLineEdit#bookingSearch { font-size: 18px; min-height: 40px; }
"""


def _state(value: str) -> str:
    return STATES.get(value, value.replace("_", " ").capitalize())


def _when(value: Any) -> str:
    return venue_time.text(value, venue_time.DATE_CLOCK)


class BookingResultsModel(RowTableModel[BookingSummary]):
    CODE, BUYER, EVENT, STATE, TOTAL, WHEN = range(6)
    columns = (
        Column("Code", lambda r: r.code),
        Column("Buyer", lambda r: r.buyer_name or r.buyer_email),
        Column("Event", lambda r: r.event_name),
        Column(
            "State",
            lambda r: r.state,
            display=lambda r: _state(r.state) + (" · not sent yet" if r.pending_push else ""),
        ),
        Column("Total", lambda r: r.total.amount, align=RIGHT, display=lambda r: r.total.format()),
        Column(
            "Sold",
            lambda r: r.created_at,
            lambda v: venue_time.text(v, venue_time.SHORT),
        ),
    )

    def update_row(self, summary: BookingSummary) -> None:
        """The booking as just read again (after a refund): its row shows the new state."""
        for row, current in enumerate(self._rows):
            if current.id == summary.id:
                self._rows[row] = summary
                last = self.columnCount() - 1
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))


class BookingLinesModel(RowTableModel[BookingLine]):
    """The booking's tickets; refundable ones carry a check box (column 0)."""

    PLACE, TICKET, PRICE, STATE = range(4)
    columns = (
        Column("Place", lambda r: r.place),
        Column("Ticket", lambda r: r.ticket_name),
        Column("Price", lambda r: r.price.amount, align=RIGHT, display=lambda r: r.price.format()),
        Column("State", lambda r: r.state, _state),
    )
    checkedChanged = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__((), parent)
        self.checked: set[uuid.UUID] = set()

    def set_rows(self, rows: Sequence[BookingLine]) -> None:
        self.checked = {line.id for line in rows if line.refundable}
        super().set_rows(rows)
        self.checkedChanged.emit()

    def chosen(self) -> list[BookingLine]:
        return [line for line in self._rows if line.id in self.checked]

    def set_checked(self, row: int, on: bool) -> None:
        self.setData(
            self.index(row, 0),
            Qt.CheckState.Checked if on else Qt.CheckState.Unchecked,
            Qt.ItemDataRole.CheckStateRole,
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole and index.isValid() and index.column() == 0:
            line = self._rows[index.row()]
            if not line.refundable:
                return None
            return Qt.CheckState.Checked if line.id in self.checked else Qt.CheckState.Unchecked
        return super().data(index, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 0 and self._rows[index.row()].refundable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or index.column() != 0:
            return super().setData(index, value, role)
        line = self._rows[index.row()]
        if not line.refundable:
            return False
        on = Qt.CheckState(value) == Qt.CheckState.Checked
        (self.checked.add if on else self.checked.discard)(line.id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checkedChanged.emit()
        return True


class BookingLookupDialog(QDialog):
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
        self.title.setText(f"{summary.code} · {_state(summary.state)}")
        who = " · ".join(p for p in (summary.buyer_name, summary.buyer_email) if p)
        where = (
            "From this counter's records (offline)"
            if summary.source == booking_records.LOCAL
            else "From the server"
        )
        if summary.pending_push:
            where = "Sold here, not on the server yet"
        self.info.setText(
            f"{summary.event_name} · {summary.total.format()} · sold {_when(summary.created_at)}"
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
                f"Refund {_when(r.created_at)}: {r.amount.format()} ({r.method}, "
                f"{tickets} ticket{'s' if tickets != 1 else ''}) · {_state(r.state)}"
            )
        return "<br>".join(parts) or "No payment yet."

    # -- buttons ---------------------------------------------------------------------------

    def _chosen_lines(self) -> tuple[uuid.UUID, ...] | None:
        """The ticked lines; None when they are all that is left (the whole booking)."""
        assert self.booking is not None
        chosen = self.lines.chosen()
        left = [line for line in self.booking.lines if line.refundable]
        if chosen and len(chosen) == len(left):
            return None
        return tuple(line.id for line in chosen)

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

    def refund(self) -> None:
        booking = self.booking
        if booking is None or self.busy:
            return
        if not booking.has_refundable_lines:
            self.show_message("This booking has nothing left to refund.", error=True)
            return
        if not self._is_online():
            signed_in = bool(self._ctx.secrets.get(Secret.USER_TOKEN))
            message = refund_service.NEEDS_SERVER if signed_in else refund_service.NOT_SIGNED_IN
            self.show_message(message, error=True)
            return
        if booking.summary.source != booking_records.SERVER:
            self.show_message(
                f"Booking {booking.code} is not on the server yet, and refunds need it. "
                "Sync now (F5), then look it up again.",
                error=True,
            )
            return
        lines = self._chosen_lines()
        if lines == ():
            self.show_message("Tick the tickets to refund first.", error=True)
            return
        # money leaves the drawer or goes back to a card: ask once (Esc / No keeps it)
        confirm = QMessageBox(
            QMessageBox.Icon.Question,
            "Refund",
            f"{self.refund_button.text()} of booking {booking.code}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        confirm.setObjectName("refundConfirm")
        confirm.setDefaultButton(QMessageBox.StandardButton.No)
        yes = confirm.button(QMessageBox.StandardButton.Yes)
        yes.setText("Refund")
        yes.setObjectName("refundConfirmButton")
        confirm.button(QMessageBox.StandardButton.No).setText("Keep")
        yes.clicked.connect(lambda: self._start_refund(booking, lines))
        confirm.finished.connect(confirm.deleteLater)
        confirm.open()

    def _start_refund(
        self,
        booking: BookingDetail,
        lines: tuple[uuid.UUID, ...] | None,
        override: refund_service.Override | None = None,
    ) -> None:
        if self.busy or self.booking is None or self.booking.id != booking.id:
            return
        # the same request after a broken connection keeps its id: the server replays it
        if self._pending_refund is not None and self._pending_refund[0] == lines:
            refund_id = self._pending_refund[1]
        else:
            refund_id = uuid.uuid4()
        self._pending_refund = (lines, refund_id)
        ctx, user, reason = self._ctx, self._user, self.reason.text().strip()
        self.busy = True
        self._update_buttons()
        self.show_message("Refunding on the server…")
        self._runner.run(
            lambda: refund_service.refund(
                ctx=ctx,
                booking=booking,
                line_ids=None if lines is None else list(lines),
                user=user,
                refund_id=refund_id,
                reason=reason,
                override=override,
            ),
            self._refunded,
            self._failed,
        )

    def _refunded(self, result: refund_service.RefundResult) -> None:
        self.busy = False
        if result.code == refund_service.LIMIT_EXCEEDED:
            self._limit_amount = result.amount
        # above the limit an administrator approves in place: the same refund (id) again
        ask = self._limit_amount is not None and result.code in (
            refund_service.LIMIT_EXCEEDED,
            "approval_refused",
        )
        if not result.may_have_acted and not ask:
            self._pending_refund, self._limit_amount = None, None
        if ask:
            self._ask_supervisor(result.message)
        self.last_refund = result
        if result.ok:
            self.reason.clear()
            self.show_message(result.message, done=True)
            if self.booking is not None and result.refund_id is not None:
                self._print_refund_slip(self.booking, result.refund_id)
        else:
            self.show_message(result.message, error=True)
        self._update_buttons()
        if self.booking is not None and result.reachable:
            self.load(self.booking.id, keep_message=True)

    def _ask_supervisor(self, message: str) -> None:
        booking, pending, amount = self.booking, self._pending_refund, self._limit_amount
        if booking is None or pending is None or amount is None:
            return
        dialog = SupervisorDialog(
            self,
            title="Administrator approval",
            text=f"{message}\nAdministrator: enter your username and password to approve "
            f"the refund of {amount.format()}.",
            action=f"Approve refund · {amount.format()}",
        )
        dialog.approved.connect(
            lambda username, password: self._start_refund(
                booking, pending[0], refund_service.Override(username, password, amount)
            )
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _failed(self, _exc: Exception) -> None:
        self.busy = False
        self.show_message(UNEXPECTED, error=True)
        self._update_buttons()

    def cancel_booking(self) -> None:
        booking = self.booking
        if booking is None or self.busy or not booking.cancellable:
            return
        ctx = self._ctx
        self.busy = True
        self._update_buttons()
        self._runner.run(
            lambda: refund_service.cancel(ctx=ctx, booking=booking),
            self._cancelled,
            self._failed,
        )

    def _cancelled(self, result: refund_service.CancelResult) -> None:
        self.busy = False
        self.show_message(result.message, error=not result.ok, done=result.ok)
        self._update_buttons()
        if self.booking is not None:
            self.load(self.booking.id, keep_message=True)

    # -- reprints --------------------------------------------------------------------------

    def reprint(self, kind: str) -> None:
        """Print a booking's receipt or tickets again, marked COPY, through the window's
        print controller (this counter's printer for that document; the print log records
        the reprint). Tickets of any paid booking come from the server, which records the
        reprint too; a sale of this counter not on the server yet prints from the local
        record (also offline). Receipts: sales of this counter only."""
        booking = self.booking
        if booking is None:
            return
        on_server = booking.summary.source == booking_records.SERVER and self._is_online()
        if kind == "tickets" and on_server and booking.state in PRINTABLE:
            self._server_reprint(booking)
            return
        if not booking.local_sale:
            self.show_message(
                ticket_reprint.NEEDS_SERVER
                if kind == "tickets"
                else "Only the receipts of this counter's sales are reprinted here.",
                error=True,
            )
            return
        jobs = self._printing.print_sale(booking.id, {kind}, reprint=True)
        self._print_jobs.update(job.id for job in jobs)
        self.show_message(f"Reprinting the {kind} of {booking.code} (COPY)…")

    def _server_reprint(self, booking: BookingDetail) -> None:
        ctx = self._ctx
        self.busy = True
        self._update_buttons()
        self.show_message(f"Getting the tickets of {booking.code} from the server…")

        def got(result: ticket_reprint.ReprintResult) -> None:
            self.busy = False
            self._update_buttons()
            if not result.ok:
                self.show_message(result.message, error=True)
                return
            tickets, layout = result.tickets, self._printing.settings.ticket_layout
            job = self._printing.print_pdf(
                "tickets",
                f"Tickets {result.code}",
                lambda: render_tickets(tickets, layout),
                sale_id=booking.id,
                copy=True,
            )
            self._print_jobs.add(job.id)
            self.show_message(f"Reprinting {result.message[:-1]} (COPY)…")

        self._runner.run(
            lambda: ticket_reprint.server_tickets(ctx=ctx, booking_id=booking.id), got, self._failed
        )

    def _print_refund_slip(self, booking: BookingDetail, refund_id: uuid.UUID) -> None:
        """The refund slip on the receipt printer (80 mm, like the receipt)."""
        ctx = self._ctx
        job = self._printing.print_pdf(
            "receipt",
            f"Refund slip {booking.code}",
            lambda: render_refund_slip(refund_slip_for(ctx, refund_id=refund_id, booking=booking)),
            sale_id=booking.id,
        )
        self._slip_jobs.add(job.id)

    def _printed(self, result: PrintResult) -> None:
        if result.job.id in self._slip_jobs:  # the refund's instructions stay on screen
            self._slip_jobs.discard(result.job.id)
            self.last_slip = result
            text = self.message.text()
            if result.ok:
                self.show_message(f"{text} Refund slip printed.", done=True)
            else:
                why = result.message or "the refund slip was not printed"
                self.show_message(f"{text} ({why})", error=True)
            return
        if result.job.id not in self._print_jobs:
            return  # another window's job
        self._print_jobs.discard(result.job.id)
        self.last_print = result
        if result.ok:
            where = f"saved as {result.output}" if result.output else f"on {result.printer}"
            self.show_message(f"{result.title} printed {where}.", done=True)
        else:
            self.show_message(result.message or f"{result.title} was not printed.", error=True)

    # -- messages --------------------------------------------------------------------------

    def show_message(self, text: str, *, error: bool = False, done: bool = False) -> None:
        self.message.setText(text)
        restyle(self.message, error=error, done=done)
        self.message.setVisible(bool(text))
