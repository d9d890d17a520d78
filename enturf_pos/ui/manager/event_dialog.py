"""A new event (objectName ``eventDialog``): venue, seat-map version, name, start and
end, sales window, state, and its tickets, pre-filled with one per seat category and
one per standing area of the map (rows can be removed, or doubled for a second price).

Nothing is saved until every field is right; the message says what to fix. Saving
writes the event and its tickets on this counter with their `event_create` op."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from enturf_pos.services import venue_time
from enturf_pos.services.catalog import catalog_selectors, event_setup, seatmap_drafts
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.manager.delegates import EDIT_TRIGGERS, aware, state_combo, time_edit
from enturf_pos.ui.manager.dialog_parts import OptionalTime, buttons, in_zone, message
from enturf_pos.ui.manager.ticket_drafts import TicketDraftModel, area_row, seat_row


def usual_tax_rate(ctx: PosContext) -> str:
    """The tax rate of the latest event's first ticket: most events of a venue share it."""
    events = sorted(catalog_selectors.all_events(ctx=ctx), key=lambda e: e.id)
    for event in reversed(events):
        for row in catalog_selectors.tickets_of(ctx=ctx, event_id=event.id):
            return f"{row.ticket.tax_rate.normalize():f}"
    return "0"


def evening_in(zone_name: str, days: int = 7) -> QDateTime:
    zone = QTimeZone(zone_name.encode())
    day = QDateTime.currentDateTime().toTimeZone(zone).date().addDays(days)
    return QDateTime(day, QTime(20, 0), zone)


