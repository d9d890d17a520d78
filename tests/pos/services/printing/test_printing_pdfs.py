"""Receipts and tickets of a real local sale: the text read back with pypdf, the pages
rendered with pypdfium2 and every QR code decoded with zxing-cpp; ticket codes verify
with the counter's public key, a tampered one does not. Pages go to tests/artifacts/."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from dataclasses import replace
from io import BytesIO

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader
from support.artifacts import ARTIFACTS
from support.printing_shop import EUR, seed_shop, sell

from enturf_core.money import Money
from enturf_core.ticket_codes import InvalidTicketCode, Reason, verify
from enturf_core.ticket_pdf import (
    STOCK_SIZE,
    render_ticket_stock,
    render_tickets_a4,
)
from enturf_pos.models import LocalSale
from enturf_pos.services.printing import documents
from enturf_pos.services.printing.receipt_pdf import ROLL_WIDTH, render_receipt

DPI = 150


@pytest.fixture
def shop(ctx):
    """A counter with synced settings, a venue, a seat map, an event and its tickets."""
    return ctx, seed_shop(ctx)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def page_images(pdf: bytes, name: str | None = None) -> list:
    doc = pypdfium2.PdfDocument(pdf)
    images = []
    for i in range(len(doc)):
        image = doc[i].render(scale=DPI / 72).to_pil()
        images.append(image)
        if name is not None:
            ARTIFACTS.mkdir(exist_ok=True)
            image.save(ARTIFACTS / f"{name}-{i + 1}.png")
    doc.close()
    return images


def qr_codes(image) -> list:
    return [r for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def test_cash_receipt_shows_seller_seats_taxes_change_and_a_scannable_booking_code(shop):
    ctx, _key = shop
    sale_id = sell(ctx, [11, 12], standing=2, tendered="200")
    receipt = documents.receipt_for_sale(ctx, sale_id)
    pdf = render_receipt(receipt)

    text = text_of(pdf)
    for expected in (
        "Theatre Royal Ltd",
        "1 Stage Street",
        "VAT ID DE123456789",
        "The Magic Flute",
        "Sat 14 Mar 2026, 19:30",  # the venue's time zone
        "Stalls · Row B · Seat 11",
        "Stalls · Row B · Seat 12",
        "Standing · Floor",
        "Adult",
        "Child",
        "TOTAL",
        "€115.00",  # 45 + 30 + 2 x 20
        "Cash tendered",
        "€200.00",
        "Change given",
        "€85.00",
        "Receipt — not an invoice",
        "Box office 1",
        "Cashier: Jane Doe",
        receipt.booking_code,
    ):
        assert expected in text, expected
    # tax per rate, rounded per line (enturf_core.pricing): 2.94 + 1.96 and 2 x 3.19
    assert re.search(r"7 %\s+€70\.10\s+€4\.90\s+€75\.00", text), text
    assert re.search(r"19 %\s+€33\.62\s+€6\.38\s+€40\.00", text), text
    assert "COPY" not in text

    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert width == pytest.approx(ROLL_WIDTH)

    (image,) = page_images(pdf, "receipt-cash")
    codes = qr_codes(image)
    assert [c.text for c in codes] == [receipt.booking_code]

    # the roll grows with the sale
    longer = render_receipt(
        documents.receipt_for_sale(ctx, sell(ctx, [13, 14, 15, 16, 17, 18, 19], tendered="400"))
    )
    longer_height = float(PdfReader(BytesIO(longer)).pages[0].mediabox.upper_right[1])
    assert longer_height > height


def test_card_receipt_shows_brand_and_last_four_only_and_a_reprint_says_copy(shop):
    ctx, _key = shop
    sale_id = sell(ctx, [11])
    with ctx.db.transaction() as s:  # as a card sale records it: brand and last four
        sale = s.get(LocalSale, sale_id)
        payload = dict(sale.payload)
        payload["payments"] = [
            {
                "id": str(uuid.uuid4()),
                "method": "card",
                "amount": "45.00",
                "currency": EUR,
                # a careless payload with a whole number: only its last four may print
                "card": {"brand": "visa", "last4": "4242424242424242"},
            }
        ]
        sale.payload = payload

    pdf = render_receipt(documents.receipt_for_sale(ctx, sale_id))
    text = text_of(pdf)
    assert "Paid by card" in text and "Visa ending 4242" in text
    assert text.count("4242") == 1
    assert "Change given" not in text and "Cash tendered" not in text
    assert "COPY" not in text

    copy = documents.receipt_for_sale(ctx, sale_id, copy=True)
    copy_pdf = render_receipt(copy)
    copy_text = text_of(copy_pdf)
    assert copy_text.lstrip().startswith("COPY")  # at the top
    page_images(copy_pdf, "receipt-card-copy")

    with pytest.raises(documents.SaleNotFound):
        documents.receipt_for_sale(ctx, uuid.uuid4())
    with pytest.raises(ValueError):
        documents.PaymentInfo("card", Money("1", EUR), card_last4="12345")


def decoded_ticket_codes(pdf: bytes, name: str) -> list:
    found = []
    for image in page_images(pdf, name):
        found.extend(qr_codes(image))
    return found


def test_ticket_stock_one_per_page_with_large_qr_codes_that_verify(shop):
    ctx, key = shop
    sale_id = sell(ctx, [11, 12], standing=1)
    tickets = documents.tickets_for_sale(ctx, sale_id)
    pdf = render_ticket_stock(tickets)

    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 3
    for page in reader.pages:
        width, height = (float(v) for v in page.mediabox.upper_right)
        assert (width, height) == pytest.approx(STOCK_SIZE) and width > height

    text = text_of(pdf)
    for expected in (
        "The Magic Flute",
        "Sat 14 Mar 2026 · 19:30",
        "Theatre Royal",
        "SECTION",
        "Stalls",
        "ROW",
        "SEAT",
        "Floor",
        "Adult",
        "Child",
        "Standing",
        "€45.00",
        "€30.00",
        "€20.00",
        tickets[0].booking_code,
    ):
        assert expected in text, expected
    assert "COPY" not in text

    keyring = {key.key_id: key.public_info()}
    codes = decoded_ticket_codes(pdf, "ticket-stock")
    assert [c.text for c in codes] == [t.code for t in tickets]
    with ctx.db.transaction() as s:
        lines = s.get(LocalSale, sale_id).payload["lines"]
    for code, line in zip(codes, lines, strict=True):
        claims = verify(code.text, keyring)
        assert str(claims.line_id) == line["id"] and claims.event_id == 5
        # the code itself (without its quiet zone) is at least 30 mm wide on the stock
        xs = [p.x for p in (code.position.top_left, code.position.top_right)]
        assert (max(xs) - min(xs)) / DPI * 25.4 >= 30

    tampered = codes[0].text
    i = len(tampered) - 10
    tampered = tampered[:i] + ("A" if tampered[i] != "A" else "B") + tampered[i + 1 :]
    with pytest.raises(InvalidTicketCode) as refused:
        verify(tampered, keyring)
    assert refused.value.reason in (Reason.BAD_SIGNATURE, Reason.MALFORMED)

    copies = render_ticket_stock(documents.tickets_for_sale(ctx, sale_id, copy=True))
    copy_text = text_of(copies)
    assert copy_text.count("COPY") >= 2 * 3  # on the stub and across each ticket
    assert [c.text for c in decoded_ticket_codes(copies, "ticket-stock-copy")] == [
        t.code for t in tickets
    ]  # the COPY mark never hides a code


def test_a4_print_at_home_three_per_page(shop):
    ctx, key = shop
    sale_id = sell(ctx, [11, 12, 13], standing=1, tendered="250")
    tickets = documents.tickets_for_sale(ctx, sale_id)
    pdf = render_tickets_a4(tickets)
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 2
    text = text_of(pdf)
    assert "page 1 of 2" in text and "page 2 of 2" in text
    keyring = {key.key_id: key.public_info()}
    codes = decoded_ticket_codes(pdf, "tickets-a4")
    assert sorted(c.text for c in codes) == sorted(t.code for t in tickets)
    assert all(verify(c.text, keyring).event_id == 5 for c in codes)


def test_printing_imports_neither_qt_nor_django():
    script = (
        "import sys, enturf_pos.services.printing.receipt_pdf, "
        "enturf_pos.services.printing.ticket_pdf; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'django', 'enturf_server')))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_long_standing_area_name_is_printed_whole_on_the_stub(shop):
    ctx, _key = shop
    sale_id = sell(ctx, [], standing=1)
    [ticket] = documents.tickets_for_sale(ctx, sale_id)
    ticket = replace(ticket, place=replace(ticket.place, area="Floor Standing East"))
    pdf = render_ticket_stock([ticket])
    text = text_of(pdf)
    # on the stub and in the main part's box, never cut to "Floor Stan…"
    assert text.count("Floor Standing East") == 2, text
    assert "…" not in text
    page_images(pdf, "ticket-stock-long-standing-area")
