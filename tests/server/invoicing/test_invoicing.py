"""Invoices and credit notes: snapshots, totals, gap-free numbers, immutability, PDFs, API."""

from __future__ import annotations

import io
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone
from pypdf import PdfReader
from support.databases import requires_postgres
from support.factories import sales_setup
from support.paid_booking_data import FakeRefund, book, mark_paid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_signing_key")]


@pytest.fixture
def setup(db):
    return sales_setup()


@pytest.fixture
def seller(db):
    from enturf_server.accounts.models import SiteSettings

    site = SiteSettings.load()
    site.seller_name = "Stadttheater Demo GmbH"
    site.seller_address = "Bühnenweg 1\n10115 Berlin"
    site.seller_vat_id = "DE123456789"
    site.save()
    return site


def _lines(booking):
    from enturf_server.sales.models import BookingLine

    return list(BookingLine.objects.filter(booking=booking).order_by("pk"))


def _year() -> int:
    return timezone.localtime().year


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


# -- issuing -----------------------------------------------------------------------------------


def test_invoice_snapshots_booking_seller_and_buyer(setup, seller, make_user):
    from enturf_server.invoicing.models import InvoiceKind

    customer = make_user("carl")
    booking = book(setup, customer, seats=2, premium=1, floor=3, buyer_name="Ada Lovelace")
    invoice = mark_paid(booking)

    assert invoice.kind == InvoiceKind.INVOICE
    assert invoice.full_number == f"INV-{_year()}-000001"
    assert (invoice.series, invoice.year, invoice.number) == ("INV", _year(), 1)
    assert (invoice.seller_name, invoice.seller_vat_id) == ("Stadttheater Demo GmbH", "DE123456789")
    assert invoice.seller_address == "Bühnenweg 1\n10115 Berlin"
    # buyer: the booking's name, the owner's e-mail when the booking has none
    assert (invoice.buyer_name, invoice.buyer_email) == ("Ada Lovelace", "carl@example.org")
    assert invoice.booking_code == booking.code
    assert invoice.event_name == setup.event.name

    # 2 x 25.00 (19 %), 1 x 49.90 (7 %), 3 x 19.99 (19 %) = 159.87
    assert invoice.total_gross == booking.total == Decimal("159.87")
    assert invoice.total_net + invoice.total_tax == invoice.total_gross
    assert invoice.tax_summary == [
        {"rate": "7", "gross": "49.90", "net": "46.64", "tax": "3.26"},
        {"rate": "19", "gross": "109.97", "net": "92.42", "tax": "17.55"},
    ]
    lines = list(invoice.lines.all())
    assert [(line.description, line.quantity, line.gross) for line in lines] == [
        ("Show — S1 / Row R1 / Seat 1 — Standard", 1, Decimal("25.00")),
        ("Show — S1 / Row R1 / Seat 2 — Standard", 1, Decimal("25.00")),
        ("Show — S2 / Row R1 / Seat 1 — Premium", 1, Decimal("49.90")),
        ("Show — Floor — Floor", 3, Decimal("59.97")),  # identical GA places share a line
    ]
    assert lines[3].unit_gross == Decimal("19.99")
    # line taxes are the booking lines' stored taxes
    assert sum(line.tax for line in lines) == sum(line.tax_amount for line in _lines(booking))
    assert sorted(ref for line in lines for ref in line.booking_lines) == sorted(
        str(line.pk) for line in _lines(booking)
    )

    # a later change of the settings does not touch the issued invoice
    seller.seller_name = "Renamed Venue"
    seller.save()
    invoice.refresh_from_db()
    assert invoice.seller_name == "Stadttheater Demo GmbH"


def test_issuing_is_idempotent_and_numbers_follow_each_other(setup, make_user):
    from enturf_server.invoicing.models import Invoice, InvoiceSequence
    from enturf_server.invoicing.services import issue_invoice

    customer = make_user("carl")
    first = mark_paid(book(setup, customer, seats=1))
    again = issue_invoice(booking=first.booking)
    assert again.pk == first.pk
    second = mark_paid(book(setup, customer, seats=0, premium=1))
    assert [first.number, second.number] == [1, 2]
    assert Invoice.objects.count() == 2
    assert InvoiceSequence.objects.get(series="INV", year=_year()).last_number == 2


def test_series_is_configurable(setup, make_user, settings):
    settings.ENTURF_INVOICE_SERIES = "box"
    invoice = mark_paid(book(setup, make_user("carl"), seats=1))
    assert invoice.full_number == f"BOX-{_year()}-000001"


