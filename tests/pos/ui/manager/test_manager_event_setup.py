"""A manager creates events and tickets from the manager window, online and offline:
a new event with its tickets, a duplicate, a weekly series, a ticket added and removed.
The app driven like a user against the real server via the proxy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QListWidget, QMessageBox, QPushButton, QTableView
from support.booking_lookup import online_booking
from support.manager_window import (
    click,
    open_dialog,
    open_manager,
    row_of,
    type_into,
    type_into_cell,
)
from support.pos_windows import WAIT
from support.sync_support import make_show

from enturf_pos.services.sync import sync_engine
from enturf_pos.ui.manager.delegates import qtime
from enturf_pos.ui.manager.ticket_drafts import TicketDraftModel
from enturf_pos.ui.table_models import EventTableModel, RowRole, TicketTableModel


def server_events(api, name: str) -> list[dict[str, Any]]:
    answer = api.get("events/?page_size=500")
    rows = answer["results"] if isinstance(answer, dict) else answer
    return [e for e in rows if e["name"] == name]


def shown_events(window, name: str) -> list[Any]:
    proxy = window.events_view.model()
    rows = [proxy.index(r, 0).data(RowRole) for r in range(proxy.rowCount())]
    return [row for row in rows if row.name == name]


def name_shown(window, event_id: int) -> str:
    view = window.events_view
    return view.model().index(row_of(view, event_id), EventTableModel.NAME).data()


def fill_new_event(qtbot, window, show, name: str):
    dialog = open_dialog(qtbot, window, "eventCreateButton")
    venue = dialog.findChild(QComboBox, "eventVenue")
    venue.setCurrentIndex(venue.findData(show.venue_id))
    assert dialog.findChild(QComboBox, "eventSeatMap").currentData() == show.seat_map_id
    type_into(qtbot, dialog, "eventName", name)
    tickets = dialog.findChild(QTableView, "eventTickets")
    model = tickets.model()
    sells = [model.index(r, TicketDraftModel.SELLS).data() for r in range(model.rowCount())]
    # one ticket per seat category and per standing area of the map, pre-filled
    assert sells == ["Seats · Standard", "Standing · Standing (50)"]

    # no prices yet: nothing is saved and the dialog says what to fix
    click(qtbot, dialog, "eventDialogCreate")
    message = dialog.findChild(QLabel, "eventDialogMessage")
    assert message.isVisible() and "needs a price" in message.text()
    type_into_cell(qtbot, tickets, 0, TicketDraftModel.PRICE, "35")
    type_into_cell(qtbot, tickets, 1, TicketDraftModel.PRICE, "abc")
    click(qtbot, dialog, "eventDialogCreate")
    assert "type a number" in message.text()
    type_into_cell(qtbot, tickets, 1, TicketDraftModel.PRICE, "18,50")
    type_into_cell(qtbot, tickets, 1, TicketDraftModel.LIMIT, "6")
    return dialog


def test_a_new_event_with_its_tickets_reaches_the_server_at_once(flow, api, qtbot, artifacts):
    show = make_show(api)
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    window.resize(1366, 768)
    dialog = fill_new_event(qtbot, window, show, "Winter gala")
    dialog.grab().save("/tmp/mgrui_event_dialog.png")
    click(qtbot, dialog, "eventDialogCreate")
    qtbot.waitUntil(lambda: window.events_tab.dialog is None, timeout=WAIT)

    # shown at once, selected, with its tickets
    selected = window.events_tab.selected_event()
    assert selected is not None and selected.name == "Winter gala"
    tickets = window.tickets_view.model()

    def names() -> set[str]:
        return {tickets.index(r, TicketTableModel.NAME).data() for r in range(tickets.rowCount())}

    # the push may answer meanwhile: the rows then take the server's ids and reload
    qtbot.waitUntil(lambda: names() == {"Standard", "Standing"}, timeout=WAIT)
    sells = {tickets.index(r, TicketTableModel.SELLS).data() for r in range(tickets.rowCount())}
    assert sells == {"standard", "standing: Standing"}
    window.grab().save("/tmp/mgrui_events_tab.png")

    qtbot.waitUntil(lambda: len(server_events(api, "Winter gala")) == 1, timeout=WAIT)
    event = api.get(f"events/{server_events(api, 'Winter gala')[0]['id']}/")
    prices = {t["name"]: (t["price"], t["max_per_booking"]) for t in event["tickets"]}
    assert prices == {"Standard": ("35.00", None), "Standing": ("18.50", 6)}
    assert event["seat_map"] == show.seat_map_id
    # the local row now has the server's id
    qtbot.waitUntil(lambda: flow.sync.pending == 0, timeout=WAIT)
    qtbot.waitUntil(
        lambda: [e.id for e in shown_events(window, "Winter gala")] == [event["id"]],
        timeout=WAIT,
    )


def test_an_event_created_offline_waits_then_arrives(flow, api, proxy, qtbot):
    show = make_show(api)
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    status = window.sync_status
    proxy.down()
    qtbot.waitUntil(lambda: status.state == "offline", timeout=WAIT)

    dialog = fill_new_event(qtbot, window, show, "Offline gala")
    click(qtbot, dialog, "eventDialogCreate")
    qtbot.waitUntil(lambda: window.events_tab.dialog is None, timeout=WAIT)
    (row,) = shown_events(window, "Offline gala")
    assert row.id < 0  # not on the server yet, and it says so
    assert name_shown(window, row.id) == "Offline gala · not on the server yet"
    pending = status.findChild(QLabel, "syncPending")
    qtbot.waitUntil(lambda: pending.text() == "1 change not sent yet", timeout=WAIT)
    assert server_events(api, "Offline gala") == []

    proxy.up()
    qtbot.waitUntil(lambda: pending.text() == "All changes sent", timeout=WAIT)
    (on_server,) = server_events(api, "Offline gala")
    assert len(api.get(f"events/{on_server['id']}/")["tickets"]) == 2
    qtbot.waitUntil(
        lambda: [e.id for e in shown_events(window, "Offline gala")] == [on_server["id"]],
        timeout=WAIT,
    )
    assert name_shown(window, on_server["id"]) == "Offline gala"


def test_a_duplicate_on_a_new_date_copies_the_tickets(flow, api, qtbot):
    show = make_show(api)
    name = api.get(f"events/{show.event_id}/")["name"]
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    original = window.events_tab.selected_event()
    dialog = open_dialog(qtbot, window, "eventDuplicateButton")
    new_start = original.starts_at + timedelta(days=3)
    dialog.findChild(type(dialog.starts), "duplicateStarts").setDateTime(qtime(new_start))
    click(qtbot, dialog, "duplicateCreateButton")
    qtbot.waitUntil(lambda: window.events_tab.dialog is None, timeout=WAIT)

    copy = window.events_tab.selected_event()
    assert copy.name == name and copy.starts_at == new_start and copy.state == "draft"
    # the push may answer meanwhile: the rows then take the server's ids and reload
    qtbot.waitUntil(lambda: window.tickets_view.model().rowCount() == 2, timeout=WAIT)
    qtbot.waitUntil(lambda: len(server_events(api, name)) == 2, timeout=WAIT)


def test_a_series_of_eight_fridays_is_previewed_then_made(flow, api, qtbot):
    show = make_show(api)
    # the show on a Friday at noon UTC (a Friday in any venue's zone)
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    friday = today + timedelta(days=(4 - today.weekday()) % 7 + 7)
    name = api.patch(f"events/{show.event_id}/", {"starts_at": friday.isoformat()})["name"]
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    dialog = open_dialog(qtbot, window, "eventSeriesButton")
    preview = dialog.findChild(QListWidget, "seriesPreview")
    dates = [preview.item(i).text() for i in range(preview.count())]
    assert len(dates) == 8 and all(d.startswith("Fri ") for d in dates), dates
    button = dialog.findChild(QPushButton, "seriesCreateButton")
    assert button.text() == "Create 8 events"
    dialog.grab().save("/tmp/mgrui_series_dialog.png")

    # a typed list is checked line by line before anything is made
    dialog.listed.setChecked(True)
    dialog.dates.setPlainText("2031-01-10\n2031-13-01")
    message = dialog.findChild(QLabel, "seriesMessage")
    assert message.isVisible() and message.text().startswith("Line 2:")
    dialog.weekly.setChecked(True)
    assert not message.isVisible() and preview.count() == 8

    click(qtbot, dialog, "seriesCreateButton")
    qtbot.waitUntil(lambda: window.events_tab.dialog is None, timeout=WAIT)
    made = shown_events(window, name)
    assert len(made) == 9
    assert all(e.starts_at.strftime("%a") == "Fri" for e in made)
    assert len({e.starts_at for e in made}) == 9
    qtbot.waitUntil(lambda: len(server_events(api, name)) == 9, timeout=WAIT)


def test_a_ticket_is_added_then_removed(flow, api, qtbot):
    show = make_show(api)
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    dialog = open_dialog(qtbot, window, "ticketCreateButton")
    sells = dialog.findChild(QComboBox, "ticketSells")
    sells.setCurrentIndex(sells.findText("Standing · Standing (50)"))
    type_into(qtbot, dialog, "ticketName", "Standing")
    type_into(qtbot, dialog, "ticketPrice", "-3")
    click(qtbot, dialog, "ticketDialogCreate")
    message = dialog.findChild(QLabel, "ticketDialogMessage")
    assert message.isVisible() and "cannot be negative" in message.text()
    type_into(qtbot, dialog, "ticketPrice", "15")
    dialog.limit.setValue(4)
    dialog.grab().save("/tmp/mgrui_ticket_dialog.png")
    click(qtbot, dialog, "ticketDialogCreate")
    qtbot.waitUntil(lambda: window.events_tab.dialog is None, timeout=WAIT)

    def server_tickets() -> dict[str, dict[str, Any]]:
        return {t["name"]: t for t in api.get(f"events/{show.event_id}/")["tickets"]}

    qtbot.waitUntil(lambda: "Standing" in server_tickets(), timeout=WAIT)
    ticket = server_tickets()["Standing"]
    assert (ticket["price"], ticket["max_per_booking"]) == ("15.00", 4)
    qtbot.waitUntil(lambda: flow.sync.pending == 0, timeout=WAIT)
    tickets = window.tickets_view
    qtbot.waitUntil(lambda: _has_row(tickets, ticket["id"]), timeout=WAIT)

    tickets.selectRow(row_of(tickets, ticket["id"]))
    click(qtbot, window.events_tab, "ticketRemoveButton")
    confirm = window.events_tab.dialog
    assert isinstance(confirm, QMessageBox) and confirm.objectName() == "ticketRemoveConfirm"
    assert "deleted" in confirm.text() and "retired" in confirm.text()
    click(qtbot, confirm, "ticketRemoveConfirmButton")
    # nothing was sold with it: the server deletes it
    qtbot.waitUntil(lambda: "Standing" not in server_tickets(), timeout=WAIT)
    assert len(server_tickets()) == 2
    qtbot.waitUntil(lambda: sync_engine.counts(flow.ctx)[0] == 0, timeout=WAIT)


def _has_row(view, ticket_id: int) -> bool:
    try:
        row_of(view, ticket_id)
    except AssertionError:
        return False
    return True


def test_a_ticket_something_was_sold_with_is_retired_not_deleted(flow, api, qtbot):
    show = make_show(api)
    seat = api.get(f"events/{show.event_id}/availability/")["seats"][0]["id"]
    sold = {"event": show.event_id, "tickets": show.ticket_ids}
    online_booking(api, sold, seat, name="Ada Lovelace", email="ada@example.org")
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    tickets = window.tickets_view
    ticket_id = show.ticket_ids[0]
    tickets.selectRow(row_of(tickets, ticket_id))
    click(qtbot, window.events_tab, "ticketRemoveButton")
    click(qtbot, window.events_tab.dialog, "ticketRemoveConfirmButton")
    qtbot.waitUntil(lambda: not api.get(f"tickets/{ticket_id}/")["active"], timeout=WAIT)
    qtbot.waitUntil(lambda: flow.sync.pending == 0, timeout=WAIT)

    def active_shown() -> str:
        return tickets.model().index(row_of(tickets, ticket_id), TicketTableModel.ACTIVE).data()

    qtbot.waitUntil(lambda: active_shown() == "No", timeout=WAIT)
    tickets.selectRow(row_of(tickets, ticket_id))
    assert not window.findChild(QPushButton, "ticketRemoveButton").isEnabled()
