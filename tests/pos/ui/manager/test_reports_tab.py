"""The manager's Reports tab against a live server: sales made through a counter's real
services and online; the figures the tab shows are the server's and the sums the test
makes itself; the filters change them; every export is read back (csv, openpyxl,
pypdf) and the accounting CSV is the server's, byte for byte; offline, the last figures
show with their time and what this counter sold since, and no error box opens."""

from __future__ import annotations

import csv
import uuid
from decimal import Decimal

import openpyxl
import requests
from pypdf import PdfReader
from PySide6.QtCharts import QLineSeries, QPieSeries
from PySide6.QtCore import QDate
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDateEdit, QLabel, QMessageBox, QWidget
from support.door_back_office import press
from support.manager_window import open_manager
from support.pos_windows import WAIT
from support.reports_tab import SavePaths, choose, open_reports_tab, sell_seats, wait_for
from support.sync_support import make_show

from enturf_pos.services.sync import sync_engine
from enturf_pos.ui.manager import report_charts

PRICE_1, PRICE_2 = Decimal("20.00"), Decimal("21.00")  # make_show's tickets


def seat_ids(api, show) -> list[int]:
    return [s["id"] for s in api.get(f"events/{show.event_id}/availability/")["seats"]]


def online_booking(server, api, show, seat: int, ticket: int) -> dict:
    """A customer books a seat online (channel online); the box office takes the cash."""
    customer = requests.Session()
    customer.headers["Authorization"] = f"Token {server.login('customer')}"
    answer = customer.post(
        f"{api.base}/api/v1/bookings/",
        json={"event": show.event_id, "lines": [{"seat": seat, "ticket": ticket}]},
        timeout=60,
    )
    assert answer.status_code == 201, answer.text
    booking = answer.json()
    api.post(
        f"bookings/{booking['id']}/payments/",
        {"id": str(uuid.uuid4()), "method": "cash", "amount": booking["total"], "currency": "EUR"},
    )
    return api.get(f"bookings/{booking['id']}/")


def shown(tab, column: str) -> dict[str, object]:
    """The sales table's rows: label -> the typed value of `column`."""
    model = tab.sales_model
    return dict(zip(model.column_values("label"), model.column_values(column), strict=True))


def no_error_box() -> bool:
    return not any(
        isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()
    )


