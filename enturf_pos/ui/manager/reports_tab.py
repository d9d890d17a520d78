"""The "Reports" tab (objectName ``reportsTab``): how the shows are selling.

* Filters: the period (``reportPeriod``, with ``reportFrom`` / ``reportTo`` for a
  chosen range), ``reportVenue``, ``reportEvent`` and ``reportGroupBy``; any change
  fetches again (off the UI thread, `report_set.load`).
* *Sales* page: the sales by the chosen group (``reportTable``: tickets, refunded,
  gross, tax, net, refunds, and the totals) beside ``reportChart`` (QtCharts), which
  shows what ``reportChartKind`` says: the event's sales over time against its on-sale
  date, its pace against an earlier event chosen in ``reportCompareEvent``, or the
  channel mix.
* *Occupancy* page (an event chosen): sold, held, on counters, blocked and free per
  category and standing area (``occupancyTable``), and the heat map on the event's
  seat map (``reportHeatMap``), coloured as ``heatMapColourBy`` says (sale time or
  price paid), with ``heatMapLegend``.
* ``reportAsOf`` says whether the figures are live or, offline, the time of the last
  ones kept; ``reportCounterSince`` what this counter sold since then. No error box:
  offline the tab shows what it has and says so.
* ``reportExportButton``: the shown page's table as CSV or XLSX, or the whole report as
  a PDF; ``accountingExportButton``: the server's accounting journal of the period, as
  the server sends it. Results in ``reportMessage``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCharts import QChartView
from PySide6.QtCore import QDate, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QAction, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from enturf_pos.services import venue_time
from enturf_pos.services.reports import (
    accounting_export,
    report_choices,
    report_export,
    report_pdf,
    report_set,
)
from enturf_pos.services.reports.accounting_export import SavedExport
from enturf_pos.services.reports.heat_scale import BY_PRICE, BY_TIME, HeatScale, heat_scale
from enturf_pos.services.reports.report_filters import GROUPS, ReportFilters
from enturf_pos.services.reports.report_set import ReportSet
from enturf_pos.services.reports.report_tables import (
    ReportTable,
    occupancy_table,
    over_time_table,
    sales_table,
)
from enturf_pos.services.sales import counter_selectors
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.manager import report_charts
from enturf_pos.ui.manager.report_heat_map import STEPS, HeatMapLegend, HeatMapState
from enturf_pos.ui.manager.report_table_model import ReportSortModel, ReportTableModel
from enturf_pos.ui.seat_map import SeatMapView
from enturf_pos.ui.task_runner import TaskRunner

# (parent, title, file kind e.g. "CSV files (*.csv)", suggested name) -> path or None
SavePath = Callable[[QWidget, str, str, str], str | None]
PERIODS = {
    "all": "All dates",
    "today": "Today",
    "7": "Last 7 days",
    "30": "Last 30 days",
    "month": "This month",
    "custom": "Dates…",
}
FILE_KINDS = {
    "csv": "CSV files (*.csv)",
    "xlsx": "Excel workbooks (*.xlsx)",
    "pdf": "PDF documents (*.pdf)",
}
SALES_PAGE, OCCUPANCY_PAGE = 0, 1
REFETCH_MS = 150  # filters changed: wait for the last of a burst of changes


def ask_save_path(parent: QWidget, title: str, kind: str, suggested: str) -> str | None:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path, _chosen = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / suggested), kind)
    return path or None


def _combo(name: str, accessible: str, *, chars: int = 0) -> QComboBox:
    """`chars`: a combo of names that may be long, as wide as that many characters (the
    rest elided) rather than as wide as its longest entry."""
    combo = QComboBox(objectName=name)
    combo.setAccessibleName(accessible)
    if chars:
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(chars)
    else:
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def _date_edit(name: str, accessible: str) -> QDateEdit:
    edit = QDateEdit(objectName=name)
    edit.setAccessibleName(accessible)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    return edit


def _table_view(name: str, accessible: str, model: ReportTableModel) -> QTableView:
    view = QTableView(objectName=name)
    view.setAccessibleName(accessible)
    view.setModel(ReportSortModel(model, view))
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the server's order until a click
    view.verticalHeader().setVisible(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    # figures fit more columns in with less padding than the house style's
    view.setStyleSheet(
        "QTableView { font-size: 13px; } QTableView::item { padding: 0 4px; }"
        " QHeaderView::section { padding: 6px 4px; font-size: 13px; }"
    )
    model.modelReset.connect(lambda: _fit_columns(view))
    return view


def _fit_columns(view: QTableView) -> None:
    """After a new table: every column as wide as its texts (names never squeezed to
    "…"), the last one taking what is left."""
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)


def _caption(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "report"


class ReportsTab(QWidget):
    def __init__(self, ctx: PosContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportsTab")
        self._ctx = ctx
        self.runner = TaskRunner(self)
        self.save_path: SavePath = ask_save_path  # tests replace this seam
        self.last_export: SavedExport | None = None
        self.figures: ReportSet | None = None  # what is shown
        self.sales: ReportTable | None = None
        self.occupancy: ReportTable | None = None
        self._layout_event: int | None = None  # the event on the heat map
        self._layout_data = None
        self._heat: HeatScale | None = None  # the scale worked out with the figures
        self._events: list[report_choices.EventChoice] = []
        self._names: dict[int, str] = {}  # event id -> name (the chart's legend)
        self._asked: ReportFilters | None = None  # the filters of the fetch under way
        self._again = False  # the filters changed while fetching
        self.refetch = QTimer(self, singleShot=True, interval=REFETCH_MS)
        self.refetch.timeout.connect(self.refresh)

        # -- filters ------------------------------------------------------------------
        self.period = _combo("reportPeriod", "Period")
        for code, words in PERIODS.items():
            self.period.addItem(words, code)
        today = QDate.currentDate()
        self.date_from = _date_edit("reportFrom", "From")
        self.date_to = _date_edit("reportTo", "To")
        self.date_from.setDate(today.addDays(-29))
        self.date_to.setDate(today)
        self.venue = _combo("reportVenue", "Venue", chars=8)
        self.event_combo = _combo("reportEvent", "Event", chars=14)
        self.group_by = _combo("reportGroupBy", "Group the sales by")
        for code, words in GROUPS.items():
            self.group_by.addItem(words, code)
        self.group_by.setCurrentIndex(self.group_by.findData("event"))
        self.refresh_button = fw.button("reportRefreshButton", "Refresh")
        self.refresh_button.setToolTip("Fetch the figures again")

        self.as_of = QLabel(objectName="reportAsOf")
        self.counter_since = fw.ElidedLabel("", objectName="reportCounterSince")
        self.message = fw.message_label("reportMessage")
        self.export_button = fw.button("reportExportButton", "Export")
        self.export_button.setToolTip("The table shown as CSV or XLSX, or the report as a PDF")
        menu = QMenu(self.export_button)
        self.export_actions: dict[str, QAction] = {}
        for key, text, name in (
            ("csv", "Table as CSV…", "reportExportCsv"),
            ("xlsx", "Table as Excel (XLSX)…", "reportExportXlsx"),
            ("over_time.csv", "Sales over time as CSV…", "reportExportOverTimeCsv"),
            ("over_time.xlsx", "Sales over time as Excel (XLSX)…", "reportExportOverTimeXlsx"),
            ("pdf", "Report as PDF…", "reportExportPdf"),
        ):
            act = menu.addAction(text)
            act.setObjectName(name)
            what, _dot, kind = key.rpartition(".")
            act.triggered.connect(lambda _c=False, k=kind, w=what: self.export(k, w or None))
            self.export_actions[key] = act
        self.export_button.setMenu(menu)
        self.accounting_button = fw.button("accountingExportButton", "Accounting CSV…")
        self.accounting_button.setToolTip(
            "The server's journal of the period: one line per payment, refund and invoice"
        )

        # -- sales page ---------------------------------------------------------------
        self.sales_model = ReportTableModel(self)
        self.sales_view = _table_view("reportTable", "Sales figures", self.sales_model)
        self.chart_kind = _combo("reportChartKind", "Chart")
        for code, words in report_charts.KINDS.items():
            self.chart_kind.addItem(words, code)
        self.chart_kind.setCurrentIndex(self.chart_kind.findData(report_charts.CHANNELS))
        self.compare = _combo("reportCompareEvent", "Compare with the event", chars=16)
        self.chart_view = QChartView(objectName="reportChart")
        self.chart_view.setAccessibleName("Report chart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumSize(360, 260)
        chart_panel = QWidget(objectName="reportChartPanel")
        chart_column = QVBoxLayout(chart_panel)
        chart_column.setContentsMargins(8, 0, 0, 0)
        chart_row = QHBoxLayout()
        chart_row.addWidget(self.chart_kind, 1)
        chart_row.addWidget(self.compare, 1)
        chart_column.addLayout(chart_row)
        chart_column.addWidget(self.chart_view, 1)
        sales_page = QSplitter(Qt.Orientation.Horizontal, objectName="reportSalesPage")
        sales_page.addWidget(self.sales_view)
        sales_page.addWidget(chart_panel)
        sales_page.setChildrenCollapsible(False)
        sales_page.setSizes([860, 420])

        # -- occupancy page -----------------------------------------------------------
        self.occupancy_model = ReportTableModel(self)
        self.occupancy_view = _table_view("occupancyTable", "Occupancy", self.occupancy_model)
        self.occupancy_view.setSortingEnabled(False)  # a few rows in their order: no arrows
        self.occupancy_note = QLabel(objectName="occupancyNote")
        self.occupancy_note.setWordWrap(True)
        self.colour_by = _combo("heatMapColourBy", "Colour the sold seats by")
        self.colour_by.addItem("Colour by sale time", BY_TIME)
        self.colour_by.addItem("Colour by price paid", BY_PRICE)
        self.heat_state = HeatMapState(self)
        self.heat_map = SeatMapView(self.heat_state, self)
        self.heat_map.setObjectName("reportHeatMap")
        self.heat_map.setAccessibleName("Occupancy heat map")
        self.heat_map.setMinimumSize(320, 220)
        self.heat_legend = HeatMapLegend()
        occupancy_left = QWidget()
        left = QVBoxLayout(occupancy_left)
        left.setContentsMargins(0, 0, 8, 0)
        left.addWidget(self.occupancy_view, 1)
        left.addWidget(self.occupancy_note)
        occupancy_right = QWidget()
        right = QVBoxLayout(occupancy_right)
        right.setContentsMargins(8, 0, 0, 0)
        right.addWidget(self.colour_by)
        right.addWidget(self.heat_map, 1)
        right.addWidget(self.heat_legend)
        occupancy_page = QSplitter(Qt.Orientation.Horizontal, objectName="reportOccupancyPage")
        occupancy_page.addWidget(occupancy_left)
        occupancy_page.addWidget(occupancy_right)
        occupancy_page.setChildrenCollapsible(False)
        occupancy_page.setSizes([720, 600])

        self.pages = QTabWidget(objectName="reportPages")
        self.pages.addTab(sales_page, "Sales")
        self.pages.addTab(occupancy_page, "Occupancy")

        filters = QHBoxLayout()
        filters.setSpacing(6)
        self.dates = QWidget(objectName="reportDates")  # shown for "Dates…" only
        dates = QHBoxLayout(self.dates)
        dates.setContentsMargins(0, 0, 0, 0)
        dates.setSpacing(6)
        dates.addWidget(_caption("From", self.date_from))
        dates.addWidget(self.date_from)
        dates.addWidget(_caption("to", self.date_to))
        dates.addWidget(self.date_to)
        filters.addWidget(_caption("Period", self.period))
        filters.addWidget(self.period)
        filters.addWidget(self.dates)
        filters.addSpacing(8)
        filters.addWidget(_caption("Venue", self.venue))
        filters.addWidget(self.venue, 1)
        filters.addSpacing(8)
        filters.addWidget(_caption("Event", self.event_combo))
        filters.addWidget(self.event_combo, 2)
        filters.addSpacing(8)
        filters.addWidget(_caption("Group by", self.group_by))
        filters.addWidget(self.group_by)
        status = QHBoxLayout()
        status.addWidget(self.as_of)
        status.addSpacing(12)
        status.addWidget(self.counter_since, 1)
        status.addWidget(self.refresh_button)
        status.addWidget(self.export_button)
        status.addWidget(self.accounting_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        outer.setSpacing(6)
        outer.addLayout(filters)
        outer.addLayout(status)
        outer.addWidget(self.pages, 1)
        outer.addWidget(self.message)

        self.period.currentIndexChanged.connect(self._period_changed)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._filters_changed)
        self.venue.currentIndexChanged.connect(self._venue_changed)
        self.event_combo.currentIndexChanged.connect(self._event_changed)
        self.group_by.currentIndexChanged.connect(self._filters_changed)
        self.compare.currentIndexChanged.connect(self._filters_changed)
        self.chart_kind.currentIndexChanged.connect(self._show_chart)
        self.colour_by.currentIndexChanged.connect(self._recolour)
        self.refresh_button.clicked.connect(self.refresh)
        self.accounting_button.clicked.connect(self.export_accounting)
        self.pages.currentChanged.connect(lambda _i: self._enable())
        self._period_changed()
        self._show_nothing()

    # -- choices --------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.load_choices()
        self.refresh()

    def load_choices(self) -> None:
        """The venues and events this counter knows now (a sync may have brought more)."""
        venue = self.venue.currentData()
        self.venue.blockSignals(True)
        self.venue.clear()
        self.venue.addItem("All venues", None)
        for choice in report_choices.venues(self._ctx):
            self.venue.addItem(choice.name, choice.id)
        self.venue.setCurrentIndex(max(0, self.venue.findData(venue)))
        self.venue.blockSignals(False)
        self._load_events()

    def _load_events(self) -> None:
        chosen = self.event_combo.currentData()
        self._events = report_choices.events(self._ctx, self.venue.currentData())
        self.event_combo.blockSignals(True)
        self.event_combo.clear()
        self.event_combo.addItem("All events", None)
        for choice in self._events:
            self.event_combo.addItem(choice.text, choice.id)
        self.event_combo.setCurrentIndex(max(0, self.event_combo.findData(chosen)))
        self.event_combo.blockSignals(False)
        self._load_compare()
        self._match_chart()  # the event may have gone with another venue

    def _load_compare(self) -> None:
        """The other events to compare with: those before the chosen one first (the same
        venue's first, the latest first), then the later ones."""
        chosen = self.compare.currentData()
        event = self.chosen_event()
        self.compare.blockSignals(True)
        self.compare.clear()
        self.compare.addItem("Compare with…", None)
        if event is not None:
            others = [e for e in report_choices.events(self._ctx) if e.id != event.id]
            others.sort(
                key=lambda e: (
                    e.starts_at >= event.starts_at,
                    e.venue_id != event.venue_id,
                    -e.starts_at.timestamp(),
                )
            )
            for choice in others:
                self.compare.addItem(choice.text, choice.id)
                self._names[choice.id] = choice.name
        self.compare.setCurrentIndex(max(0, self.compare.findData(chosen)))
        self.compare.blockSignals(False)

    def chosen_event(self) -> report_choices.EventChoice | None:
        event_id = self.event_combo.currentData()
        return next((e for e in self._events if e.id == event_id), None)

    def filters(self) -> ReportFilters:
        period = self.period.currentData()
        today = venue_time.now().date()
        start: date | None
        end: date | None = today
        if period == "today":
            start = today
        elif period in ("7", "30"):
            start = today - timedelta(days=int(period) - 1)
        elif period == "month":
            start = today.replace(day=1)
        elif period == "custom":
            start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
            if start > end:
                start, end = end, start
        else:
            start = end = None
        return ReportFilters(
            group_by=self.group_by.currentData() or "event",
            date_from=start,
            date_to=end,
            venue=self.venue.currentData(),
            event=self.event_combo.currentData(),
            compare_event=self.compare.currentData() if self.event_combo.currentData() else None,
        )

    def _period_changed(self, *_args: object) -> None:
        self.dates.setVisible(self.period.currentData() == "custom")
        self._filters_changed()

    def _venue_changed(self, *_args: object) -> None:
        self._load_events()
        self._filters_changed()

    def _event_changed(self, *_args: object) -> None:
        self._load_compare()
        self._match_chart()
        self._filters_changed()

    def _match_chart(self) -> None:
        """Sales over time are one event's; across events the channel mix says most."""
        one_event = self.event_combo.currentData() is not None
        if one_event == (self.chart_kind.currentData() == report_charts.CHANNELS):
            kind = report_charts.OVER_TIME if one_event else report_charts.CHANNELS
            self.chart_kind.setCurrentIndex(self.chart_kind.findData(kind))

    def _filters_changed(self, *_args: object) -> None:
        if self.isVisible():
            self.refetch.start()

    # -- fetching -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Fetch every figure for the filters now (off the UI thread)."""
        self.refetch.stop()
        filters = self.filters()
        if self._asked is not None:
            self._again = self._asked != filters
            return
        self._asked = filters
        event = filters.event
        need_layout = event is not None and event != self._layout_event
        by = self.colour_by.currentData() or BY_TIME
        ctx = self._ctx

        def work():
            figures = report_set.load(ctx, filters)
            layout, statuses = None, {}
            if event is not None and need_layout:
                sale = counter_selectors.event_for_sale(ctx=ctx, event_id=event)
                if sale is not None and len(sale.layout):
                    layout, statuses = sale.layout, sale.statuses
            elif event is not None:
                statuses = counter_selectors.event_state(ctx=ctx, event_id=event).statuses
            occupancy = figures.occupancy.data if figures.occupancy else None
            scale = (
                heat_scale(occupancy.get("seats"), by, STEPS, figures.currency)
                if occupancy
                else None
            )
            return figures, layout, statuses, scale

        self.refresh_button.setEnabled(False)
        self.runner.run(work, self._loaded, lambda _e: self._failed())

    def _failed(self) -> None:
        self._asked = None
        self.refresh_button.setEnabled(True)
        fw.show_message(self.message, "The figures could not be read. Try Refresh.")
        fw.restyle(self.message, error=True)

    def _loaded(self, result) -> None:
        figures, layout, statuses, scale = result
        self._asked = None
        self.refresh_button.setEnabled(True)
        if self._again or figures.filters != self.filters():
            self._again = False
            self.refresh()
            return
        event = figures.filters.event
        if layout is not None:
            self._layout_event, self._layout_data = event, (layout, statuses)
        elif event is not None and event == self._layout_event and self._layout_data:
            self._layout_data = (self._layout_data[0], statuses)  # the same map, new states
        elif event is not None:
            self._layout_event, self._layout_data = None, None  # no seat map here
        self._heat = scale
        self.show_figures(figures)

    # -- showing --------------------------------------------------------------------------

    def _show_nothing(self) -> None:
        self.as_of.setText("")
        self.counter_since.setText("")
        self.sales_model.set_table(None)
        self.occupancy_model.set_table(None)
        self._show_chart()
        self._enable()

    def _notes(self, figures: ReportSet) -> tuple[str, ...]:
        f = figures.filters
        period = "All dates"
        if f.date_from or f.date_to:
            period = f"{f.date_from:%d %b %Y} to {f.date_to:%d %b %Y}"
        venue = self.venue.itemText(max(0, self.venue.findData(f.venue)))
        event = self.event_combo.itemText(max(0, self.event_combo.findData(f.event)))
        return (f"Period: {period} · Venue: {venue} · Event: {event}", self.as_of_text(figures))

    def as_of_text(self, figures: ReportSet) -> str:
        at = figures.as_of
        when = venue_time.text(at, venue_time.DATE_CLOCK) if at else ""
        if figures.live:
            return f"Live · figures of {when}"
        why = "Offline" if figures.offline else "Not live"
        if at is None:
            return f"{why}: no figures kept for these filters yet"
        return f"{why}: the last figures, as of {when}"

    def show_figures(self, figures: ReportSet) -> None:
        self.figures = figures
        notes = self._notes(figures)
        self.as_of.setText(self.as_of_text(figures))
        self.as_of.setToolTip(figures.message)
        fw.restyle(self.as_of, error=not figures.live)
        if not figures.live and figures.message and not figures.offline:
            fw.show_message(self.message, f"The server did not give the figures: {figures.message}")
            fw.restyle(self.message, error=True)
        self._show_counter_since(figures)
        self.sales = (
            sales_table(figures.sales.data, notes, one_event=figures.filters.event is not None)
            if figures.sales.data
            else None
        )
        self.sales_model.set_table(self.sales)
        occupancy = figures.occupancy
        self.occupancy = (
            occupancy_table(occupancy.data, notes) if occupancy and occupancy.data else None
        )
        self.occupancy_model.set_table(self.occupancy)
        self._show_heat_map()
        self._show_chart()
        self._enable()

    def _show_counter_since(self, figures: ReportSet) -> None:
        since = figures.since
        if figures.live:
            self.counter_since.setText("")
            return
        when = venue_time.text(since.since, venue_time.CLOCK) if since.since else "the start"
        table = since.table()
        gross = table.text(since.gross, table.column("gross"))
        refunds = table.text(since.refunds, table.column("refunds"))
        text = (
            f"Sold here since {when}: {since.sales} sale{'s' if since.sales != 1 else ''}, "
            f"{since.tickets} ticket{'s' if since.tickets != 1 else ''}, {gross}"
        )
        if since.refunds:
            text += f", {refunds} refunded"
        if since.unsent:
            text += f" ({since.unsent} not yet sent)"
        self.counter_since.setText(text)

    def _show_chart(self, *_args: object) -> None:
        kind = self.chart_kind.currentData()
        figures = self.figures
        event = self.chosen_event()
        self.compare.setVisible(kind == report_charts.PACE)
        if kind == report_charts.CHANNELS:
            chart = report_charts.channel_chart(figures.channels.data if figures else None)
        elif event is None or figures is None or figures.over_time is None:
            chart = report_charts.over_time_chart(None, "")
            chart.setTitle("Choose an event to see its sales over time")
        else:
            compare = self._names.get(self.compare.currentData(), "")
            chart = report_charts.over_time_chart(
                figures.over_time.data,
                event.name,
                compare,
                pace=kind == report_charts.PACE,
            )
        old = self.chart_view.chart()
        self.chart_view.setChart(chart)
        if old is not None and old is not chart:
            old.deleteLater()

    def _show_heat_map(self) -> None:
        figures = self.figures
        occupancy = figures.occupancy if figures else None
        if occupancy is None or self._layout_data is None:
            self.heat_map.hide()
            self.heat_legend.hide()
            self.colour_by.hide()
            self.occupancy_note.setText(
                "Choose an event to see its occupancy and heat map."
                if occupancy is None
                else "This event has no seat map on this counter."
            )
            return
        layout, statuses = self._layout_data
        by = self.colour_by.currentData() or BY_TIME
        scale = self._heat if self._heat is not None and self._heat.by == by else self._scale()
        self.heat_state.show(layout, statuses, scale)
        self.heat_legend.show_scale(scale)
        self.heat_map.show()
        self.heat_legend.show()
        self.colour_by.show()
        data = occupancy.data or {}
        self.occupancy_note.setText(
            f"{scale.sold:,} sold seats on the map" if occupancy.data else "No figures yet."
        )
        if not isinstance(data.get("seats"), dict):
            self.occupancy_note.setText("The server gave no seats for the heat map.")

    def _scale(self):
        figures = self.figures
        data = (figures.occupancy.data if figures and figures.occupancy else None) or {}
        by = self.colour_by.currentData() or BY_TIME
        return heat_scale(data.get("seats"), by, STEPS, figures.currency if figures else "")

    def _recolour(self, *_args: object) -> None:
        if self.heat_state.layout is None or self.figures is None:
            return
        scale = self._scale()
        self.heat_state.recolour(scale)
        self.heat_legend.show_scale(scale)

    def _enable(self) -> None:
        shown = self.table_shown()
        over_time = self.over_time_table()
        for kind in ("csv", "xlsx"):
            self.export_actions[kind].setEnabled(shown is not None)
            self.export_actions[f"over_time.{kind}"].setEnabled(over_time is not None)
        self.export_actions["pdf"].setEnabled(self.sales is not None)
        self.export_button.setEnabled(self.sales is not None or shown is not None)

    # -- exports --------------------------------------------------------------------------

    def table_shown(self) -> ReportTable | None:
        return self.occupancy if self.pages.currentIndex() == OCCUPANCY_PAGE else self.sales

    def _say(self, text: str, *, error: bool = False) -> None:
        fw.show_message(self.message, text)
        fw.restyle(self.message, error=error)

    def over_time_table(self) -> ReportTable | None:
        """The chosen event's sales per day (the chart's figures), when fetched."""
        figures = self.figures
        if figures is None or figures.over_time is None or not figures.over_time.data:
            return None
        return over_time_table(figures.over_time.data, figures.currency, self._notes(figures))

    def export(self, kind: str, what: str | None = None) -> None:
        """Ask where, then write the file off the UI thread. `kind` csv, xlsx or pdf;
        `what` "over_time" for the sales per day, else the table shown."""
        figures = self.figures
        if kind == "pdf":
            table = self.sales
        else:
            table = self.over_time_table() if what == "over_time" else self.table_shown()
        if figures is None or table is None:
            self._say("There are no figures to export yet.", error=True)
            return
        day = venue_time.now().date().isoformat()
        suggested = f"{_slug(table.title)}-{day}.{kind}"
        if kind == "pdf":
            suggested = f"sales-report-{day}.pdf"
        chosen = self.save_path(self, "Export the report", FILE_KINDS[kind], suggested)
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != f".{kind}":
            path = path.with_name(f"{path.name}.{kind}")
        if kind == "csv":
            job = lambda: report_export.write_csv(table, path)  # noqa: E731
        elif kind == "xlsx":
            job = lambda: report_export.write_xlsx(table, path)  # noqa: E731
        else:
            document = self._pdf_document(figures)
            job = lambda: report_pdf.write_pdf(document, path)  # noqa: E731

        def work() -> SavedExport:
            try:
                job()
            except OSError as exc:
                return SavedExport(False, f"Could not save {path.name}: {exc.strerror or exc}.")
            return SavedExport(True, f"Saved {path.name} in {path.parent}.", path)

        self.runner.run(work, self._saved)

    def _pdf_document(self, figures: ReportSet) -> report_pdf.ReportDocument:
        tables = [t for t in (self.sales, self.occupancy) if t is not None]
        if not figures.live:
            tables.append(figures.since.table())
        lines: list[report_pdf.Line] = []
        event = self.chosen_event()
        over = figures.over_time.data if figures.over_time else None
        if event is not None and over:
            lines.append(report_pdf.Line(event.name, tuple(report_charts.points(over))))
            compare = over.get("compare")
            if isinstance(compare, dict) and self.compare.currentData():
                name = self._names.get(self.compare.currentData(), "Earlier event")
                lines.append(report_pdf.Line(name, tuple(report_charts.points(compare))))
        seller = report_choices.seller_name(self._ctx)
        return report_pdf.ReportDocument(
            "Sales report", seller, self._notes(figures), tables, lines
        )

    def _saved(self, result: SavedExport) -> None:
        self.last_export = result
        self._say(result.message, error=not result.ok)

    def export_accounting(self) -> None:
        filters = self.filters()
        day = venue_time.now().date().isoformat()
        span = "-".join(
            d.isoformat() for d in (filters.date_from, filters.date_to) if d is not None
        )
        suggested = f"accounting-{span or day}.csv"
        chosen = self.save_path(self, "Accounting export", FILE_KINDS["csv"], suggested)
        if not chosen:
            return
        path, ctx, params = Path(chosen), self._ctx, filters.period_params()
        self.accounting_button.setEnabled(False)

        def done(result: SavedExport) -> None:
            self.accounting_button.setEnabled(True)
            self._saved(result)

        self.runner.run(lambda: accounting_export.save_accounting_csv(ctx, params, path), done)
