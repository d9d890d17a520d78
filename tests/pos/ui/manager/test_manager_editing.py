"""A manager edits events and tickets in the manager window, online and offline, and
decides conflicts: the app driven like a user against the real server via the proxy."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QPushButton,
)
from support.manager_window import open_manager, row_of, type_into_cell
from support.pos_windows import WAIT, close, log_in, make_flow
from support.server_process import USERS
from support.sync_support import log_in_online, make_show, open_counter, register

from enturf_pos.services.catalog import ticket_edits
from enturf_pos.services.session import auth_service
from enturf_pos.services.sync import sync_engine
from enturf_pos.ui.table_models import EventTableModel, TicketTableModel


def test_offline_edits_queue_with_the_count_then_arrive_when_the_link_is_back(
    flow, proxy, api, qtbot
):
    show = make_show(api)
    ticket_id = show.ticket_ids[0]
    # the admin logged in online on this counter before (offline login needs that)
    assert auth_service.login(ctx=flow.ctx, username="admin", password=USERS["admin"][1]).ok
    assert sync_engine.run_sync(ctx=flow.ctx).ok
    auth_service.logout(ctx=flow.ctx)
    proxy.down()

    log_in(qtbot, flow, "admin")
    qtbot.waitUntil(flow.login_window.offline_button.isVisible, timeout=WAIT)
    qtbot.mouseClick(flow.login_window.offline_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.manager_window is not None, timeout=WAIT)
    window = flow.manager_window
    status = window.sync_status
    qtbot.waitUntil(lambda: status.state == "offline", timeout=WAIT)

    window.events_view.selectRow(row_of(window.events_view, show.event_id))
    tickets = window.tickets_view
    type_into_cell(qtbot, tickets, row_of(tickets, ticket_id), TicketTableModel.PRICE, "29,90")

    def price_shown() -> str:
        return tickets.model().index(row_of(tickets, ticket_id), TicketTableModel.PRICE).data()

    qtbot.waitUntil(lambda: price_shown() == "29.90 EUR", timeout=WAIT)
    events = window.events_view
    type_into_cell(
        qtbot, events, row_of(events, show.event_id), EventTableModel.NAME, "Gala (offline)"
    )
    pending = status.findChild(QLabel, "syncPending")
    qtbot.waitUntil(lambda: pending.text() == "2 changes not sent yet", timeout=WAIT)
    assert status.state == "offline"
    assert "Offline" in status.findChild(QLabel, "syncStateLabel").text()

    proxy.up()  # the ping notices, sync logs in again with the typed password, pushes
    qtbot.waitUntil(lambda: pending.text() == "All changes sent", timeout=WAIT)
    qtbot.waitUntil(lambda: status.state == "online", timeout=WAIT)
    assert status.findChild(QLabel, "syncLastGood").text().startswith("Last sync ")
    assert api.get(f"tickets/{ticket_id}/")["price"] == "29.90"
    assert api.get(f"events/{show.event_id}/")["name"] == "Gala (offline)"


def test_a_bad_value_is_refused_in_the_window_and_nothing_is_queued(flow, api, qtbot):
    show = make_show(api)
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    tickets = window.tickets_view
    type_into_cell(qtbot, tickets, row_of(tickets, show.ticket_ids[0]), TicketTableModel.TAX, "abc")
    message = window.findChild(QLabel, "managerMessage")
    assert message.isVisible() and "number" in message.text()
    assert sync_engine.counts(flow.ctx) == (0, 0, 0)


def test_the_state_is_picked_from_a_list_and_f5_sends_it(flow, api, qtbot):
    show = make_show(api)
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    events = window.events_view
    index = events.model().index(row_of(events, show.event_id), EventTableModel.STATE)
    events.setCurrentIndex(index)
    events.edit(index)
    combo = events.findChild(QComboBox, "stateEditor")
    combo.setCurrentIndex(combo.findData("closed"))
    events.commitData(combo)
    events.closeEditor(combo, events.itemDelegate().EndEditHint.NoHint)
    # online, the edit is on its way at once; F5 (Sync now) is harmless meanwhile
    qtbot.keyClick(window, Qt.Key.Key_F5)  # Sync now (after the running one, if any)
    qtbot.waitUntil(lambda: api.get(f"events/{show.event_id}/")["state"] == "closed", timeout=WAIT)
    qtbot.waitUntil(lambda: flow.sync.pending == 0, timeout=WAIT)


def test_two_managers_edit_the_same_price_and_this_one_decides(
    flow, api, qtbot, server, proxy, tmp_path, artifacts
):
    show = make_show(api)
    ticket_id = show.ticket_ids[0]
    other = register(open_counter(tmp_path / "other"), server, proxy.base_url, "Back office 2")
    try:
        log_in_online(other)
        assert sync_engine.run_sync(ctx=other).ok
        open_manager(qtbot, flow, show)
        window = flow.manager_window
        flow.sync.stop()  # both edit "at the same time": nobody syncs in between
        tickets = window.tickets_view
        type_into_cell(qtbot, tickets, row_of(tickets, ticket_id), TicketTableModel.PRICE, "31")
        type_into_cell(
            qtbot, tickets, row_of(tickets, show.ticket_ids[1]), TicketTableModel.NAME, "Child"
        )
        assert ticket_edits.edit_ticket(ctx=other, ticket_id=ticket_id, changes={"price": "35"}).ok
        assert sync_engine.run_sync(ctx=other).ok

        flow.sync.start()
        flow.sync.sync_now()
        qtbot.waitUntil(lambda: window.conflict_dialog is not None, timeout=WAIT)
        dialog = window.conflict_dialog
        qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
        assert dialog.objectName() == "conflictDialog" and len(dialog.issues) == 1
        mine = dialog.findChild(QLabel, "mineValue")
        theirs = dialog.findChild(QLabel, "serverValue")
        assert (mine.text(), theirs.text()) == ("31.00", "35.00")
        # which ticket: "Price 1" exists in every show, so its event is named too
        title = dialog.findChild(QLabel, "issueTitle").text()
        assert title == f"Ticket “Price 1” of “{api.get(f'events/{show.event_id}/')['name']}”"
        dialog.grab().save(str(artifacts / "manager-conflict-dialog.png"))
        # the other field merged; the price shows the server's until the manager decides
        assert api.get(f"tickets/{show.ticket_ids[1]}/")["name"] == "Child"
        r = row_of(tickets, ticket_id)
        assert tickets.model().index(r, TicketTableModel.PRICE).data() == "35.00 EUR"
        assert window.conflicts_action.text() == "Decisions (1)"

        qtbot.mouseClick(dialog.findChild(QPushButton, "useMineButton"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: api.get(f"tickets/{ticket_id}/")["price"] == "31.00", timeout=WAIT)
        qtbot.waitUntil(lambda: flow.sync.pending == 0 and flow.sync.issues == 0, timeout=WAIT)
        assert dialog.findChild(QLabel, "noIssues") is not None
        assert sync_engine.run_sync(ctx=other).ok
        with other.db.transaction() as s:
            from enturf_pos.models import Ticket

            assert s.get(Ticket, ticket_id).price == Decimal("31.00")
        QApplication.processEvents()
    finally:
        other.close()


def test_an_online_edit_reaches_the_server_at_once_not_at_the_next_sync(
    registered, api, qtbot, artifacts
):
    # the timer would sync only in ten minutes: the edit must not wait for it
    registered.config = replace(registered.config, sync_interval_seconds=600.0)
    flow = make_flow(registered, qtbot)
    try:
        show = make_show(api)
        open_manager(qtbot, flow, show)
        tickets = flow.manager_window.tickets_view
        ticket_id = show.ticket_ids[0]
        type_into_cell(qtbot, tickets, row_of(tickets, ticket_id), TicketTableModel.PRICE, "27.5")
        qtbot.waitUntil(lambda: api.get(f"tickets/{ticket_id}/")["price"] == "27.50", timeout=WAIT)
        qtbot.waitUntil(lambda: flow.sync.pending == 0, timeout=WAIT)
    finally:
        close(flow)


def test_the_state_and_time_editors_show_their_whole_text(flow, api, qtbot, artifacts):
    show = make_show(api)
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    window.resize(1366, 768)
    events = window.events_view
    row = row_of(events, show.event_id)
    for column, name in ((EventTableModel.STATE, "stateEditor"), (EventTableModel.TIME, None)):
        index = events.model().index(row, column)
        events.setCurrentIndex(index)
        events.edit(index)
        editor = events.indexWidget(index) or events.focusWidget()
        if name:
            editor = events.findChild(QComboBox, name)
        qtbot.waitUntil(editor.isVisible, timeout=WAIT)
        # wide enough for its text and arrow: "On sale", not "On sal"
        assert editor.width() >= editor.sizeHint().width(), (name, editor.width())
        window.grab().save(str(artifacts / f"manager-editor-{column}.png"))
        events.closeEditor(editor, events.itemDelegate().EndEditHint.RevertModelCache)


def test_seats_taken_counts_sold_and_held_seats_not_allocated_ones(flow, api, qtbot, server):
    show = make_show(api)
    seats = api.get(f"events/{show.event_id}/availability/")["seats"]
    with flow.ctx.db.transaction() as s:
        from enturf_pos.models import Device

        device_id = int(s.get(Device, 1).device_id)
    # four seats set aside for this counter, none sold: nothing is taken yet
    api.post(
        f"events/{show.event_id}/allocations/",
        {"device": device_id, "seats": [seat["id"] for seat in seats[:4]]},
    )
    open_manager(qtbot, flow, show)
    events = flow.manager_window.events_view

    def taken() -> str:
        return events.model().index(row_of(events, show.event_id), EventTableModel.TAKEN).data()

    assert taken() == "0"
    # two other seats held by a buyer: taken
    api.post("holds/", {"event": show.event_id, "seats": [seat["id"] for seat in seats[5:7]]})
    flow.sync.sync_now()
    qtbot.waitUntil(lambda: taken() == "2", timeout=WAIT)