def test_unpaid_booking_gets_no_invoice(setup, make_user):
    from enturf_server.invoicing.models import Invoice
    from enturf_server.invoicing.services import InvoiceRefused, issue_invoice

    booking = book(setup, make_user("carl"), seats=1)
    with pytest.raises(InvoiceRefused, match="only paid bookings"):
        issue_invoice(booking=booking)
    assert not Invoice.objects.exists()


def test_inconsistent_booking_is_refused_without_using_a_number(setup, make_user):
    from enturf_server.invoicing.models import InvoiceSequence
    from enturf_server.invoicing.services import InvoiceRefused
    from enturf_server.sales.models import Booking

    booking = book(setup, make_user("carl"), seats=2)
    Booking.objects.filter(pk=booking.pk).update(total=Decimal("99.00"))
    booking.refresh_from_db()
    with pytest.raises(InvoiceRefused, match=r"add up to 50\.00 EUR, not to its total 99\.00 EUR"):
        mark_paid(booking)
    assert not InvoiceSequence.objects.filter(last_number__gt=0).exists()


def test_rolled_back_issue_leaves_no_gap(setup, make_user):
    from enturf_server.invoicing.models import Invoice

    customer = make_user("carl")
    rolled_back = book(setup, customer, seats=1)

    class PaymentFailedLater(Exception):
        pass

    with pytest.raises(PaymentFailedLater), transaction.atomic():
        invoice = mark_paid(rolled_back)
        assert invoice.number == 1
        raise PaymentFailedLater  # e.g. the payment's own write fails after issuing

    assert not Invoice.objects.exists()
    kept = mark_paid(book(setup, customer, seats=0, premium=1))
    assert kept.number == 1  # the rolled-back number was given back
    rolled_back.refresh_from_db()
    assert mark_paid(rolled_back).number == 2


def test_issued_documents_are_immutable(setup, make_user):
    from enturf_server.invoicing.models import ImmutableDocumentError, Invoice, InvoiceLine

    invoice = mark_paid(book(setup, make_user("carl"), seats=1))
    line = invoice.lines.get()

    invoice.buyer_name = "Someone else"
    with pytest.raises(ImmutableDocumentError):
        invoice.save()
    with pytest.raises(ImmutableDocumentError):
        invoice.delete()
    with pytest.raises(ImmutableDocumentError):
        Invoice.objects.filter(pk=invoice.pk).update(total_gross=0)
    with pytest.raises(ImmutableDocumentError):
        Invoice.objects.all().delete()
    line.gross = Decimal("1.00")
    with pytest.raises(ImmutableDocumentError):
        line.save()
    with pytest.raises(ImmutableDocumentError):
        InvoiceLine.objects.filter(pk=line.pk).update(gross=0)

    stored = Invoice.objects.get(pk=invoice.pk)
    assert stored.buyer_name != "Someone else"
    assert stored.lines.get().gross == Decimal("25.00")


# -- credit notes ------------------------------------------------------------------------------


def test_credit_note_mirrors_refunded_lines_and_references_the_invoice(setup, seller, make_user):
    from enturf_server.invoicing.models import InvoiceKind
    from enturf_server.invoicing.services import issue_credit_note

    booking = book(setup, make_user("carl"), seats=2, premium=1)
    invoice = mark_paid(booking)
    premium = next(line for line in _lines(booking) if line.tax_rate == Decimal("7"))
    refund = FakeRefund(id="r-1", booking=booking, amount=Decimal("49.90"), refunded=[premium])

    note = issue_credit_note(refund=refund)
    assert note.kind == InvoiceKind.CREDIT_NOTE
    assert note.full_number == f"CRN-{_year()}-000001"
    assert note.references_id == invoice.pk
    assert note.refund_id == "r-1"
    assert note.total_gross == Decimal("-49.90")
    assert (note.total_net, note.total_tax) == (Decimal("-46.64"), Decimal("-3.26"))
    assert note.tax_summary == [{"rate": "7", "gross": "-49.90", "net": "-46.64", "tax": "-3.26"}]
    assert [(line.description, line.gross, line.booking_lines) for line in note.lines.all()] == [
        ("Show — S2 / Row R1 / Seat 1 — Premium", Decimal("-49.90"), [str(premium.pk)])
    ]
    assert note.payment_methods == [{"method": "card", "amount": "-49.90"}]
    assert note.seller_vat_id == "DE123456789"

    # idempotent by refund; the same line cannot be credited twice
    assert issue_credit_note(refund=refund).pk == note.pk
    again = FakeRefund(id="r-2", booking=booking, amount=Decimal("49.90"), refunded=[premium])
    with pytest.raises(Exception, match="already credited"):
        issue_credit_note(refund=again)


