"""Copies of an event with its tickets: one on a new date (``duplicateDialog``) or a
series (``seriesDialog``): every week on the event's weekday for N weeks, or on a list
of typed dates. The dates are previewed before anything is made; each copy is one
`event_create` op (`event_setup.duplicate_event`), written here at once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from enturf_pos.services import venue_time
from enturf_pos.services.catalog import event_setup
from enturf_pos.services.catalog.catalog_selectors import EventRow
from enturf_pos.services.catalog.local_edits import EditResult
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.manager.delegates import aware, qtime, state_combo, time_edit
from enturf_pos.ui.manager.dialog_parts import buttons, message

MAX_WEEKS = 104
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d %b %Y", "%d %B %Y")
CLOCK_FORMATS = ("%H:%M", "%H.%M")


def _zone(row: EventRow) -> ZoneInfo:
    zone = row.starts_at.tzinfo
    return zone if isinstance(zone, ZoneInfo) else venue_time.current_zone()


def _intro(row: EventRow) -> str:
    when = venue_time.text(row.starts_at, venue_time.DAY_CLOCK)
    return f"“{row.name}”, {when}, with its tickets."


def parse_dates(text: str, at: time, zone: ZoneInfo) -> list[datetime]:
    """Start times from lines like "2026-12-18" or "18.12.2026 19:30" (no time: `at`),
    in the venue's zone; ValueError naming the line to fix."""
    out: list[datetime] = []
    for number, line in enumerate(text.splitlines(), 1):
        words = line.strip()
        if not words:
            continue
        day_text, clock = words, at
        head, _space, tail = words.rpartition(" ")
        for fmt in CLOCK_FORMATS:
            try:
                clock = datetime.strptime(tail, fmt).time()
                day_text = head.strip()
                break
            except ValueError:
                continue
        day = _parse_day(day_text)
        if day is None:
            raise ValueError(
                f"Line {number}: “{words}” is not a date. Type one date a line, like "
                "2026-12-18 or 18.12.2026, with a time after it if not the event's."
            )
        moment = datetime.combine(day, clock).replace(tzinfo=zone)
        if moment not in out:
            out.append(moment)
    return sorted(out)


def _parse_day(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def check_dates(starts: list[datetime], row: EventRow) -> str | None:
    """What is wrong with these start times for copies of `row`, or None."""
    if not starts:
        return "Choose at least one date."
    now = datetime.now(UTC)
    for start in starts:
        if start == row.starts_at:
            return f"{venue_time.text(start)} is the event's own date: choose another."
        if start < now:
            return f"{venue_time.text(start)} is in the past."
    return None


class DuplicateDialog(QDialog):
    """One copy of the event on another date."""

    def __init__(self, ctx: PosContext, row: EventRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicateDialog")
        self.setWindowTitle("Duplicate event")
        self._ctx, self._row = ctx, row
        self.result_: EditResult | None = None
        self.first_id: int | None = None
        self.starts = time_edit(_zone(row).key, self, "duplicateStarts")
        self.starts.setDateTime(qtime(row.starts_at + timedelta(days=7)))
        self.state = state_combo(self, "duplicateState")
        self.message = message("duplicateMessage")
        box, self.create_button = buttons(self, "duplicateCreateButton", "Create copy", self.save)
        form = QFormLayout()
        form.addRow(fw.caption("New &date", self.starts), self.starts)
        form.addRow(fw.caption("S&tate", self.state), self.state)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"A copy of {_intro(row)}", objectName="duplicateIntro"))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(box)

    def save(self) -> None:
        starts = [aware(self.starts.dateTime()).astimezone(_zone(self._row))]
        if problem := check_dates(starts, self._row):
            fw.show_message(self.message, problem)
            return
        result = event_setup.duplicate_event(
            ctx=self._ctx, event_id=self._row.id, starts=starts, state=self.state.currentData()
        )
        if not result.ok:
            fw.show_message(self.message, result.message)
            return
        self.result_ = result
        self.first_id = getattr(result, "new_id", None)
        self.accept()


