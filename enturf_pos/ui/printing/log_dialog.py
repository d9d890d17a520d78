"""PrintLogDialog (objectName ``printLogDialog``): what this counter printed, latest
first: when, what, which booking, COPY or not, who, on which printer, and the outcome
(with the reason of a failure). A selected receipt or tickets row can be printed again
(marked COPY) with ``printLogReprintButton``."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from enturf_pos.services import venue_time
from enturf_pos.services.printing import print_log
from enturf_pos.services.printing.print_log import PrintKind, PrintLogRow
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui.main_window_base import table_view
from enturf_pos.ui.printing.controller import PrintController, PrintResult
from enturf_pos.ui.table_models import Column, RowRole, RowTableModel
from enturf_pos.ui.task_runner import TaskRunner


class PrintLogModel(RowTableModel[PrintLogRow]):
    PRINTER, OUTCOME = 5, 7
    columns = (
        Column("When", lambda r: r.at, lambda v: venue_time.text(v, venue_time.SHORT_SECONDS)),
        Column("What", lambda r: r.kind, lambda v: str(v).capitalize()),
        Column("Booking", lambda r: r.booking_code or r.title),
        Column("Copy", lambda r: r.copy, lambda v: "COPY" if v else ""),
        Column("Who", lambda r: r.user),
        Column("Printer", lambda r: r.printer),
        Column("Pages", lambda r: r.pages),
        Column(
            "Outcome",
            lambda r: r.outcome,
            display=lambda r: f"{r.outcome}: {r.message}" if r.message else r.outcome,
        ),
    )


class PrintLogDialog(QDialog):
    def __init__(
        self,
        *,
        ctx: PosContext,
        controller: PrintController,
        sale_id: uuid.UUID | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("printLogDialog")
        self.setWindowTitle("Print log of this counter")
        self.resize(1100, 480)
        self._ctx = ctx
        self._sale_id = sale_id
        self.controller = controller
        self.runner = TaskRunner(self)
        self.model = PrintLogModel(parent=self)
        self.table = table_view(
            "printLogTable", self.model, "Print log", stretch_column=PrintLogModel.OUTCOME
        )
        # a printer can be a long folder path (PDF target): a fixed width, elided in the
        # middle (its tooltip has it whole), so Pages and Outcome stay in view
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PrintLogModel.PRINTER, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(PrintLogModel.PRINTER, 200)
        self.empty = QLabel("Nothing printed yet.", objectName="printLogEmpty")
        self.reprint = QPushButton("Print again (COPY)", objectName="printLogReprintButton")
        self.reprint.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.reprint, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.reprint.clicked.connect(self._reprint)
        controller.jobFinished.connect(self._printed)
        self.load()

    def load(self) -> None:
        ctx, sale_id = self._ctx, self._sale_id
        self.runner.run(lambda: print_log.entries(ctx=ctx, sale_id=sale_id), self._loaded)

    def _loaded(self, rows: list[PrintLogRow]) -> None:
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self._selected()

    def _printed(self, _result: PrintResult) -> None:
        if self.isVisible():
            self.load()

    def selected_row(self) -> PrintLogRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return indexes[0].data(RowRole) if indexes else None

    def _selected(self, *_args) -> None:
        row = self.selected_row()
        self.reprint.setEnabled(
            row is not None
            and row.sale_id is not None
            and row.kind in (PrintKind.RECEIPT, PrintKind.TICKETS)
        )

    def _reprint(self) -> None:
        row = self.selected_row()
        if row is not None and row.sale_id is not None:
            self.controller.print_sale(row.sale_id, {row.kind}, reprint=True)

    def done(self, result: int) -> None:
        self.runner.shutdown(5000)
        super().done(result)