def test_partial_and_line_less_refunds_are_spread_by_rate(setup, make_user):
    from enturf_server.invoicing.services import InvoiceRefused, issue_credit_note

    booking = book(setup, make_user("carl"), seats=1, premium=1)  # 25.00 @19 + 49.90 @7
    invoice = mark_paid(booking)
    seat = next(line for line in _lines(booking) if line.tax_rate == Decimal("19"))

    # less than the refunded line: the credit is that amount, taxed at the line's rate
    partial = issue_credit_note(
        refund=FakeRefund(id="p", booking=booking, amount=Decimal("10.00"), refunded=[seat])
    )
    assert partial.total_gross == Decimal("-10.00")
    assert partial.tax_summary == [
        {"rate": "19", "gross": "-10.00", "net": "-8.40", "tax": "-1.60"}
    ]
    assert partial.lines.get().description.startswith("Partial refund: Show — S1")

    # an amount without lines is spread over the invoice's rates in proportion to gross
    goodwill = issue_credit_note(
        refund=FakeRefund(id="g", booking=booking, amount=Decimal("7.49"), method="cash")
    )
    assert goodwill.total_gross == Decimal("-7.49")
    by_rate = {row["rate"]: Decimal(row["gross"]) for row in goodwill.tax_summary}
    assert by_rate == {"7": Decimal("-4.99"), "19": Decimal("-2.50")}
    assert goodwill.total_net + goodwill.total_tax == goodwill.total_gross

    # never more than what is left on the invoice
    with pytest.raises(InvoiceRefused, match="left to credit"):
        issue_credit_note(refund=FakeRefund(id="x", booking=booking, amount=invoice.total_gross))


def test_credit_note_for_a_booking_without_invoice_issues_the_invoice_first(setup, make_user):
    from enturf_server.invoicing.models import Invoice
    from enturf_server.invoicing.services import issue_credit_note
    from enturf_server.sales.models import BookingState

    booking = book(setup, make_user("carl"), seats=1)
    booking.state = BookingState.REFUNDED
    booking.save(update_fields=["state"])
    line = _lines(booking)[0]
    note = issue_credit_note(
        refund=FakeRefund(id="r", booking=booking, amount=Decimal("25.00"), refunded=[line])
    )
    invoice = Invoice.objects.get(kind="invoice")
    assert note.references_id == invoice.pk
    assert invoice.total_gross + note.total_gross == 0


def test_fees_and_vouchers_come_from_billings_stored_breakdown(setup, make_user):
    """A booking priced with a per-ticket fee and a voucher: billing stores its breakdown;
    the invoice shows the fees and discounts, and a refund of one ticket with its fee is
    mirrored exactly."""
    from django.apps import apps

    from enturf_core.money import Money
    from enturf_core.pricing.breakdown import compute_breakdown
    from enturf_core.pricing.terms import BookingFee, LineInput, Voucher
    from enturf_server.invoicing.services import issue_credit_note
    from enturf_server.sales.models import Booking, BookingLine

    try:
        stored_model = apps.get_model("billing", "BookingBreakdown")
    except LookupError:
        pytest.skip("billing's BookingBreakdown is not installed")

    booking = book(setup, make_user("carl"), seats=2)
    lines = _lines(booking)
    breakdown = compute_breakdown(
        [
            LineInput(Money("25.00", "EUR"), Decimal("19"), key=str(line.pk), ticket_id="t")
            for line in lines
        ],
        currency="EUR",
        booking_fee=BookingFee(Money("1.50", "EUR"), Decimal("19")),
        voucher=Voucher.percentage("TEN", Decimal("10")),
    )
    stored_model.objects.create(booking=booking, data=breakdown.to_dict())
    for priced in breakdown.ticket_lines():  # as billing stores the lines: price paid, discount
        BookingLine.objects.filter(pk=priced.key).update(
            price=priced.gross.amount, discount=priced.discount.amount, tax_amount=priced.tax.amount
        )
    Booking.objects.filter(pk=booking.pk).update(total=breakdown.total.amount)
    booking.refresh_from_db()

    invoice = mark_paid(booking)
    assert invoice.total_gross == Decimal("48.00")  # 2 x (25.00 - 2.50) + 2 x 1.50
    rows = [
        (line.description, line.quantity, line.discount, line.gross) for line in invoice.lines.all()
    ]
    assert rows[-1] == ("Booking fee", 2, Decimal("0.00"), Decimal("3.00"))
    assert [r[2] for r in rows[:2]] == [Decimal("2.50"), Decimal("2.50")]

    refunded = lines[0]
    note = issue_credit_note(
        refund=FakeRefund(id="fee", booking=booking, amount=Decimal("24.00"), refunded=[refunded])
    )
    assert [(line.description.split(" — ")[-1], line.gross) for line in note.lines.all()] == [
        ("Standard", Decimal("-22.50")),
        ("Booking fee", Decimal("-1.50")),
    ]


