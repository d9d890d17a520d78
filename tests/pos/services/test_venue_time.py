"""Every time the counter shows or prints is in the venue's zone (Europe/Berlin here), with
the machine's own zone far away (TZ=America/Los_Angeles): receipts, tickets, the X and Z
reports (A4 and roll, read back with pypdf) and the shift report dialog, on a counter with
a local shop (no server). The screens fed by the server are in test_venue_time_screens."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QLabel
from sqlalchemy import update
from support.artifacts import ARTIFACTS
from support.machine_zone import machine_zone
from support.printing_shop import EUR, EVENT_ID, seed_shop, sell

from enturf_core.money import Money
from enturf_core.ticket_pdf import render_tickets_a4
from enturf_pos.models import Event, LocalSale, LocalShift, LocalUser
from enturf_pos.services.printing import documents, print_log
from enturf_pos.services.printing.receipt_pdf import render_receipt
from enturf_pos.services.printing.shift_report_pdf import ReportPaper, render_shift_report
from enturf_pos.services.sales import booking_lookup
from enturf_pos.services.session import auth_service, counter_key
from enturf_pos.services.session.pos_context import open_context
from enturf_pos.services.shifts import shift_service
from enturf_pos.services.shifts.shift_records import CloseRequest
from enturf_pos.ui.cashier.booking_lookup import BookingResultsModel
from enturf_pos.ui.cashier.shift_report_dialog import ShiftReportDialog
from enturf_pos.ui.conflict_dialog import show_value
from enturf_pos.ui.printing.log_dialog import PrintLogModel
from enturf_pos.ui.sync_status_widget import format_last_sync

BERLIN = ZoneInfo("Europe/Berlin")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
WINTER_SHOW = datetime(2031, 1, 15, 19, 0, tzinfo=UTC)  # 20:00 in Berlin, 11:00 in LA


@pytest.fixture
def machine_in_los_angeles():
    """The machine's clock zone is Los Angeles (9 hours from Berlin in winter)."""
    with machine_zone("America/Los_Angeles"):
        assert WINTER_SHOW.astimezone().hour == 11
        yield


@pytest.fixture
def berlin_shop(ctx, machine_in_los_angeles):
    """The printing shop (a Berlin venue) with its event moved to a winter evening; the
    counter started again after the venue arrived, as it would after a sync."""
    seed_shop(ctx)
    with ctx.db.transaction() as s:
        s.execute(update(Event).where(Event.id == EVENT_ID).values(starts_at=WINTER_SHOW))
    again = open_context(ctx.config)
    yield again
    again.close()


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def clock(moment: datetime, zone: ZoneInfo, fmt: str = "%H:%M") -> str:
    return moment.astimezone(zone).strftime(fmt)


def test_receipt_and_tickets_print_the_venue_time(berlin_shop):
    ctx = berlin_shop
    sale_id = sell(ctx, [3, 4])
    with ctx.db.transaction() as s:
        sold_at = s.get(LocalSale, sale_id).created_at
    receipt = text_of(render_receipt(documents.receipt_for_sale(ctx, sale_id)))
    tickets = text_of(render_tickets_a4(documents.tickets_for_sale(ctx, sale_id)))
    for text in (receipt, tickets):
        assert "20:00" in text and "11:00" not in text
    # the sale's own time, under the totals: Berlin's clock, not the machine's
    sold_berlin, sold_la = clock(sold_at, BERLIN), clock(sold_at, LOS_ANGELES)
    assert re.search(rf"{sold_berlin} · Box office 1", receipt), receipt
    assert f"{sold_la} · Box office 1" not in receipt
    assert "Jane Doe" in receipt


