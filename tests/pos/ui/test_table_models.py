"""Qt item models without any widget: Qt's model tester, display text, raw values."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtCore import Qt

from enturf_core.wire.feed import Ticket
from enturf_pos.services.catalog.catalog_selectors import EventRow, TicketRow
from enturf_pos.ui.table_models import EventTableModel, RawRole, RowRole, TicketTableModel

EVENTS = [
    EventRow(
        1, "Hamlet", "Grand Theatre", datetime(2031, 5, 1, 18, 0, tzinfo=UTC), "on_sale", 12, 3
    ),
    EventRow(2, "Swan Lake", "", datetime(2031, 5, 2, 18, 0, tzinfo=UTC), "draft", 0, 1),
]
TICKETS = [
    TicketRow(Ticket(1, "Stalls", Decimal("1045.5"), "EUR", Decimal("10.00"), "stalls", event=1)),
    TicketRow(Ticket(2, "Standing", Decimal("9.90"), "EUR", area=4, event=1, active=False)),
]


def test_event_model_passes_qts_model_tester(qtmodeltester):
    model = EventTableModel(EVENTS)
    qtmodeltester.check(model, force_py=True)
    model.set_rows(EVENTS[:1])
    qtmodeltester.check(model, force_py=True)


def test_event_model_shows_people_text_and_keeps_raw_values(qapp):
    model = EventTableModel(EVENTS)
    assert model.rowCount() == 2 and model.columnCount() == 6
    state = model.index(0, EventTableModel.STATE)
    assert state.data() == "On sale" and state.data(RawRole) == "on_sale"
    assert model.index(1, EventTableModel.STATE).data() == "Announced"
    assert model.index(0, EventTableModel.TAKEN).data() == "12"
    assert model.index(0, EventTableModel.DATE).data(RawRole) == EVENTS[0].starts_at
    assert model.index(1, 0).data(RowRole) is EVENTS[1]
    assert model.headerData(EventTableModel.NAME, Qt.Orientation.Horizontal) == "Event"


def test_models_are_read_only_for_now(qapp):
    model = TicketTableModel(TICKETS)
    index = model.index(0, TicketTableModel.PRICE)
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(index, "1.00")
    assert model.row_at(0).ticket.price == Decimal("1045.5")


def test_ticket_model_formats_money_exactly(qtmodeltester):
    model = TicketTableModel(TICKETS)
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, TicketTableModel.PRICE).data() == "1,045.50 EUR"
    assert model.index(0, TicketTableModel.PRICE).data(RawRole) == "1045.5"
    assert model.index(0, TicketTableModel.TAX).data() == "10 %"
    assert model.index(1, TicketTableModel.ACTIVE).data() == "No"