class EventDialog(QDialog):
    def __init__(self, ctx: PosContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventDialog")
        self.setWindowTitle("New event")
        self._ctx = ctx
        self.result_: EditResult | None = None
        self.event_id: int | None = None
        self._tax = usual_tax_rate(ctx)
        self._zone = venue_time.current_zone().key

        self.venue = QComboBox(objectName="eventVenue")
        self.seat_map = QComboBox(objectName="eventSeatMap")
        self.name = QLineEdit(objectName="eventName")
        self.name.setPlaceholderText("What the audience sees, e.g. “The Nutcracker”")
        self.starts = time_edit(self._zone, self, "eventStarts")
        self.starts.setDateTime(evening_in(self._zone))
        self.ends = OptionalTime("eventEnds", "Ends", self._zone)
        self.sales_start = OptionalTime("eventSalesStart", "From", self._zone)
        self.sales_end = OptionalTime("eventSalesEnd", "Until", self._zone)
        self.state = state_combo(self, "eventState")
        self.zone_note = QLabel(objectName="eventZoneNote")
        self.zone_note.setProperty("role", "hint")

        self.drafts = TicketDraftModel(self)
        self.tickets = QTableView(objectName="eventTickets")
        self.tickets.setModel(self.drafts)
        self.tickets.setEditTriggers(EDIT_TRIGGERS)
        self.tickets.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tickets.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tickets.verticalHeader().hide()
        self.tickets.verticalHeader().setDefaultSectionSize(36)
        header = self.tickets.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TicketDraftModel.NAME, QHeaderView.ResizeMode.Stretch)
        self.tickets.setMinimumHeight(180)
        self.add_row = fw.button("eventTicketAdd", "Another price for this")
        self.remove_row = fw.button("eventTicketRemove", "Remove ticket")
        self.message = message("eventDialogMessage")
        box, self.create_button = buttons(self, "eventDialogCreate", "Create event", self.save)

        form = QFormLayout()
        form.addRow(fw.caption("&Venue", self.venue), self.venue)
        form.addRow(fw.caption("Seat &map", self.seat_map), self.seat_map)
        form.addRow(fw.caption("&Name", self.name), self.name)
        form.addRow(fw.caption("&Starts", self.starts), self.starts)
        form.addRow("", self.ends)
        form.addRow("Sales", self._pair(self.sales_start, self.sales_end))
        form.addRow(fw.caption("S&tate", self.state), self.state)
        form.addRow("", self.zone_note)
        ticket_buttons = QHBoxLayout()
        ticket_buttons.addWidget(QLabel("Tickets", objectName="sectionTitle"), 1)
        ticket_buttons.addWidget(self.add_row)
        ticket_buttons.addWidget(self.remove_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(ticket_buttons)
        layout.addWidget(self.tickets, 1)
        layout.addWidget(self.message)
        layout.addWidget(box)
        self.resize(760, 640)

        self.starts.dateTimeChanged.connect(self._follow_start)
        self._follow_start()
        self.venue.currentIndexChanged.connect(self._venue_changed)
        self.seat_map.currentIndexChanged.connect(self._map_changed)
        self.drafts.dataChanged.connect(lambda *_a: fw.show_message(self.message, None))
        self.add_row.clicked.connect(self._add_row)
        self.remove_row.clicked.connect(self._remove_row)
        self._load_venues()

    def _follow_start(self, *_args: object) -> None:
        """Times not chosen yet follow the start: ends 3 hours later, sales from now
        until the start."""
        start = self.starts.dateTime()
        for optional, moment in (
            (self.ends, start.addSecs(3 * 3600)),
            (self.sales_start, QDateTime.currentDateTime()),
            (self.sales_end, start),
        ):
            if not optional.check.isChecked():
                optional.set_value(moment)

    @staticmethod
    def _pair(a: QWidget, b: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(a)
        row.addWidget(b)
        return box

    # -- choices ----------------------------------------------------------------------------

    def _load_venues(self) -> None:
        self._venues = {v.id: v for v in seatmap_drafts.venues(ctx=self._ctx)}
        for venue in self._venues.values():
            self.venue.addItem(venue.name, venue.id)
        if not self._venues:
            self.venue.addItem("No venue on this counter yet", None)
        self._venue_changed()

    def _venue_changed(self, *_args: object) -> None:
        venue = self._venues.get(self.venue.currentData())
        zone = getattr(venue, "timezone", "") or venue_time.current_zone().key
        if zone != self._zone:
            self._zone = zone
            for edit in (self.starts, self.ends.edit, self.sales_start.edit, self.sales_end.edit):
                in_zone(edit, zone)
        self.zone_note.setText(f"Times in the venue's time zone ({zone}).")
        self.seat_map.blockSignals(True)
        self.seat_map.clear()
        maps = [] if venue is None else seatmap_drafts.seat_maps(ctx=self._ctx, venue_id=venue.id)
        for m in sorted(maps, key=lambda m: (m.name, -m.version)):
            self.seat_map.addItem(f"{m.name} · version {m.version} · {m.seat_count:,} seats", m.id)
        if not maps:
            self.seat_map.addItem("No seat map for this venue: draw one in Seat maps", None)
        self.seat_map.blockSignals(False)
        self._map_changed()

    def _map_changed(self, *_args: object) -> None:
        seat_map_id = self.seat_map.currentData()
        rows = []
        if seat_map_id is not None:
            categories, areas = event_setup.map_sellables(ctx=self._ctx, seat_map_id=seat_map_id)
            rows = [seat_row(c, self._tax) for c in categories]
            rows += [area_row(a.id, a.name, a.capacity, self._tax) for a in areas]
        self.drafts.set_rows(rows)
        self._enable()

    def _add_row(self) -> None:
        rows = self.tickets.selectionModel().selectedRows()
        if rows:
            at = self.drafts.add_like(rows[0].row())
            self.tickets.selectRow(at)
            self.tickets.edit(self.drafts.index(at, TicketDraftModel.NAME))

    def _remove_row(self) -> None:
        rows = self.tickets.selectionModel().selectedRows()
        if rows:
            self.drafts.remove(rows[0].row())
        self._enable()

    def _enable(self) -> None:
        has_rows = self.drafts.rowCount() > 0
        self.add_row.setEnabled(has_rows)
        self.remove_row.setEnabled(has_rows)

    # -- saving -----------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        fw.show_message(self.message, text)

    def save(self) -> None:
        seat_map_id = self.seat_map.currentData()
        if seat_map_id is None:
            return self._say("Choose a venue and one of its seat maps.")
        if not self.name.text().strip():
            self.name.setFocus()
            return self._say("Give the event a name.")
        try:
            drafts = self.drafts.drafts()
        except ValueError as exc:
            return self._say(str(exc))
        if not drafts:
            return self._say("Add at least one ticket: nothing could be sold without one.")
        starts = aware(self.starts.dateTime())
        ends = self.ends.value()
        if ends is not None and ends <= starts:
            return self._say("The event must end after it starts.")
        sales_start, sales_end = self.sales_start.value(), self.sales_end.value()
        if sales_start and sales_end and sales_end <= sales_start:
            return self._say("Sales must end after they start.")
        if sales_start and sales_start >= starts:
            return self._say("Sales must start before the event does.")
        result = event_setup.create_event(
            ctx=self._ctx,
            seat_map_id=seat_map_id,
            name=self.name.text(),
            starts_at=starts,
            ends_at=ends,
            sales_start=sales_start,
            sales_end=sales_end,
            state=self.state.currentData(),
            tickets=drafts,
        )
        if not result.ok:
            return self._say(result.message)
        self.result_ = result
        self.event_id = getattr(result, "new_id", None)
        self.accept()
