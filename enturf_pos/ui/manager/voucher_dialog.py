"""The voucher dialog (objectName ``voucherDialog``): one voucher created or changed, or,
in bulk (``voucherBulkDialog``), up to 500 codes with the same rules, then saved as CSV.
Every rule the server has: percent or fixed amount, validity, uses, events and tickets.
What the server refuses is shown in ``voucherDialogMessage``; the dialog stays open."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from enturf_pos.services import venue_time
from enturf_pos.services.back_office import vouchers
from enturf_pos.services.back_office.vouchers import Outcome, VoucherRow, VoucherRules
from enturf_pos.services.catalog.catalog_selectors import EventRow, TicketRow
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.manager import dialog_parts as parts
from enturf_pos.ui.manager.delegates import qtime
from enturf_pos.ui.task_runner import TaskRunner

TicketsOf = Callable[[int], Sequence[TicketRow]]
EventsOfTickets = Callable[[tuple[int, ...]], dict[int, int]]  # ticket id -> event id


def _checked(widget: QListWidget) -> tuple[int, ...]:
    return tuple(
        int(widget.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    )


def _check_list(name: str, accessible: str) -> QListWidget:
    widget = QListWidget(objectName=name)
    widget.setAccessibleName(accessible)
    widget.setMaximumHeight(110)
    return widget


class VoucherDialog(QDialog):
    def __init__(
        self,
        ctx,
        *,
        events: Sequence[EventRow],
        tickets_of: TicketsOf,
        events_of_tickets: EventsOfTickets = lambda _ids: {},
        voucher: VoucherRow | None = None,
        bulk: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("voucherBulkDialog" if bulk else "voucherDialog")
        self.setWindowTitle(
            "Vouchers in bulk" if bulk else ("Edit voucher" if voucher else "New voucher")
        )
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(600)  # an event's name and start in the lists, not scrolled
        self._ctx, self._voucher, self._bulk, self._tickets_of = ctx, voucher, bulk, tickets_of
        self._events_of_tickets = events_of_tickets
        # a voucher's events and tickets this device does not know: kept as they are
        known_events = {event.id for event in events}
        self._hidden_events: tuple[int, ...] = ()
        self._hidden_tickets: tuple[int, ...] = ()
        if voucher is not None:
            self._hidden_events = tuple(e for e in voucher.events if e not in known_events)
            known = events_of_tickets(voucher.tickets)
            self._hidden_tickets = tuple(t for t in voucher.tickets if t not in known)
        self.runner = TaskRunner(self)
        self.outcome: Outcome | None = None  # the last answer (a bulk creation's codes)
        self.saved_to: Path | None = None
        zone = venue_time.current_zone().key

        self.code = QLineEdit(objectName="voucherCode")
        self.code.setMaxLength(40)
        self.count = QSpinBox(objectName="voucherBulkCount")
        self.count.setRange(1, vouchers.BULK_MAX)
        self.count.setValue(vouchers.BULK_MAX)
        self.prefix = QLineEdit(objectName="voucherPrefix")
        self.prefix.setMaxLength(16)
        self.prefix.setPlaceholderText("e.g. GALA- (optional)")
        self.kind = QComboBox(objectName="voucherKind")
        self.kind.addItem("Percentage off", "percent")
        self.kind.addItem("Fixed amount off", "fixed")
        self.value = QLineEdit(objectName="voucherValue")
        self.value.setPlaceholderText("10")
        self.currency = QLineEdit("EUR", objectName="voucherCurrency")
        self.currency.setMaxLength(3)
        self.currency.setMaximumWidth(70)
        value_row = QWidget()
        row = QHBoxLayout(value_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.value, 1)
        row.addWidget(self.currency)
        self.valid_from = parts.OptionalTime("voucherValidFrom", "From", zone)
        self.valid_until = parts.OptionalTime("voucherValidUntil", "Until", zone)
        today = venue_time.now().replace(hour=0, minute=0, second=0, microsecond=0)
        self.valid_from.set_value(qtime(today))
        self.valid_until.set_value(qtime(today + timedelta(days=90)))
        self.max_uses = QSpinBox(objectName="voucherMaxUses")
        self.max_uses.setRange(0, 1_000_000)
        self.max_uses.setSpecialValueText("Unlimited")
        self.active = QCheckBox("Active", objectName="voucherActive")
        self.active.setChecked(True)
        self.events = _check_list("voucherEvents", "Events the voucher is for (none: all)")
        for event in events:
            item = QListWidgetItem(f"{event.name} · {venue_time.text(event.starts_at)}")
            item.setData(Qt.ItemDataRole.UserRole, event.id)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.events.addItem(item)
        self.tickets = _check_list("voucherTickets", "Tickets the voucher is for (none: all)")
        self.events.itemChanged.connect(lambda _item: self._list_tickets())
        self.kind.currentIndexChanged.connect(self._kind_changed)

        form = QFormLayout()
        if bulk:
            form.addRow("Codes", self.count)
            form.addRow("Prefix", self.prefix)
        else:
            form.addRow("Code", self.code)
        form.addRow("Kind", self.kind)
        form.addRow("Value", value_row)
        form.addRow("Valid", self.valid_from)
        form.addRow("", self.valid_until)
        form.addRow("Uses", self.max_uses)
        form.addRow("Events (none: all)", self.events)
        form.addRow("Tickets (none: all)", self.tickets)
        form.addRow("", self.active)
        self.message = parts.message("voucherDialogMessage")
        ok_text = "Create codes" if bulk else ("Save" if voucher else "Create")
        box, self.save_button = parts.buttons(self, "voucherDialogSave", ok_text, self.save)
        self.csv_button = QPushButton("Save as CSV…", objectName="voucherSaveCsvButton")
        self.csv_button.clicked.connect(self.ask_save_codes)
        box.addButton(self.csv_button, box.ButtonRole.ActionRole)
        self.csv_button.setVisible(False)  # once the codes are made
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(box)
        if voucher is not None:
            self._fill(voucher)
        self._kind_changed()

    # -- form ------------------------------------------------------------------------------

    def _fill(self, voucher: VoucherRow) -> None:
        self.code.setText(voucher.code)
        self.kind.setCurrentIndex(self.kind.findData(voucher.kind))
        number = voucher.percent if voucher.kind == "percent" else voucher.amount
        self.value.setText(f"{number.normalize():f}" if number is not None else "")
        if voucher.currency:
            self.currency.setText(voucher.currency)
        for moment, optional in (
            (voucher.valid_from, self.valid_from),
            (voucher.valid_until, self.valid_until),
        ):
            optional.check.setChecked(moment is not None)
            if moment is not None:
                optional.set_value(qtime(moment))
        self.max_uses.setValue(voucher.max_uses or 0)
        self.active.setChecked(voucher.active)
        for i in range(self.events.count()):
            item = self.events.item(i)
            mine = int(item.data(Qt.ItemDataRole.UserRole)) in voucher.events
            item.setCheckState(Qt.CheckState.Checked if mine else Qt.CheckState.Unchecked)
        self._list_tickets(voucher.tickets)

    def _kind_changed(self, *_args: object) -> None:
        fixed = self.kind.currentData() == "fixed"
        self.currency.setVisible(fixed)
        self.value.setPlaceholderText("5.00" if fixed else "10 (percent)")

    def _list_tickets(self, ticked: Sequence[int] | None = None) -> None:
        """The tickets of the ticked events, and of the events of the tickets ticked (a
        voucher for some tickets of any event), keeping what was ticked."""
        keep = set(_checked(self.tickets) if ticked is None else ticked)
        event_ids = list(_checked(self.events))
        for event_id in self._events_of_tickets(tuple(sorted(keep))).values():
            if event_id not in event_ids:
                event_ids.append(event_id)
        self.tickets.clear()
        for event_id in event_ids:
            for row in self._tickets_of(event_id):
                ticket = row.ticket
                item = QListWidgetItem(f"{ticket.name} ({ticket.price})")
                item.setData(Qt.ItemDataRole.UserRole, ticket.id)
                checked = ticket.id in keep
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                self.tickets.addItem(item)

    def rules(self) -> VoucherRules:
        def when(optional: parts.OptionalTime) -> datetime | None:
            return optional.value()

        return VoucherRules(
            kind=str(self.kind.currentData()),
            value=self.value.text(),
            currency=self.currency.text(),
            valid_from=when(self.valid_from),
            valid_until=when(self.valid_until),
            max_uses=self.max_uses.value() or None,
            events=_checked(self.events) + self._hidden_events,
            tickets=_checked(self.tickets) + self._hidden_tickets,
            active=self.active.isChecked(),
        )

    # -- saving ----------------------------------------------------------------------------

    def _say(self, text: str, *, error: bool) -> None:
        fw.show_message(self.message, text)
        fw.restyle(self.message, error=error)

    def save(self) -> None:
        if not self.value.text().strip():
            what = "percent" if self.kind.currentData() == "percent" else "amount"
            self._say(f"Type the {what} the voucher takes off.", error=True)
            return
        if not self._bulk and not self.code.text().strip():
            self._say("Type the voucher's code.", error=True)
            return
        self.save_button.setEnabled(False)
        self._say("Sending to the server…", error=False)
        ctx, rules = self._ctx, self.rules()
        if self._bulk:
            count, prefix = self.count.value(), self.prefix.text()
            self.runner.run(lambda: vouchers.create_in_bulk(ctx, count, prefix, rules), self._done)
        else:
            voucher_id = self._voucher.id if self._voucher else None
            code = self.code.text()
            self.runner.run(lambda: vouchers.save_voucher(ctx, voucher_id, code, rules), self._done)

    def _done(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.save_button.setEnabled(True)
        if not outcome.ok:
            self._say(outcome.message, error=True)
            return
        if not self._bulk:
            self.accept()
            return
        self._say(f"{outcome.message} Save them as CSV to hand them out.", error=False)
        self.save_button.setEnabled(False)  # made: a second click would make more
        self.csv_button.setVisible(True)
        self.csv_button.setDefault(True)

    def ask_save_codes(self) -> None:
        outcome = self.outcome
        if outcome is None or not outcome.codes:
            return
        path, _chosen = QFileDialog.getSaveFileName(
            self, "Save the codes", str(Path.home() / f"{outcome.batch}.csv"), "CSV (*.csv)"
        )
        if path:
            self.save_codes_to(Path(path).with_suffix(".csv"))

    def save_codes_to(self, path: Path) -> None:
        outcome = self.outcome
        assert outcome is not None
        try:
            count = vouchers.save_codes(path, outcome, self.rules())
        except OSError as exc:
            self._say(f"Nothing was saved: {path} cannot be written ({exc.strerror}).", error=True)
            return
        self.saved_to = path
        self._say(f"{count} codes saved to {path}.", error=False)