# -- concurrency (PostgreSQL) ------------------------------------------------------------------


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_numbers_are_gap_free_under_concurrent_payments(make_user):
    """16 threads pay 16 bookings at once while 4 more issue and then roll back: the
    committed invoices are numbered exactly 1..16, each number once."""
    from enturf_server.invoicing.models import Invoice, InvoiceSequence

    setup = sales_setup()
    customer = make_user("carl")
    seats = setup.seats_by_category["standard"]
    from enturf_server.sales.services import LineRequest, create_booking

    bookings = [
        create_booking(
            actor=customer,
            event=setup.event,
            lines=[LineRequest(ticket=setup.tickets["standard"].pk, seat=seat)],
        )[0]
        for seat in seats[:20]
    ]
    barrier = threading.Barrier(len(bookings))
    errors: list[BaseException] = []

    class RolledBack(Exception):
        pass

    def pay(index: int, booking) -> None:
        try:
            barrier.wait(timeout=30)
            try:
                with transaction.atomic():
                    mark_paid(booking, sign=False)
                    if index % 5 == 4:
                        raise RolledBack
            except RolledBack:
                pass
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(i, b)) for i, b in enumerate(bookings)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 17))
    assert Invoice.objects.values("booking").distinct().count() == 16
    assert InvoiceSequence.objects.get(series="INV").last_number == 16


# -- PDFs --------------------------------------------------------------------------------------