def test_figures_are_the_servers_filters_change_them_and_exports_read_back(
    flow, api, server, new_counter, qtbot, tmp_path
):
    show = make_show(api)
    seats = seat_ids(api, show)
    cashier = new_counter(f"Counter {uuid.uuid4().hex[:8]}", "cashier")
    assert sync_engine.run_sync(ctx=cashier).ok
    sell_seats(cashier, show.event_id, seats[0:2], show.ticket_ids[0])
    sell_seats(cashier, show.event_id, seats[2:5], show.ticket_ids[1])
    assert sync_engine.run_sync(ctx=cashier).ok
    web = online_booking(server, api, show, seats[5], show.ticket_ids[0])
    # the test's own sums: 3 tickets at price 1 (one online), 3 at price 2
    gross = 3 * PRICE_1 + 3 * PRICE_2

    open_manager(qtbot, flow, show)
    window = flow.manager_window
    window.resize(1366, 768)
    tab = open_reports_tab(qtbot, window)
    qtbot.wait(50)
    assert window.width() == 1366  # nothing in the tab makes the window wider
    paths = SavePaths(tmp_path)
    tab.save_path = paths
    choose(tab, "reportVenue", show.venue_id)
    choose(tab, "reportEvent", show.event_id)
    figures = wait_for(qtbot, tab, lambda f: f.filters.event == show.event_id and f.live)
    assert window.findChild(QLabel, "reportAsOf").text().startswith("Live · figures of ")

    # by event: the test's sums, and the server's answer for the same filters
    server = api.get(f"reports/sales/?group_by=event&event={show.event_id}")
    (row,) = server["rows"]
    assert (row["tickets"], row["gross_cents"]) == (6, 12300)
    assert shown(tab, "tickets") == {row["label"]: 6}
    assert shown(tab, "gross_cents") == {row["label"]: gross}
    assert shown(tab, "tax_cents") == {row["label"]: Decimal(row["tax_cents"]) / 100}
    assert shown(tab, "net_cents") == {row["label"]: gross - Decimal(row["tax_cents"]) / 100}
    assert figures.sales.data["totals"]["gross_cents"] == 12300

    # by channel, then by ticket: other rows, the same totals
    choose(tab, "reportGroupBy", "channel")
    wait_for(qtbot, tab, lambda f: f.filters.group_by == "channel" and f.live)
    assert shown(tab, "tickets") == {"Counter": 5, "Online": 1}
    assert shown(tab, "gross_cents") == {
        "Counter": 2 * PRICE_1 + 3 * PRICE_2,
        "Online": PRICE_1,
    }
    choose(tab, "reportGroupBy", "ticket")
    wait_for(qtbot, tab, lambda f: f.filters.group_by == "ticket" and f.live)
    by_ticket = shown(tab, "tickets")
    assert sorted(by_ticket.values()) == [3, 3]
    assert sorted(by_ticket) == ["Price 1", "Price 2"]  # one event: not its name again
    table = tab.sales
    # a period before any of these sales: none of them
    choose(tab, "reportPeriod", "custom")
    assert tab.findChild(QWidget, "reportDates").isVisible()
    year_ago = QDate.currentDate().addDays(-365)
    tab.findChild(QDateEdit, "reportFrom").setDate(year_ago)
    tab.findChild(QDateEdit, "reportTo").setDate(year_ago.addDays(7))
    wait_for(qtbot, tab, lambda f: f.filters.date_from == year_ago.toPython() and f.live)
    assert shown(tab, "tickets") == {} and tab.sales.totals[1] == 0
    choose(tab, "reportPeriod", "all")
    wait_for(qtbot, tab, lambda f: f.filters.date_from is None and f.live)
    assert shown(tab, "tickets") == by_ticket

    # the charts: sales over time against the on-sale date, the channel mix
    chart = tab.chart_view.chart()
    lines = [s for s in chart.series() if isinstance(s, QLineSeries)]
    assert len(lines) == 1 and lines[0].points()[-1].y() == 6
    choose(tab, "reportChartKind", report_charts.CHANNELS)
    (pie,) = tab.chart_view.chart().series()
    assert isinstance(pie, QPieSeries)
    assert sorted(s.value() for s in pie.slices()) == [2000.0, 10300.0]
    qtbot.wait(100)
    window.grab().save("/tmp/reports_sales_channels.png")
    choose(tab, "reportChartKind", report_charts.OVER_TIME)

    # exports of the table shown (by ticket), read back
    tab.export("csv")
    qtbot.waitUntil(lambda: "Saved" in tab.message.text(), timeout=WAIT)
    csv_path = tmp_path / paths.asked[-1]
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [
        "Ticket type",
        "Tickets",
        "Refunded",
        "Gross (EUR)",
        "Tax (EUR)",
        "Net (EUR)",
        "Refunds (EUR)",
    ]
    body = {r[0]: r for r in rows[1:-1]}
    assert {label: int(r[1]) for label, r in body.items()} == by_ticket
    assert sum(Decimal(r[3]) for r in body.values()) == gross
    assert rows[-1][:4] == ["Total", "6", "0", f"{gross:.2f}"]

    tab.message.clear()
    tab.export("xlsx")
    qtbot.waitUntil(lambda: "Saved" in tab.message.text(), timeout=WAIT)
    book = openpyxl.load_workbook(tmp_path / paths.asked[-1])
    sheet = book["Report"]
    assert [c.value for c in sheet[1]][:4] == ["Ticket type", "Tickets", "Refunded", "Gross (EUR)"]
    assert sheet.freeze_panes == "B2"
    assert sheet["A1"].font.bold
    data_rows = list(sheet.iter_rows(min_row=2, max_row=1 + len(table.rows)))
    assert {r[0].value: r[1].value for r in data_rows} == by_ticket
    for r in data_rows:
        assert isinstance(r[1].value, int) and isinstance(r[3].value, int | float)
        assert "€" in r[3].number_format and r[1].number_format == "#,##0"
    assert sum(Decimal(str(r[3].value)) for r in data_rows) == gross
    total = sheet[sheet.max_row]
    assert (total[0].value, total[1].value, total[0].font.bold) == ("Total", 6, True)
    assert book["About"]["A1"].value == table.title

    tab.message.clear()
    tab.export("pdf")
    qtbot.waitUntil(lambda: "Saved" in tab.message.text(), timeout=WAIT)
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / paths.asked[-1]).pages)
    assert "Sales report" in text and "Sales by ticket type" in text
    assert "€123.00" in text and "Price 1" in text and "Price 2" in text
    assert "Live · figures of" in text

    # the event's sales per day (the chart's figures) as CSV
    tab.message.clear()
    tab.findChild(QAction, "reportExportOverTimeCsv").trigger()
    qtbot.waitUntil(lambda: "Saved" in tab.message.text(), timeout=WAIT)
    with (tmp_path / paths.asked[-1]).open(encoding="utf-8-sig", newline="") as f:
        days = list(csv.DictReader(f))
    assert sum(int(d["Tickets"]) for d in days) == 6 and days[-1]["Tickets so far"] == "6"
    assert sum(Decimal(d["Gross (EUR)"]) for d in days) == gross

    # occupancy and its heat map: the 6 sold seats, by sale time, then by price paid
    tab.pages.setCurrentIndex(1)
    occupancy = api.get(f"reports/occupancy/?event={show.event_id}")
    model = tab.occupancy_model
    assert model.column_values("sold", totals=True)[-1] == occupancy["sold"] == 6
    assert model.column_values("capacity", totals=True)[-1] == occupancy["capacity"]
    assert tab.heat_state.scale.sold == 6
    assert {tab.heat_state.layout.ids[i] for i in range(len(tab.heat_state.layout))} >= set(
        seats[:6]
    )
    choose(tab, "heatMapColourBy", "price")
    assert [text for _step, text in tab.heat_state.scale.labels] == ["€20.00", "€21.00"]
    assert [text for _c, text in tab.heat_legend.entries][:2] == ["€20.00", "€21.00"]
    qtbot.wait(100)
    window.grab().save("/tmp/reports_occupancy.png")

    # the accounting journal of the period: saved as the server sends it
    choose(tab, "reportPeriod", "30")
    press(qtbot, tab, "accountingExportButton")
    qtbot.waitUntil(lambda: "Accounting export saved" in tab.message.text(), timeout=WAIT)
    saved = (tmp_path / paths.asked[-1]).read_bytes()
    period = tab.filters()
    answer = api.session.get(
        f"{api.base}/api/v1/reports/accounting/",
        params={
            "from": period.date_from.isoformat(),
            "to": period.date_to.isoformat(),
            "venue": show.venue_id,
        },
        timeout=60,
    )
    assert answer.status_code == 200 and saved == answer.content
    assert web["code"] in saved.decode("utf-8")


