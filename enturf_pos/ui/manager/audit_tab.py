"""The "Audit" tab (objectName ``auditTab``; the right ``view_audit``): the server's audit
trail, read-only. Who did what, when, on which counter, filtered by who, action, counter,
object and days (``auditFilters``), a page at a time in ``auditTable`` (a Qt table model),
exported as CSV or XLSX (``auditExportCsvButton``, ``auditExportXlsxButton``: every entry
the filters match, fetched from the server). Online from the API; offline the last page
fetched, with its time and why it is not live (``auditStatus``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QCompleter,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from enturf_pos.services import venue_time
from enturf_pos.services.back_office import audit_trail, audit_words
from enturf_pos.services.back_office.audit_trail import AuditFilters, AuditPage, AuditRow
from enturf_pos.services.back_office.table_files import write_table
from enturf_pos.services.reports.counter_since import site_currency
from enturf_pos.services.session.api_client import ApiError, ServerUnreachable
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.table_models import Column, RowTableModel
from enturf_pos.ui.task_runner import TaskRunner

CLOCK = "%a %d %b %Y %H:%M:%S"
# the query parameters that narrow the trail (a page's `filters` also holds its page)
FILTER_PARAMS = (
    "actor_name",
    "action_prefix",
    "device_name",
    "object_type",
    "object_id",
    "since",
    "until",
)
STATUS_CLOCK = "%a %d %b %H:%M:%S"
ACTION, OBJECT, DETAILS = 3, 4, 5


def _entries(count: int) -> str:
    return "1 entry" if count == 1 else f"{count} entries"


def _object(row: AuditRow, names: dict[str, str]) -> str:
    kind, _sep, key = row.object.partition(":")
    details = audit_words.details_of(row.details)
    return audit_words.object_text(kind, key, details, names.get(row.object, ""))


class AuditTableModel(RowTableModel[AuditRow]):
    """The entries in words; the server's codes, keys and JSON in each cell's tooltip
    (and `RawRole`), as the exports keep them."""

    columns = (
        Column("Time", lambda r: r.at, display=lambda r: venue_time.text(r.at, CLOCK)),
        Column("Who", lambda r: r.who),
        Column("Counter", lambda r: r.counter),
        Column("Action", lambda r: r.action, text=audit_words.action_text),
        Column("Object", lambda r: r.object),
        Column("Details", lambda r: r.details),
    )
    currency = ""  # amounts without a currency of their own (the site's)
    names: dict[str, str] = {}  # "type:id" -> the object's name on this device

    def data(self, index, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        column = index.column()
        row = self.row_at(index.row())
        shown = role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)
        if column == OBJECT and shown:
            return _object(row, self.names)
        if column == DETAILS and shown:
            details = audit_words.details_of(row.details)
            return audit_words.summary(row.action, details, self.currency)
        if role == Qt.ItemDataRole.ToolTipRole and column == ACTION:
            return f"{audit_words.action_text(row.action)} ({row.action})"
        if role == Qt.ItemDataRole.ToolTipRole and column == OBJECT:
            return f"{_object(row, self.names)} ({row.object})" if row.object else None
        if role == Qt.ItemDataRole.ToolTipRole and column == DETAILS:
            details = audit_words.details_of(row.details)
            return json.dumps(details, indent=2, ensure_ascii=False) if details else None
        return super().data(index, role)


def _filter(name: str, placeholder: str, width: int = 140) -> QLineEdit:
    edit = QLineEdit(objectName=name)
    edit.setPlaceholderText(placeholder)
    edit.setAccessibleName(placeholder)
    edit.setClearButtonEnabled(True)
    edit.setMinimumWidth(width)
    return edit


def _suggest(edit: QLineEdit, choices: list[str], tip: str) -> None:
    """Offer the codes the server matches (typed freely too); the tooltip lists them."""
    completer = QCompleter(choices, edit)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    edit.setCompleter(completer)
    edit.setToolTip(tip)


def _day(name: str) -> QDateEdit:
    edit = QDateEdit(objectName=name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate.currentDate())
    edit.setEnabled(False)
    return edit


class AuditTab(QWidget):
    def __init__(self, ctx: PosContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditTab")
        self._ctx = ctx
        self.runner = TaskRunner(self)
        self.page: AuditPage | None = None
        self.exported: Path | None = None  # the last file saved (tests read it back)
        self._fetching = False
        self._again = 0  # a page asked for while fetching
        self._asked_page = 1

        self.who = _filter("auditWhoFilter", "Who")
        self.who.setToolTip("Part of the username")
        self.action = _filter("auditActionFilter", "Action")
        _suggest(
            self.action,
            [code for code, _words in audit_words.ACTION_FILTERS],
            "The start of the action's code: "
            + ", ".join(f"{code} ({words})" for code, words in audit_words.ACTION_FILTERS),
        )
        self.counter = _filter("auditCounterFilter", "Counter")
        self.counter.setToolTip("Part of the counter's name")
        self.object_type = _filter("auditObjectTypeFilter", "Object type")
        _suggest(
            self.object_type,
            list(audit_words.OBJECTS),
            "What was acted on: "
            + ", ".join(f"{code} ({words})" for code, words in audit_words.OBJECTS.items()),
        )
        self.object_id = _filter("auditObjectIdFilter", "Object id")
        self.object_id.setToolTip("The key shown in an object's tooltip (after the colon)")
        self.days = QCheckBox("&Days", objectName="auditDaysFilter")
        self.since, self.until = _day("auditSince"), _day("auditUntil")
        self.days.toggled.connect(self.since.setEnabled)
        self.days.toggled.connect(self.until.setEnabled)
        self.search_button = fw.button("auditSearchButton", "&Search", primary=True)
        self.search_button.clicked.connect(lambda: self.fetch(1))
        for edit in (self.who, self.action, self.counter, self.object_type, self.object_id):
            edit.returnPressed.connect(lambda: self.fetch(1))

        filters = QWidget(objectName="auditFilters")
        row = QHBoxLayout(filters)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.who, self.action, self.counter, self.object_type, self.object_id):
            row.addWidget(widget, 1)
        row.addWidget(self.days)
        row.addWidget(self.since)
        row.addWidget(QLabel("to"))
        row.addWidget(self.until)
        row.addWidget(self.search_button)

        self.model = AuditTableModel(parent=self)
        self.model.currency = site_currency(ctx)
        self.table = QTableView(objectName="auditTable")
        self.table.setModel(self.model)
        self.table.setAccessibleName("Audit trail entries")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the details get the room left; a long object is elided (whole in its tooltip)
        header.setSectionResizeMode(OBJECT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(OBJECT, 220)
        header.setStretchLastSection(True)

        self.status = QLabel(objectName="auditStatus")
        self.status.setWordWrap(True)
        self.prev_button = fw.button("auditPrevButton", "&Newer")
        self.next_button = fw.button("auditNextButton", "&Older")
        self.prev_button.setToolTip("The newer page (Alt+N)")
        self.next_button.setToolTip("The older page (Alt+O)")
        self.prev_button.clicked.connect(lambda: self.fetch(self._current_page() - 1))
        self.next_button.clicked.connect(lambda: self.fetch(self._current_page() + 1))
        self.csv_button = fw.button("auditExportCsvButton", "Export &CSV…")
        self.xlsx_button = fw.button("auditExportXlsxButton", "Export &XLSX…")
        self.csv_button.clicked.connect(lambda: self.ask_export("csv"))
        self.xlsx_button.clicked.connect(lambda: self.ask_export("xlsx"))
        self.message = fw.message_label("auditMessage")
        # the selected entry whole: a narrow Details column elides it, a tooltip needs a mouse
        self.entry = QLabel(objectName="auditEntry")
        self.entry.setWordWrap(True)
        self.entry.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.entry.hide()
        self.table.selectionModel().currentRowChanged.connect(self._show_entry)

        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for button in (self.prev_button, self.next_button, self.csv_button, self.xlsx_button):
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.entry)
        layout.addLayout(bottom)
        layout.addWidget(self.message)
        # Ctrl+F: to the filters (Enter in one searches)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(lambda: (self.who.setFocus(), self.who.selectAll()))
        self.setTabOrder(self.search_button, self.table)
        self._show_buttons()

    # -- fetching -------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # the first look fetches the newest
        super().showEvent(event)
        if self.page is None and not self._fetching:
            self.fetch(1)

    def filters(self) -> AuditFilters:
        days = self.days.isChecked()
        return AuditFilters(
            who=self.who.text(),
            action=self.action.text(),
            counter=self.counter.text(),
            object_type=self.object_type.text(),
            object_id=self.object_id.text(),
            since=self.since.date().toPython() if days else None,
            until=self.until.date().toPython() if days else None,
        )

    def fetch(self, page: int = 1) -> None:
        if self._fetching:  # asked again meanwhile: fetch that page once this one answers
            self._again = max(1, page)
            return
        self._fetching = True
        self._asked_page = max(1, page)
        self.status.setText("Fetching the audit trail…")
        self._show_buttons()
        ctx, filters = self._ctx, self.filters()
        self.runner.run(
            lambda: audit_trail.fetch(ctx, filters, self._asked_page),
            self._fetched,
            self._failed,
        )

    def _fetched(self, page: AuditPage) -> None:
        self._fetching = False
        if self._again:
            again, self._again = self._again, 0
            self.fetch(again)
            return
        self.page = page
        self.model.names = page.names
        self.model.set_rows(page.rows)
        self.entry.hide()  # the reset dropped the selection
        when = venue_time.text(page.fetched, STATUS_CLOCK) if page.fetched else ""
        if page.live and not page.count:
            narrowed = any(page.filters.get(k) for k in FILTER_PARAMS)
            self.status.setText(
                f"Live · {when} · no entries match these filters: widen or clear them."
                if narrowed
                else f"Live · {when} · the audit trail is empty."
            )
        elif page.live:
            self.status.setText(
                f"Live · {when} · {_entries(page.count)} · page {page.page} of {page.pages}"
            )
        elif page.fetched is None:
            self.status.setText(f"{'Offline' if page.offline else 'Not shown'}: {page.message}")
        else:
            head = "Offline" if page.offline else "Not live"
            self.status.setText(
                f"{head}: the last page fetched, {when} (page {page.page} of {page.pages}, "
                f"{_entries(page.count)}). {page.message}"
            )
        fw.restyle(self.status, error=not page.live)
        self._show_buttons()

    def _show_entry(self, current, _previous=None) -> None:
        if not current.isValid():
            self.entry.hide()
            return
        model, row = self.model, current.row()
        words = [model.index(row, column).data() for column in range(model.columnCount())]
        when, who, counter, action, obj, details = words
        place = f"{who} at {counter}" if counter else who
        head = " · ".join(part for part in (when, place, action, obj) if part)
        self.entry.setText(f"{head}: {details}" if details else head)
        self.entry.show()

    def _failed(self, _exc: Exception) -> None:
        self._fetching, self._again = False, 0
        self.status.setText("The audit trail could not be read; try again.")
        self._show_buttons()

    def _current_page(self) -> int:
        return self.page.page if self.page is not None else 1

    def _show_buttons(self) -> None:
        page = self.page
        live = page is not None and page.live
        self.prev_button.setEnabled(live and not self._fetching and page.page > 1)
        self.next_button.setEnabled(live and not self._fetching and page.page < page.pages)
        self.search_button.setEnabled(not self._fetching)
        has_rows = page is not None and bool(page.rows)
        self.csv_button.setEnabled(has_rows)
        self.xlsx_button.setEnabled(has_rows)

    # -- export ---------------------------------------------------------------------------

    def ask_export(self, kind: str) -> None:
        stamp = venue_time.now().strftime("%Y%m%d-%H%M")
        path, _chosen = QFileDialog.getSaveFileName(
            self,
            "Export the audit trail",
            str(Path.home() / f"audit-{stamp}.{kind}"),
            "CSV (*.csv)" if kind == "csv" else "Excel workbook (*.xlsx)",
        )
        if path:
            self.export_to(Path(path).with_suffix(f".{kind}"))

    def export_to(self, path: Path) -> None:
        """Online: every entry the filters match; offline: the page shown, and says so."""
        page, ctx, filters = self.page, self._ctx, self.filters()
        offline_rows = tuple(page.rows) if page is not None and not page.live else None
        self.csv_button.setEnabled(False)
        self.xlsx_button.setEnabled(False)

        def work() -> tuple[bool, str]:
            try:
                rows = offline_rows
                if rows is None:
                    rows = audit_trail.export_rows(ctx, filters)
                cells = (r.cells() for r in rows)
                count = write_table(path, audit_trail.HEADERS, cells, title="Audit")
            except (ApiError, ServerUnreachable) as exc:
                return False, f"Nothing was saved: {exc.message}"
            except OSError as exc:
                return False, f"Nothing was saved: {path} cannot be written ({exc.strerror})."
            if offline_rows is not None:
                return True, f"Offline: saved the {count} entries of the page shown to {path}."
            return True, f"Saved {count} entries to {path}."

        self.runner.run(work, lambda result: self._exported(path, *result), self._export_failed)

    def _exported(self, path: Path, ok: bool, text: str) -> None:
        if ok:
            self.exported = path
        fw.show_message(self.message, text)
        fw.restyle(self.message, error=not ok)
        self._show_buttons()

    def _export_failed(self, _exc: Exception) -> None:
        fw.show_message(self.message, "The export failed; nothing was saved.")
        fw.restyle(self.message, error=True)
        self._show_buttons()
