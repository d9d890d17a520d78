"""The "Vouchers" tab (objectName ``vouchersTab``; the right ``manage_vouchers``): the
server's vouchers filtered by code, batch or event (``voucherTable``, a Qt table model),
one created or changed in ``voucherDialog``, codes made in bulk (``voucherBulkButton``:
up to 500, then saved as CSV), and the selected voucher's redemptions
(``voucherRedemptions``). Vouchers live on the server: online only for changes; offline
the last list fetched, with its time, and why editing is off (``voucherStatus``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from enturf_pos.services import venue_time
from enturf_pos.services.back_office import vouchers
from enturf_pos.services.back_office.vouchers import (
    Redemption,
    Redemptions,
    VoucherFilters,
    VoucherList,
    VoucherRow,
)
from enturf_pos.services.catalog import catalog_selectors
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.manager.voucher_dialog import VoucherDialog
from enturf_pos.ui.table_models import RIGHT, Column, RowTableModel
from enturf_pos.ui.task_runner import TaskRunner

CLOCK = "%a %d %b %H:%M"


def _validity(row: VoucherRow) -> str:
    start = venue_time.text(row.valid_from, "%d %b %Y") if row.valid_from else ""
    end = venue_time.text(row.valid_until, "%d %b %Y") if row.valid_until else ""
    if not start and not end:
        return "Always"
    return f"{start or '…'} to {end or '…'}"


def _words(code: str) -> str:
    """A server code as words: "partially_refunded" -> "Partially refunded"."""
    text = code.replace("_", " ")
    return text[:1].upper() + text[1:]


class VoucherTableModel(RowTableModel[VoucherRow]):
    columns = (
        Column("Code", lambda r: r.code),
        Column("Value", lambda r: r.value_text(), align=RIGHT),
        Column("Valid", _validity),
        Column("Uses", lambda r: r.used, display=lambda r: r.uses_text(), align=RIGHT),
        Column("Events", lambda r: len(r.events), display=lambda r: str(len(r.events) or "All")),
        Column("Tickets", lambda r: len(r.tickets), display=lambda r: str(len(r.tickets) or "All")),
        Column("Batch", lambda r: r.batch),
        Column("Active", lambda r: r.active, display=lambda r: "Yes" if r.active else "No"),
    )


class RedemptionTableModel(RowTableModel[Redemption]):
    columns = (
        Column("Booking", lambda r: r.booking_code),
        Column("When", lambda r: r.at, display=lambda r: venue_time.text(r.at, CLOCK)),
        Column("Discount", lambda r: r.discount, align=RIGHT),
        Column("Channel", lambda r: r.channel, display=lambda r: r.counter or _words(r.channel)),
        Column("State", lambda r: r.state, text=_words),
    )


def _view(name: str, model: RowTableModel, accessible: str) -> QTableView:
    view = QTableView(objectName=name)
    view.setModel(model)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


class VouchersTab(QWidget):
    def __init__(self, ctx: PosContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vouchersTab")
        self._ctx = ctx
        self.runner = TaskRunner(self)
        self.listing: VoucherList | None = None
        self.redeemed: Redemptions | None = None
        self.dialog: VoucherDialog | None = None
        self._fetching = False
        self._again = False
        self._asked = VoucherFilters()  # the filters of the list fetched last

        self.code_filter = QLineEdit(objectName="voucherCodeFilter")
        self.code_filter.setPlaceholderText("Code")
        self.batch_filter = QLineEdit(objectName="voucherBatchFilter")
        self.batch_filter.setPlaceholderText("Batch")
        self.batch_filter.setMinimumWidth(300)  # a whole tag: GALA-20261207-011ec9
        self.event_filter = QComboBox(objectName="voucherEventFilter")
        self.event_filter.setAccessibleName("Event")
        self.event_filter.setMinimumContentsLength(24)
        self.event_filter.activated.connect(lambda _i: self.fetch())  # a choice searches at once
        self.search_button = fw.button("voucherSearchButton", "&Search")
        self.search_button.clicked.connect(self.fetch)
        for edit in (self.code_filter, self.batch_filter):
            edit.setClearButtonEnabled(True)
            edit.setAccessibleName(edit.placeholderText())
            edit.returnPressed.connect(self.fetch)
        self.new_button = fw.button("voucherNewButton", "&New voucher…", primary=True)
        self.edit_button = fw.button("voucherEditButton", "&Edit…")
        self.bulk_button = fw.button("voucherBulkButton", "&Bulk codes…")
        self.new_button.clicked.connect(lambda: self.open_dialog(None))
        self.edit_button.clicked.connect(self._edit_selected)
        self.bulk_button.clicked.connect(lambda: self.open_dialog(None, bulk=True))

        top = QHBoxLayout()
        top.addWidget(self.code_filter, 2)
        top.addWidget(self.batch_filter, 3)  # batch tags are long: GALA-20261207-011ec9
        top.addWidget(self.event_filter, 2)
        top.addWidget(self.search_button)
        for widget in (self.new_button, self.edit_button, self.bulk_button):
            top.addWidget(widget)

        self.model = VoucherTableModel(parent=self)
        self.table = _view("voucherTable", self.model, "Vouchers")
        self.table.selectionModel().selectionChanged.connect(self._selected)
        # Enter or a double click edits the voucher
        self.table.activated.connect(lambda _i: self._edit_selected())
        self.redemptions_model = RedemptionTableModel(parent=self)
        self.redemptions = _view(
            "voucherRedemptions", self.redemptions_model, "Redemptions of the selected voucher"
        )
        self.redemptions_title = QLabel(
            "Select a voucher to see its redemptions.", objectName="voucherRedemptionsTitle"
        )
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.redemptions_title)
        lower_layout.addWidget(self.redemptions, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        self.status = QLabel(objectName="voucherStatus")
        self.status.setWordWrap(True)
        self.message = fw.message_label("voucherMessage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.message)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(lambda: (self.code_filter.setFocus(), self.code_filter.selectAll()))
        self._show_buttons()

    # -- list ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._list_events()
        if self.listing is None and not self._fetching:
            self.fetch()

    def _list_events(self) -> None:
        chosen = self.event_filter.currentData()
        self.event_filter.blockSignals(True)
        self.event_filter.clear()
        self.event_filter.addItem("All events", None)
        for event in catalog_selectors.all_events(ctx=self._ctx):
            self.event_filter.addItem(
                f"{event.name} · {venue_time.text(event.starts_at, '%d %b %Y')}", event.id
            )
        index = self.event_filter.findData(chosen)
        self.event_filter.setCurrentIndex(max(0, index))
        self.event_filter.blockSignals(False)

    def filters(self) -> VoucherFilters:
        return VoucherFilters(
            code=self.code_filter.text(),
            batch=self.batch_filter.text(),
            event_id=self.event_filter.currentData(),
        )

    def fetch(self) -> None:
        if self._fetching:  # the filters changed meanwhile: fetch again once it answers
            self._again = True
            return
        self._fetching = True
        self.status.setText("Fetching the vouchers…")
        ctx, filters = self._ctx, self.filters()
        self._asked = filters
        self.runner.run(lambda: vouchers.fetch_list(ctx, filters), self._fetched, self._failed)

    def _fetched(self, listing: VoucherList) -> None:
        self._fetching = False
        if self._again:
            self._again = False
            self.fetch()
            return
        self.listing = listing
        chosen = self.selected()
        self.model.set_rows(listing.rows)
        when = venue_time.text(listing.fetched, CLOCK) if listing.fetched else ""
        shown = len(listing.rows)
        more = f" (the first {shown} of {listing.count})" if listing.count > shown else ""
        if listing.live and not listing.count:
            filters = self._asked
            narrowed = filters.code or filters.batch or filters.event_id is not None
            self.status.setText(
                f"Live · {when} · no vouchers match these filters: change or clear them."
                if narrowed
                else f"Live · {when} · no vouchers yet: make one with New voucher… or Bulk codes…"
            )
        elif listing.live:
            many = "1 voucher" if listing.count == 1 else f"{listing.count} vouchers"
            self.status.setText(f"Live · {when} · {many}{more}")
        else:
            head = "Offline" if listing.offline else "Not live"
            kept = f"the list fetched {when}{more}" if listing.fetched else "no list fetched yet"
            self.status.setText(
                f"{head}: {kept}. {vouchers.NEEDS_SERVER}, so editing is off. ({listing.message})"
            )
        fw.restyle(self.status, error=not listing.live)
        # the reset dropped the selection without a signal: select it again, or say none is
        if chosen is None or not self.select(chosen.id):
            self._selected()
        self._show_buttons()

    def _failed(self, _exc: Exception) -> None:
        self._fetching = self._again = False
        self.status.setText("The vouchers could not be read; try again.")
        self._show_buttons()

    def selected(self) -> VoucherRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, voucher_id: int) -> bool:
        for r in range(self.model.rowCount()):
            if self.model.row_at(r).id == voucher_id:
                self.table.selectRow(r)
                return True
        return False

    def _show_buttons(self) -> None:
        live = self.listing is not None and self.listing.live
        why = "" if live else f"{vouchers.NEEDS_SERVER}: it cannot be reached now."
        for button in (self.new_button, self.bulk_button):
            button.setEnabled(live)
            button.setToolTip(why)
        self.edit_button.setEnabled(live and self.selected() is not None)
        self.edit_button.setToolTip(why)

    # -- redemptions -----------------------------------------------------------------------

    def _selected(self, *_args: object) -> None:
        self._show_buttons()
        voucher = self.selected()
        self.redemptions_model.set_rows(())
        self.redeemed = None
        if voucher is None:
            self.redemptions_title.setText("Select a voucher to see its redemptions.")
            return
        self.redemptions_title.setText(f"Redemptions of {voucher.code}: fetching…")
        ctx, voucher_id = self._ctx, voucher.id
        self.runner.run(
            lambda: vouchers.redemptions(ctx, voucher_id),
            lambda got: self._redeemed(voucher_id, voucher.code, got),
        )

    def _redeemed(self, voucher_id: int, code: str, got: Redemptions) -> None:
        current = self.selected()
        if current is None or current.id != voucher_id:
            return  # another voucher was selected meanwhile
        self.redeemed = got
        self.redemptions_model.set_rows(got.rows)
        count = len(got.rows)
        text = f"Redemptions of {code}: {count}" if count else f"Redemptions of {code}"
        self.redemptions_title.setText(f"{text}. {got.message}".rstrip(". ") + ".")

    # -- dialogs ---------------------------------------------------------------------------

    def _edit_selected(self) -> None:
        if self.edit_button.isEnabled():  # live, a voucher selected
            self.open_dialog(self.selected())

    def open_dialog(self, voucher: VoucherRow | None, *, bulk: bool = False) -> None:
        ctx = self._ctx
        self.dialog = VoucherDialog(
            ctx,
            events=catalog_selectors.all_events(ctx=ctx),
            tickets_of=lambda event_id: catalog_selectors.tickets_of(ctx=ctx, event_id=event_id),
            events_of_tickets=lambda ids: vouchers.events_of_tickets(ctx, ids),
            voucher=voucher,
            bulk=bulk,
            parent=self,
        )
        self.dialog.finished.connect(self._closed)
        self.dialog.show()

    def _closed(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        outcome = dialog.outcome
        if outcome is not None and outcome.ok:
            fw.show_message(self.message, outcome.message)
            fw.restyle(self.message, error=False)
            if outcome.batch:  # show the batch just made
                self.code_filter.clear()
                self.batch_filter.setText(outcome.batch)
            self.fetch()
        dialog.deleteLater()
