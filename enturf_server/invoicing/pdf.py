"""A4 invoice and credit-note PDFs with reportlab platypus.

Plain data in, PDF bytes out: nothing here knows Django, so the layout can be reused
(e.g. by the POS) with the same dataclasses. Amounts are `enturf_core.money.Money`;
datetimes are aware and already in the time zone they should be printed in.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
)

from enturf_core.money import Money
from enturf_core.pdf_drawing import ACCENT, INK, MUTED, PANEL, RULE

MARGIN = 18 * mm


@dataclass(frozen=True)
class Party:
    name: str
    address: str = ""  # lines separated by newlines
    vat_id: str = ""
    email: str = ""


@dataclass(frozen=True)
class DocumentLine:
    description: str
    quantity: int
    unit_gross: Money
    tax_rate: Decimal
    net: Money
    tax: Money
    gross: Money
    discount: Money | None = None


@dataclass(frozen=True)
class TaxRow:
    rate: Decimal
    net: Money
    tax: Money
    gross: Money


@dataclass(frozen=True)
class InvoiceDocument:
    title: str  # "Invoice" or "Credit note"
    number: str
    issued_at: datetime
    seller: Party
    buyer: Party
    booking_code: str
    event_name: str
    event_starts_at: datetime
    venue_name: str
    lines: list[DocumentLine]
    taxes: list[TaxRow]
    total_net: Money
    total_tax: Money
    total_gross: Money
    payments: list[tuple[str, Money]] = field(default_factory=list)
    references: str | None = None  # the corrected invoice's number, for a credit note
    references_issued_at: datetime | None = None


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()["BodyText"]
    body = ParagraphStyle("body", parent=base, fontName="Helvetica", fontSize=9, leading=12)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=MUTED),
        "label": ParagraphStyle(
            "label", parent=body, fontSize=7.5, leading=10, textColor=MUTED, spaceAfter=1
        ),
        "seller": ParagraphStyle(
            "seller", parent=body, fontName="Helvetica-Bold", fontSize=14, leading=17
        ),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=20,
            leading=24,
            textColor=ACCENT,
            alignment=TA_RIGHT,
        ),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=9.5,
            leading=13,
            spaceBefore=4,
            spaceAfter=3,
            textColor=ACCENT,
        ),
    }


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def _date(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


def _when(moment: datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B %Y}, {moment:%H:%M}"


def _rate(rate: Decimal) -> str:
    text = format(rate.normalize(), "f")
    return f"{text} %"


def _party_block(label: str, party: Party, styles) -> list:
    parts = [Paragraph(label.upper(), styles["label"])]
    lines = [f"<b>{_text(party.name)}</b>"] if party.name else []
    if party.address:
        lines.append(_text(party.address))
    if party.email:
        lines.append(_text(party.email))
    if party.vat_id:
        lines.append(f"VAT ID: {_text(party.vat_id)}")
    parts.append(Paragraph("<br/>".join(lines) or "—", styles["body"]))
    return parts


def _header(doc: InvoiceDocument, styles) -> Table:
    seller = [Paragraph(_text(doc.seller.name), styles["seller"])]
    details = [doc.seller.address]
    if doc.seller.vat_id:
        details.append(f"VAT ID: {doc.seller.vat_id}")
    seller.append(Paragraph(_text("\n".join(d for d in details if d)), styles["small"]))

    facts = [
        ("Number", doc.number),
        ("Date", _date(doc.issued_at)),
        ("Booking", doc.booking_code),
    ]
    if doc.references:
        facts.append(("Corrects", doc.references))
    fact_rows = Table(
        [
            [Paragraph(k, styles["small"]), Paragraph(f"<b>{_text(v)}</b>", styles["right"])]
            for k, v in facts
        ],
        colWidths=[22 * mm, 48 * mm],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ],
    )
    right = [Paragraph(_text(doc.title.upper()), styles["title"]), Spacer(1, 3 * mm), fact_rows]
    width = A4[0] - 2 * MARGIN
    return Table(
        [[seller, right]],
        colWidths=[width - 72 * mm, 72 * mm],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("LINEBELOW", (0, 0), (-1, 0), 1.2, ACCENT),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 5 * mm),
        ],
    )


def _parties(doc: InvoiceDocument, styles) -> Table:
    event = [
        Paragraph("EVENT", styles["label"]),
        Paragraph(
            f"<b>{_text(doc.event_name)}</b><br/>{_text(_when(doc.event_starts_at))}"
            + (f"<br/>{_text(doc.venue_name)}" if doc.venue_name else ""),
            styles["body"],
        ),
    ]
    width = A4[0] - 2 * MARGIN
    return Table(
        [[_party_block("Bill to", doc.buyer, styles), event]],
        colWidths=[width / 2, width / 2],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 5 * mm),
        ],
    )


def _table_style(header_rows: int = 1) -> list:
    return [
        ("FONT", (0, 0), (-1, header_rows - 1), "Helvetica-Bold", 8),
        ("TEXTCOLOR", (0, 0), (-1, header_rows - 1), colors.white),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), ACCENT),
        ("FONT", (0, header_rows), (-1, -1), "Helvetica", 8.5),
        ("TEXTCOLOR", (0, header_rows), (-1, -1), INK),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]


def _lines_table(doc: InvoiceDocument, styles) -> Table:
    with_discount = any(line.discount and not line.discount.is_zero() for line in doc.lines)
    header = ["Description", "Qty", "Unit price", "Tax", "Net", "Tax amount", "Total"]
    if with_discount:
        header.insert(3, "Discount")
    rows: list[list] = [header]
    for line in doc.lines:
        row = [
            Paragraph(_text(line.description), styles["cell"]),
            str(line.quantity),
            line.unit_gross.format(),
            _rate(line.tax_rate),
            line.net.format(),
            line.tax.format(),
            line.gross.format(),
        ]
        if with_discount:
            row.insert(3, line.discount.format() if line.discount else "")
        rows.append(row)
    width = A4[0] - 2 * MARGIN
    numbers = [12, 22, 14, 20, 20, 22] if not with_discount else [10, 20, 18, 12, 18, 18, 20]
    cols = [width - sum(numbers) * mm] + [n * mm for n in numbers]
    style = _table_style()
    for i in range(1, len(rows)):
        if i % 2 == 0:
            style.append(("BACKGROUND", (0, i), (-1, i), PANEL))
    return Table(rows, colWidths=cols, style=style, repeatRows=1)


def _tax_table(doc: InvoiceDocument) -> Table:
    rows: list[list] = [["Tax rate", "Net", "Tax", "Gross"]]
    for t in doc.taxes:
        rows.append([_rate(t.rate), t.net.format(), t.tax.format(), t.gross.format()])
    return Table(rows, colWidths=[22 * mm, 24 * mm, 24 * mm, 24 * mm], style=_table_style())


def _totals_table(doc: InvoiceDocument) -> Table:
    label = "Total credited" if doc.references else "Total"
    rows = [
        ["Net total", doc.total_net.format()],
        ["Tax total", doc.total_tax.format()],
        [label, doc.total_gross.format()],
    ]
    return Table(
        rows,
        colWidths=[32 * mm, 30 * mm],
        style=[
            ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 11),
            ("LINEABOVE", (0, -1), (-1, -1), 1, ACCENT),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ],
    )


def _summary(doc: InvoiceDocument, styles) -> Table:
    left = [Paragraph("Tax summary", styles["heading"]), _tax_table(doc)]
    if doc.payments:
        verb = "Refunded" if doc.references else "Paid"
        text = "<br/>".join(
            f"{verb} by {_text(method)}: <b>{amount.format()}</b>"
            for method, amount in doc.payments
        )
        left += [Paragraph("Payment", styles["heading"]), Paragraph(text, styles["body"])]
    width = A4[0] - 2 * MARGIN
    return Table(
        [[left, [Spacer(1, 8 * mm), _totals_table(doc)]]],
        colWidths=[width - 66 * mm, 66 * mm],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ],
    )


def render_invoice(doc: InvoiceDocument) -> bytes:
    """The document as an A4 PDF."""
    styles = _styles()
    out = io.BytesIO()
    footer = " · ".join(
        part
        for part in (doc.seller.name, f"VAT ID {doc.seller.vat_id}" if doc.seller.vat_id else "")
        if part
    )

    def on_page(canvas, template) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, 14 * mm, A4[0] - MARGIN, 14 * mm)
        canvas.drawString(MARGIN, 10 * mm, footer)
        canvas.drawRightString(
            A4[0] - MARGIN, 10 * mm, f"{doc.number} · page {canvas.getPageNumber()}"
        )
        canvas.restoreState()

    template = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=22 * mm,
        title=f"{doc.title} {doc.number}",
        author=doc.seller.name,
        subject=f"{doc.title} {doc.number} for booking {doc.booking_code}",
        creator="Enturf",
    )
    story: list = [_header(doc, styles), _parties(doc, styles)]
    if doc.references:
        when = f" of {_date(doc.references_issued_at)}" if doc.references_issued_at else ""
        story += [
            Spacer(1, 4 * mm),
            Paragraph(
                f"<b>Credit note for {_text(doc.references)}</b>{_text(when)}. The amounts below "
                "are credited to the buyer.",
                styles["body"],
            ),
        ]
    story += [
        Spacer(1, 6 * mm),
        _lines_table(doc, styles),
        Spacer(1, 5 * mm),
        KeepTogether([_summary(doc, styles)]),
        Spacer(1, 8 * mm),
        Paragraph(
            "Prices include tax. Thank you for your visit."
            if not doc.references
            else "This credit note corrects the invoice named above.",
            styles["small"],
        ),
    ]
    template.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return out.getvalue()
