"""A new ticket of an event (objectName ``ticketDialog``): what it sells (a seat
category or a standing area of the event's map), name, price, tax rate and a limit
per booking. Saved here with its `ticket_create` op once every field is right."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from enturf_pos.services.catalog import event_setup
from enturf_pos.services.catalog.catalog_selectors import EventRow
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.manager.dialog_parts import buttons, message
from enturf_pos.ui.manager.event_dialog import usual_tax_rate
from enturf_pos.ui.manager.ticket_drafts import DraftRow, area_row, seat_row, to_draft

MAX_LIMIT = 100


class TicketDialog(QDialog):
    def __init__(self, ctx: PosContext, row: EventRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketDialog")
        self.setWindowTitle("New ticket")
        self._ctx, self._event = ctx, row
        self.result_: EditResult | None = None
        tax = usual_tax_rate(ctx)
        categories, areas = event_setup.sellables(ctx=ctx, event_id=row.id)
        self._sells: list[DraftRow] = [seat_row(c, tax) for c in categories]
        self._sells += [area_row(a.id, a.name, a.capacity, tax) for a in areas]

        self.sells = QComboBox(objectName="ticketSells")
        for option in self._sells:
            self.sells.addItem(option.sells)
        self.name = QLineEdit(objectName="ticketName")
        self.name.setPlaceholderText("e.g. Adult, Reduced, Student")
        self.price = QLineEdit(objectName="ticketPrice")
        self.price.setPlaceholderText("with tax, e.g. 24.50")
        self.tax = QLineEdit(tax, objectName="ticketTax")
        self.limit = QSpinBox(objectName="ticketLimit")
        self.limit.setRange(0, MAX_LIMIT)
        self.limit.setSpecialValueText("No limit")
        self.message = message("ticketDialogMessage")
        box, self.create_button = buttons(self, "ticketDialogCreate", "Add ticket", self.save)

        form = QFormLayout()
        form.addRow(fw.caption("&Sells", self.sells), self.sells)
        form.addRow(fw.caption("&Name", self.name), self.name)
        form.addRow(fw.caption("&Price", self.price), self.price)
        form.addRow(fw.caption("&Tax rate %", self.tax), self.tax)
        form.addRow(fw.caption("&Limit per booking", self.limit), self.limit)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"A ticket of “{row.name}”", objectName="ticketIntro"))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(box)
        self.resize(460, self.sizeHint().height())
        for edit in (self.name, self.price, self.tax):
            edit.textEdited.connect(lambda _t: fw.show_message(self.message, None))
        if not self._sells:
            self.sells.addItem("This event's seat map is not on this counter", None)
            self.create_button.setEnabled(False)

    def save(self) -> None:
        index = self.sells.currentIndex()
        if not self._sells or index < 0:
            fw.show_message(self.message, "Choose what the ticket sells.")
            return
        option = self._sells[index]
        row = DraftRow(
            option.sells,
            category=option.category,
            area_id=option.area_id,
            name=self.name.text(),
            price=self.price.text(),
            tax_rate=self.tax.text(),
            limit=str(self.limit.value()) if self.limit.value() else "",
        )
        try:
            draft = to_draft(row)
        except ValueError as exc:
            fw.show_message(self.message, str(exc))
            return
        result = event_setup.create_ticket(ctx=self._ctx, event_id=self._event.id, ticket=draft)
        if not result.ok:
            fw.show_message(self.message, result.message)
            return
        self.result_ = result
        self.accept()