class SeriesDialog(QDialog):
    """Copies every week on the event's weekday, or on typed dates; previewed first."""

    def __init__(self, ctx: PosContext, row: EventRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seriesDialog")
        self.setWindowTitle("Series of events")
        self._ctx, self._row = ctx, row
        self.result_: EditResult | None = None
        self.first_id: int | None = None
        self.starts: list[datetime] = []
        local = row.starts_at
        weekday = f"{local:%A}s"
        clock = f"{local:%H:%M}"

        self.weekly = QRadioButton(f"Every week on {weekday} at {clock}", objectName="seriesWeekly")
        self.weekly.setChecked(True)
        self.from_date = QDateEdit(objectName="seriesFrom")
        self.from_date.setCalendarPopup(True)
        self.from_date.setDisplayFormat("ddd dd MMM yyyy")
        next_week = local.date() + timedelta(days=7)
        self.from_date.setDate(QDate(next_week.year, next_week.month, next_week.day))
        self.weeks = QSpinBox(objectName="seriesWeeks")
        self.weeks.setRange(1, MAX_WEEKS)
        self.weeks.setValue(8)
        self.weeks.setSuffix(" weeks")
        self.listed = QRadioButton("On these dates", objectName="seriesListed")
        self.dates = QPlainTextEdit(objectName="seriesDates")
        self.dates.setPlaceholderText(f"One date a line: 2026-12-18 or 18.12.2026 (at {clock})")
        self.dates.setFixedHeight(90)
        mode = QButtonGroup(self)
        mode.addButton(self.weekly)
        mode.addButton(self.listed)
        self.state = state_combo(self, "seriesState")
        self.preview = QListWidget(objectName="seriesPreview")
        self.preview.setMinimumHeight(150)
        self.summary = QLabel(objectName="seriesSummary")
        self.message = message("seriesMessage")
        box, self.create_button = buttons(self, "seriesCreateButton", "Create events", self.save)

        weekly_row = QHBoxLayout()
        weekly_row.addWidget(QLabel("from"))
        weekly_row.addWidget(self.from_date)
        weekly_row.addWidget(QLabel("for"))
        weekly_row.addWidget(self.weeks)
        weekly_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Copies of {_intro(row)}", objectName="seriesIntro"))
        layout.addWidget(self.weekly)
        layout.addLayout(weekly_row)
        layout.addWidget(self.listed)
        layout.addWidget(self.dates)
        form = QFormLayout()
        form.addRow(fw.caption("S&tate", self.state), self.state)
        layout.addLayout(form)
        layout.addWidget(QLabel("Dates to create", objectName="sectionTitle"))
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.message)
        layout.addWidget(box)
        self.resize(520, 600)

        for signal in (
            self.weekly.toggled,
            self.from_date.dateChanged,
            self.weeks.valueChanged,
            self.dates.textChanged,
        ):
            signal.connect(self.update_preview)
        self.dates.textChanged.connect(lambda: self.listed.setChecked(True))
        self.update_preview()

    def _first(self) -> datetime:
        """The first weekly date: the chosen day, moved on to the event's weekday."""
        local = self._row.starts_at
        picked = self.from_date.date().toPython()
        day = picked + timedelta(days=(local.weekday() - picked.weekday()) % 7)
        return datetime.combine(day, local.timetz().replace(tzinfo=None)).replace(
            tzinfo=_zone(self._row)
        )

    def dates_wanted(self) -> list[datetime]:
        """The start times the dialog would create; ValueError saying what to fix."""
        if self.weekly.isChecked():
            return event_setup.weekly_dates(self._first(), self.weeks.value())
        local = self._row.starts_at
        return parse_dates(self.dates.toPlainText(), local.time(), _zone(self._row))

    def update_preview(self, *_args: object) -> None:
        self.preview.clear()
        try:
            self.starts = self.dates_wanted()
            problem = check_dates(self.starts, self._row)
        except ValueError as exc:
            self.starts, problem = [], str(exc)
        for start in self.starts:
            self.preview.addItem(venue_time.text(start, venue_time.DAY_CLOCK))
        n = len(self.starts)
        if n:
            first = venue_time.text(self.starts[0], venue_time.DAY)
            last = venue_time.text(self.starts[-1], venue_time.DAY)
            self.summary.setText(
                f"{n} event{'s' if n != 1 else ''}: {first}" + (f" to {last}" if n > 1 else "")
            )
        else:
            self.summary.setText("No dates yet.")
        self.create_button.setText(f"Create {n} event{'s' if n != 1 else ''}" if n else "Create")
        fw.show_message(self.message, problem)

    def save(self) -> None:
        self.update_preview()
        if self.message.isVisible() or not self.starts:
            return
        result = event_setup.duplicate_event(
            ctx=self._ctx,
            event_id=self._row.id,
            starts=self.starts,
            state=self.state.currentData(),
        )
        if not result.ok:
            fw.show_message(self.message, result.message)
            return
        self.result_ = result
        self.first_id = getattr(result, "new_id", None)
        self.accept()