def test_invoice_and_credit_note_pdfs_read_back(setup, seller, make_user, admin_client):
    from enturf_server.invoicing.services import issue_credit_note

    booking = book(setup, make_user("carl"), seats=2, premium=1, floor=2, buyer_name="Ada Lovelace")
    invoice = mark_paid(booking)
    r = admin_client.get(f"/api/v1/invoices/{invoice.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert f'filename="{invoice.full_number}.pdf"' in r["Content-Disposition"]
    text = _pdf_text(r.content)
    taxes = {row["rate"]: row for row in invoice.tax_summary}
    for expected in [
        "INVOICE",
        invoice.full_number,
        "Stadttheater Demo GmbH",
        "DE123456789",
        "Ada Lovelace",
        booking.code,
        "Show — S1 / Row R1 / Seat 1 — Standard",
        "Show — S2 / Row R1 / Seat 1 — Premium",
        "Show — Floor — Floor",
        "Tax summary",
        f"€{taxes['7']['gross']}",
        f"€{taxes['7']['tax']}",
        f"€{taxes['19']['net']}",
        f"€{taxes['19']['tax']}",
        "€139.88",  # total: 2 x 25.00 + 49.90 + 2 x 19.99
    ]:
        assert expected in text, expected

    seat = next(line for line in _lines(booking) if line.seat_id and line.tax_rate == 19)
    note = issue_credit_note(
        refund=FakeRefund(id="r", booking=booking, amount=Decimal("25.00"), refunded=[seat])
    )
    text = _pdf_text(admin_client.get(f"/api/v1/invoices/{note.pk}/pdf/").content)
    assert "CREDIT NOTE" in text
    assert f"Credit note for {invoice.full_number}" in text
    assert "-€25.00" in text


# -- API ---------------------------------------------------------------------------------------


def test_customers_see_only_their_own_invoices(
    setup, customer_client, other_customer_client, employee_client, anon_client
):
    mine = mark_paid(book(setup, customer_client.user, seats=1))
    theirs = mark_paid(book(setup, other_customer_client.user, seats=0, premium=1))

    listed = customer_client.get("/api/v1/invoices/").json()
    assert [i["number"] for i in listed["results"]] == [mine.full_number]
    assert customer_client.get(f"/api/v1/invoices/{mine.pk}/").status_code == 200
    for path in (f"/api/v1/invoices/{theirs.pk}/", f"/api/v1/invoices/{theirs.pk}/pdf/"):
        r = customer_client.get(path)
        assert r.status_code == 404, path
        assert r.json()["error"]["code"] == "not_found"
    assert anon_client.get("/api/v1/invoices/").status_code == 401

    staff = employee_client.get("/api/v1/invoices/").json()
    assert {i["number"] for i in staff["results"]} == {mine.full_number, theirs.full_number}
    filtered = employee_client.get(f"/api/v1/invoices/?booking={theirs.booking_id}").json()
    assert [i["number"] for i in filtered["results"]] == [theirs.full_number]
    assert employee_client.get("/api/v1/invoices/?booking=not-a-uuid").status_code == 400

    detail = employee_client.get(f"/api/v1/invoices/{mine.pk}/").json()
    assert detail["total_gross"] == "25.00"
    assert detail["lines"][0]["description"] == "Show — S1 / Row R1 / Seat 1 — Standard"
    assert detail["pdf"] == f"/api/v1/invoices/{mine.pk}/pdf/"


def test_there_is_no_write_api(setup, admin_client):
    invoice = mark_paid(book(setup, admin_client.user, seats=1))
    for method in ("put", "patch", "delete"):
        r = getattr(admin_client, method)(f"/api/v1/invoices/{invoice.pk}/", {}, format="json")
        assert r.status_code == 405, method
    assert admin_client.post("/api/v1/invoices/", {}, format="json").status_code == 405


def test_admin_is_read_only(setup, make_user, client):
    invoice = mark_paid(book(setup, make_user("carl"), seats=1))
    root = make_user("root", "admin")
    root.is_staff = root.is_superuser = True
    root.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(root)
    assert client.get("/admin/invoicing/invoice/").status_code == 200
    page = client.get(f"/admin/invoicing/invoice/{invoice.pk}/change/")
    assert page.status_code == 200
    assert b'name="buyer_name"' not in page.content  # no editable fields
    assert client.get(f"/admin/invoicing/invoice/{invoice.pk}/delete/").status_code == 403
    pdf = client.get(f"/admin/invoicing/invoice/{invoice.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


# -- through billing's real API ----------------------------------------------------------------


def test_counter_payments_and_refund_through_the_api(customer_client, admin_client, setup):
    """A customer books online and pays at the counter in two cash payments; billing marks
    the booking paid and issues the invoice, a cash refund of one seat the credit note; the
    customer reads both and their PDFs."""
    import uuid

    lines = [
        {"seat": s, "ticket": setup.tickets["standard"].pk}
        for s in setup.seats_by_category["standard"][:2]
    ]
    r = customer_client.post(
        "/api/v1/bookings/", {"event": setup.event.pk, "lines": lines}, format="json"
    )
    assert r.status_code == 201, r.content
    booking = r.json()
    for amount in ("30.00", "20.00"):
        body = {"id": str(uuid.uuid4()), "method": "cash", "amount": amount, "currency": "EUR"}
        r = admin_client.post(f"/api/v1/bookings/{booking['id']}/payments/", body, format="json")
        assert r.status_code == 201, r.content
    assert r.json()["state"] == "paid"

    (invoice,) = customer_client.get("/api/v1/invoices/").json()["results"]
    assert invoice["kind"] == "invoice" and invoice["total_gross"] == "50.00"
    assert invoice["payment_methods"] == [{"method": "cash", "amount": "50.00"}]
    assert invoice["buyer_email"] == "carl@example.org"
    text = _pdf_text(customer_client.get(invoice["pdf"]).content)
    assert invoice["number"] in text and "Paid by cash: €50.00" in text

    first = booking["lines"][0]["id"]
    r = admin_client.post(
        "/api/v1/refunds/",
        {"booking": booking["id"], "lines": [first], "reason": "cannot come"},
        format="json",
    )
    assert r.status_code == 201, r.content
    notes = customer_client.get(f"/api/v1/invoices/?booking={booking['id']}&kind=credit_note")
    (note,) = notes.json()["results"]
    assert note["references"] == {"id": invoice["id"], "number": invoice["number"]}
    assert note["total_gross"] == "-25.00"
    assert note["lines"][0]["booking_lines"] == [first]
    text = _pdf_text(customer_client.get(note["pdf"]).content)
    assert f"Credit note for {invoice['number']}" in text and "Refunded by cash" in text