def test_x_and_z_reports_show_venue_time_display_names_and_counted_words(berlin_shop, qtbot):
    ctx = berlin_shop
    shift = shift_service.current_shift(ctx=ctx)  # jane's, opened by the shop's set-up
    assert shift is not None and shift.cashier == "jane"
    shift_id = shift.id
    sell(ctx, [5])
    with ctx.db.transaction() as s:
        opened_at = s.get(LocalShift, shift_id).opened_at
    berlin = clock(opened_at, BERLIN, "%Y-%m-%d %H:%M")
    la = clock(opened_at, LOS_ANGELES, "%Y-%m-%d %H:%M")

    def check(pdf: bytes, name: str) -> str:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
        page = pypdfium2.PdfDocument(pdf)[0]
        page.render(scale=80 / 72).to_pil().save(ARTIFACTS / f"{name}.png")
        text = text_of(pdf)
        assert berlin in text and la not in text, text
        assert "Jane Doe" in text and not re.search(r"\bjane\b", text), text
        assert "(s)" not in text, text
        return text

    ARTIFACTS.mkdir(exist_ok=True)
    dialog = ShiftReportDialog(None, shift_service.shift_report(ctx=ctx), paper="a4")
    qtbot.addWidget(dialog)
    head = dialog.findChild(QLabel, "shiftReportTitle").text()
    assert f"Cashier Jane Doe · opened {clock(opened_at, BERLIN, '%d %b %Y %H:%M')}" in head
    assert "1 sale, 0 refunds" in dialog.text.text()
    dialog.show()
    dialog.grab().save(str(ARTIFACTS / "venue-time-x-report-dialog.png"))
    x_a4 = check(render_shift_report(ctx=ctx), "venue-time-x-report-a4")
    check(render_shift_report(ctx=ctx, paper=ReportPaper.ROLL), "venue-time-x-report-roll")
    assert "1 sale, 0 refunds." in x_a4

    report = shift_service.shift_report(ctx=ctx)
    counted = {m: Money(report.expected[m].amount, EUR) for m in report.expected}
    closed = shift_service.close_shift(ctx=ctx, request=CloseRequest(counted))
    assert closed.ok, closed.message
    with ctx.db.transaction() as s:
        closed_at = s.get(LocalShift, shift_id).closed_at
    z_a4 = check(render_shift_report(ctx=ctx, shift_id=shift_id), "venue-time-z-a4")
    assert clock(closed_at, BERLIN, "%Y-%m-%d %H:%M") in z_a4
    check(
        render_shift_report(ctx=ctx, shift_id=shift_id, paper=ReportPaper.ROLL),
        "venue-time-z-roll",
    )


def test_print_log_booking_lookup_conflicts_and_last_sync_read_venue_time(berlin_shop, qtbot):
    ctx = berlin_shop
    sale_id = sell(ctx, [6])
    job = print_log.record(
        ctx=ctx,
        kind="receipt",
        title="Receipt",
        sale_id=sale_id,
        copy=False,
        user="jane",
        printer="PDF",
        outcome=print_log.PrintOutcome.PRINTED,
        pages=1,
    )
    (row,) = [r for r in print_log.entries(ctx=ctx) if r.id == job]
    logged = PrintLogModel([row])
    when = logged.index(0, 0).data()
    assert when == clock(row.at, BERLIN, "%d %b %H:%M:%S"), when
    assert logged.index(0, 4).data() == "Jane Doe"  # who printed: the display name

    with ctx.db.transaction() as s:
        code = s.get(LocalSale, sale_id).code
    (found,) = booking_lookup.search(ctx=ctx, text=code, online=False).bookings
    results = BookingResultsModel([found])
    sold = results.index(0, BookingResultsModel.WHEN).data()
    assert sold == clock(found.created_at, BERLIN, "%d %b %H:%M"), sold

    assert show_value("starts_at", "2031-01-15T19:00:00+00:00") == "Wed 15 Jan 2031 20:00"
    assert format_last_sync(WINTER_SHOW, now=WINTER_SHOW) == "Last sync 20:00"


def test_an_expired_offline_login_names_the_day_on_the_venue_clock(berlin_shop):
    ctx = berlin_shop
    late = datetime(2020, 1, 15, 23, 30, tzinfo=UTC)  # already the 16th in Berlin
    with ctx.db.transaction() as s:
        s.add(
            LocalUser(
                id=9,
                username="max",
                role="employee",
                password_hash=counter_key.new_hash(ctx, "Max-pass-77"),
                last_online_login=late,
            )
        )
    result = auth_service.login_offline(ctx=ctx, username="max", password="Max-pass-77")
    assert not result.ok
    assert "was on 16 Jan 2020:" in result.message, result.message
