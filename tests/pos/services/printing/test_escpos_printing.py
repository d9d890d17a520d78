"""ESC/POS without Qt: a real local sale's receipt, an X report and raster pages sent to
the fake ESC/POS printer over TCP (tests/support/fake_escpos_printer.py), which parses
the bytes: the receipt's lines, the QR payload (the booking code), the cut, the drawer
pulse; a printer that says it has no paper or its cover open refuses before anything
is sent; one that does not answer, or closes the connection mid-job, ends in a clear
error; one that never answers status requests still prints."""

from __future__ import annotations

import pytest
import qrcode
import zxingcpp
from PIL import Image, ImageDraw
from support.fake_escpos_printer import FakeEscposPrinter
from support.printing_shop import seed_shop, sell

from enturf_pos.services.printing import documents, drawer_log
from enturf_pos.services.printing.drawer_log import DrawerReason
from enturf_pos.services.printing.escpos_device import (
    EscposDevice,
    PrinterProblem,
    PrinterUnavailable,
    kick_drawer,
    run_job,
)
from enturf_pos.services.printing.escpos_raster import pages_writer
from enturf_pos.services.printing.escpos_receipt import receipt_writer
from enturf_pos.services.printing.escpos_reports import shift_report_writer


@pytest.fixture
def printer():
    with FakeEscposPrinter() as fake:
        yield fake
    assert not fake.errors, f"commands the fake did not understand: {fake.errors}"


def device_of(fake: FakeEscposPrinter) -> EscposDevice:
    return EscposDevice(host=fake.host, port=fake.port, timeout=3, status_timeout=0.5)


def test_the_receipt_prints_its_lines_the_booking_code_as_qr_and_a_cut(ctx, printer):
    seed_shop(ctx)
    sale_id = sell(ctx, [3, 4], standing=1)
    receipt = documents.receipt_for_sale(ctx, sale_id)

    status = run_job(device_of(printer), receipt_writer(receipt), what="receipt printer")

    assert status.online and status.paper == 2 and status.cover_open is False
    (job,) = printer.wait_jobs(1)
    assert job.qr == [receipt.booking_code]
    assert job.cuts == 1 and job.pulses == []  # the drawer is a job of its own
    lines = [line.strip() for line in job.lines]
    for expected in (
        "Theatre Royal Ltd",
        "VAT ID DE123456789",
        "The Magic Flute",
        "Stalls · Row B · Seat 3",
        "Floor",
        "3 tickets",
        "Receipt - not an invoice",
        "Cashier: Jane Doe",
    ):
        assert any(expected in line for line in lines), expected
    assert any(line.startswith("RECEIPT") and receipt.booking_code in line for line in lines)
    assert any(line.startswith("TOTAL") and "€95.00" in line for line in lines), job.text
    assert any(line.startswith("Cash tendered") and "€200.00" in line for line in lines)
    assert all(len(line) <= 48 for line in job.lines)  # the 80 mm roll's 48 columns
    assert "COPY" not in job.text

    copy = documents.receipt_for_sale(ctx, sale_id, copy=True)
    run_job(device_of(printer), receipt_writer(copy))
    assert printer.wait_jobs(2)[1].lines[0].strip() == "COPY"


def test_the_x_report_prints_on_the_roll_and_the_drawer_pulse(ctx, printer):
    seed_shop(ctx)
    sell(ctx, [5])
    drawer_log.record(  # a manager opened the drawer without a sale, approved
        ctx=ctx, reason=DrawerReason.NO_SALE, user="jane", approved_by="admin", outcome="printed"
    )
    device = device_of(printer)
    writer = shift_report_writer(ctx=ctx)
    assert writer is not None
    run_job(device, writer, what="report printer")
    run_job(device, lambda p: kick_drawer(p, device), check_status=False)

    report, drawer = printer.wait_jobs(2)
    assert report.lines[0].strip() == "X REPORT (SHIFT STILL OPEN)"
    assert any(line.startswith("Cash sales") and "45.00" in line for line in report.lines)
    assert "Drawer opened without a sale: 1 time (approved by admin)." in " ".join(report.lines)
    assert report.cuts == 1 and report.pulses == []
    assert drawer.pulses == [(2, 50, 50)] and drawer.lines == [] and drawer.cuts == 0
    assert drawer.status_requests == []  # the drawer opens whatever the paper says


def test_raster_pages_arrive_as_images_that_scan(printer):
    page = Image.new("L", (406, 900), 255)
    code = qrcode.make("TICKET-42", box_size=8, border=4).get_image().convert("L")
    page.paste(code, (40, 300))
    ImageDraw.Draw(page).rectangle((0, 0, 405, 20), fill=0)
    run_job(device_of(printer), pages_writer([page, page]))

    (job,) = printer.wait_jobs(1)
    assert job.cuts == 2 and len(job.images) == 2
    assert job.images[0].size == (408, 900)  # a whole number of bytes a row
    assert [r.text for r in zxingcpp.read_barcodes(job.images[1].convert("L"))] == ["TICKET-42"]

    too_wide = Image.new("L", (700, 100), 255)  # wider than the 576 dots of the head
    with pytest.raises(PrinterProblem, match="cannot print this document"):
        run_job(device_of(printer), pages_writer([too_wide]))


@pytest.mark.parametrize(
    ("paper", "cover", "says"),
    [("out", False, "is out of paper"), ("ok", True, "has its cover open")],
)
def test_a_printer_that_says_it_cannot_print_refuses_the_job(printer, paper, cover, says):
    printer.paper, printer.cover_open = paper, cover
    with pytest.raises(PrinterProblem, match=says):
        run_job(device_of(printer), lambda p: p.textln("never"), what="receipt printer")
    (job,) = printer.wait_jobs(1)
    assert job.lines == [] and job.status_requests == [1, 2, 4]


def test_a_printer_that_goes_away_mid_job_or_does_not_answer(printer):
    printer.close_after = 2000
    page = Image.new("L", (576, 2000), 0)
    with pytest.raises(PrinterUnavailable, match="went away during the job"):
        run_job(device_of(printer), pages_writer([page]))
    assert printer.wait_jobs(1)[0].closed_mid_job

    port = printer.port
    printer.stop()  # nobody listens there any more
    with pytest.raises(PrinterUnavailable, match=f"127.0.0.1:{port} does not answer"):
        run_job(EscposDevice(host="127.0.0.1", port=port, timeout=1), lambda p: None)
    with pytest.raises(PrinterUnavailable, match="network address"):
        run_job(EscposDevice(host=" "), lambda p: None)


def test_a_printer_that_never_answers_status_still_prints():
    with FakeEscposPrinter() as fake:
        fake.silent = True
        status = run_job(device_of(fake), lambda p: (p.textln("hello"), p.cut()))
        (job,) = fake.wait_jobs(1)
    assert not status.answered and job.lines[0] == "hello" and job.cuts == 1
    assert job.status_requests == [1]  # asked once, not again
