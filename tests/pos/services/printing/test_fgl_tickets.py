"""Tickets in Boca's FGL, read back by the fake FGL printer: every field of the PDF
ticket is there, the QR carries the signed code, one cut a ticket, everything inside the
2 x 5.5 in stock at 200 and 300 dpi, and text that FGL could mistake for commands or
cannot print (brackets, accents, the euro sign) arrives as plain ASCII."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from support.fake_fgl_printer import FakeFglPrinter, FglJob, FglParser
from support.printing_shop import seed_shop, sell

from enturf_core.money import Money
from enturf_core.ticket_codes import verify
from enturf_core.ticket_pdf import Place, TicketDocument
from enturf_pos.services.printing import documents
from enturf_pos.services.printing.escpos_device import (
    EscposDevice,
    PrinterProblem,
    PrinterStatus,
    PrinterUnavailable,
    run_job,
)
from enturf_pos.services.printing.fgl_tickets import (
    fgl_text,
    fgl_tickets,
    read_fgl_status,
    tickets_writer,
)

CODE = "v1.AAAAAAAAAAA." + "x" * 90 + "." + "s" * 86


def ticket(**changes) -> TicketDocument:
    fields = {
        "event_name": "Hamlet",
        "starts_at": datetime(2026, 3, 14, 19, 30, tzinfo=ZoneInfo("Europe/London")),
        "venue_name": "Theatre Royal",
        "place": Place(section="Stalls", row="B", seat="12"),
        "ticket_name": "Adult",
        "price": Money("42.50", "EUR"),
        "booking_code": "K7QX2M",
        "code": CODE,
        "issuer": "Box office 1",
        "reference": "K7QX2M-1F2E3D4C",
    }
    return TicketDocument(**(fields | changes))


def parse(data: bytes, head_dots: int = 400) -> tuple[FglJob, list[str]]:
    job = FglJob()
    parser = FglParser(job, head_dots)
    parser.feed(data)
    parser.finish()
    return job, parser.errors


@pytest.mark.parametrize("head_dots", [400, 600])
def test_a_ticket_has_every_field_its_qr_and_a_cut_inside_the_stock(head_dots):
    job, errors = parse(fgl_tickets([ticket()], head_dots), head_dots)
    assert errors == []
    (printed,) = job.tickets
    assert printed.cut and not job.unprinted.texts
    text = printed.text
    for part in ("ADMIT ONE", "Hamlet", "Sat 14 Mar 2026 - 19:30", "Theatre Royal", "Adult"):
        assert part in text
    place_rows = (round(165 * head_dots / 400), round(182 * head_dots / 400))
    main_place = [t for r, _c, _f, t in printed.texts if r in place_rows]
    assert main_place == ["SECTION", "Stalls", "ROW", "B", "SEAT", "12"]
    assert "42.50 EUR" in text
    assert "K7QX2M-1F2E3D4C" in text and "Booking K7QX2M - Box office 1" in text
    ((_row, column, size, payload),) = printed.qr
    assert payload == CODE and size >= 3
    # the QR sits right of every text of the main part
    main = [c for _r, c, _f, t in printed.texts if c > 250 * head_dots / 400]
    assert main and column > max(main)


def test_standing_copies_and_several_tickets_one_cut_each():
    tickets = [
        ticket(place=Place(area="Floor Standing"), ticket_name="Standing"),
        ticket(copy=True),
    ]
    job, errors = parse(fgl_tickets(tickets))
    assert errors == [] and job.cuts == 2
    standing, copy = job.tickets
    assert "STANDING Floor Standing" in standing.text and "ADMIT ONE" in standing.text
    assert [t for r, _c, _f, t in standing.texts if r in (165, 182)] == [
        "STANDING",
        "Floor Standing",
    ]
    assert "COPY" in copy.text and "ADMIT ONE" not in copy.text
    assert "COPY - REPRINTED TICKET" in copy.text


def test_text_fgl_could_read_as_commands_or_cannot_print_arrives_as_ascii():
    odd = ticket(
        event_name="<RC0,0>Bj\u00f6rk \u00b7 <p> Live",
        venue_name="Caf\u00e9 M\u00fcller",
        holder="Zo\u00eb <Smith>",
        price=Money("10", "EUR"),
    )
    job, errors = parse(fgl_tickets([odd]))
    assert errors == [] and job.cuts == 1  # the <p> in the name cut nothing
    text = job.tickets[0].text
    assert "(RC0,0)Bjork - (p) Live" in text and "Cafe Muller" in text
    assert "Zoe (Smith)" in text
    assert fgl_text("\u20ac 5 \u2014 \u65e5") == "EUR 5 - ?"


def test_long_names_are_cut_to_the_ticket_not_past_it():
    long = ticket(
        event_name="The Extraordinarily Long Name Of A Touring Production " * 3,
        venue_name="V" * 200,
        ticket_name="A" * 120,
    )
    job, errors = parse(fgl_tickets([long]))
    assert errors == []
    (printed,) = job.tickets
    qr_column = printed.qr[0][1]
    cell = {"F2": 9, "F3": 20, "F6": 32}  # the resident fonts' character cells, 200 dpi
    for _row, column, font, text in printed.texts:
        end = column + len(text) * cell[font]
        assert end <= (270 if column < 270 else qr_column), (text, end)


def fgl_job(device: EscposDevice, tickets) -> PrinterStatus:
    return run_job(
        device, tickets_writer(tickets, device), what="ticket printer", status=read_fgl_status
    )


def test_sale_tickets_print_on_the_fake_printer_and_their_codes_verify(ctx):
    key = seed_shop(ctx)
    sale_id = sell(ctx, [11, 12], standing=1)
    tickets = documents.tickets_for_sale(ctx, sale_id)
    with FakeFglPrinter() as printer:
        device = EscposDevice(host=printer.host, port=printer.port, width_dots=400, timeout=3)
        status = fgl_job(device, tickets)
        (job,) = printer.wait_jobs(1)
    assert printer.errors == [] and job.cuts == 3
    assert status.online is True and job.status_requests == 2  # before and after
    codes = [qr[3] for t in job.tickets for qr in t.qr]
    assert codes == [t.code for t in tickets]
    keyring = {key.key_id: key.public_info()}
    assert all(verify(code, keyring).event_id == 5 for code in codes)


def test_a_printer_not_ready_refuses_one_without_status_prints_one_gone_fails():
    with FakeFglPrinter() as printer:
        device = EscposDevice(
            host=printer.host, port=printer.port, width_dots=400, timeout=3, status_timeout=0.3
        )
        printer.paper = "out"
        with pytest.raises(PrinterProblem, match=r"is not ready \(out of tickets"):
            fgl_job(device, [ticket()])
        printer.paper, printer.silent = "ok", True  # status reporting off: prints anyway
        assert fgl_job(device, [ticket()]).answered is False
        printer.silent, printer.close_after = False, 300
        with pytest.raises(PrinterUnavailable, match=r"ticket printer .* went away"):
            fgl_job(device, [ticket()] * 3)
        refused, silent, gone = printer.wait_jobs(3)
    assert refused.tickets == [] and refused.status_requests == 1
    assert silent.cuts == 1
    assert gone.closed_mid_job and gone.cuts == 0