def test_offline_the_last_figures_show_with_their_time_and_this_counters_sales_since(
    flow, api, proxy, qtbot
):
    show = make_show(api)
    seats = seat_ids(api, show)
    open_manager(qtbot, flow, show)
    window = flow.manager_window
    window.resize(1366, 768)
    tab = open_reports_tab(qtbot, window)
    choose(tab, "reportEvent", show.event_id)
    live = wait_for(qtbot, tab, lambda f: f.filters.event == show.event_id and f.live)
    assert live.sales.data["totals"]["tickets"] == 0
    as_of = live.as_of

    # this counter sells after the figures were fetched; then the server goes away
    sell_seats(flow.ctx, show.event_id, seats[:2], show.ticket_ids[0], seller="admin")
    proxy.down()
    press(qtbot, tab, "reportRefreshButton")
    label = window.findChild(QLabel, "reportAsOf")
    figures = wait_for(qtbot, tab, lambda f: f.offline)
    assert figures.as_of == as_of
    assert label.text().startswith("Offline: the last figures, as of ")
    assert label.property("error") is True
    assert figures.sales.data == live.sales.data  # the kept figures, as fetched
    since = window.findChild(QLabel, "reportCounterSince").toolTip()
    assert "1 sale, 2 tickets, €40.00" in since and since.startswith("Sold here since "), since
    assert figures.since.tickets == 2 and figures.since.gross == 2 * PRICE_1
    assert no_error_box()
    qtbot.wait(100)
    window.grab().save("/tmp/reports_offline.png")

    # filters never fetched: says so, still no error box
    choose(tab, "reportGroupBy", "cashier")
    figures = wait_for(qtbot, tab, lambda f: f.filters.group_by == "cashier")
    assert label.text() == "Offline: no figures kept for these filters yet"
    assert tab.sales_model.rowCount() == 0
    assert no_error_box()
    proxy.up()
