"""Report tables and their files without a server: the server's answers as typed tables,
CSV and XLSX read back (csv, openpyxl: numbers, dates, currency formats, frozen header),
the PDF read back (pypdf), the heat map's scale, the cache of the last answers and what
this counter sold since a time, from its own sales and refunds."""

from __future__ import annotations

import csv
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import openpyxl
from pypdf import PdfReader
from support.local_sales import sale_payload

from enturf_pos.models import LocalRefund, LocalSale
from enturf_pos.services.reports import counter_since, report_cache, report_export, report_pdf
from enturf_pos.services.reports.heat_scale import BY_PRICE, BY_TIME, heat_scale
from enturf_pos.services.reports.report_filters import SALES, ReportFilters, params_key
from enturf_pos.services.reports.report_tables import occupancy_table, sales_table

DAYS = {
    "group_by": "day",
    "currency": "CHF",
    "rows": [
        {"key": "2026-11-03", "label": "Tue 3 Nov 2026", "tickets": 1200, "refunded_tickets": 1,
         "gross_cents": 12345600, "tax_cents": 200050, "net_cents": 12145550,
         "refunds_cents": 4500},
        {"key": "2026-11-04", "label": "Wed 4 Nov 2026", "tickets": 2, "refunded_tickets": 0,
         "gross_cents": 9000, "tax_cents": 0, "net_cents": 9000, "refunds_cents": 0},
    ],
    "totals": {"tickets": 1202, "refunded_tickets": 1, "gross_cents": 12354600,
               "tax_cents": 200050, "net_cents": 12154550, "refunds_cents": 4500},
    "generated_at": "2026-12-07T15:30:00Z",
}  # fmt: skip


def test_a_sales_answer_is_a_typed_table_and_its_csv_and_xlsx_read_back(tmp_path):
    table = sales_table(DAYS, ("Period: November",))
    assert table.rows[0][:4] == (date(2026, 11, 3), 1200, 1, Decimal("123456.00"))
    assert table.totals == ("Total", 1202, 1, Decimal("123546.00"), Decimal("2000.50"),
                            Decimal("121545.50"), Decimal("45.00"))  # fmt: skip
    assert table.text(table.rows[0][3], 3) == "123,456.00 CHF"

    with report_export.write_csv(table, tmp_path / "days.csv").open(
        encoding="utf-8-sig", newline=""
    ) as f:
        rows = list(csv.reader(f))
    assert rows == [
        ["Day", "Tickets", "Refunded", "Gross (CHF)", "Tax (CHF)", "Net (CHF)", "Refunds (CHF)"],
        ["2026-11-03", "1200", "1", "123456.00", "2000.50", "121455.50", "45.00"],
        ["2026-11-04", "2", "0", "90.00", "0.00", "90.00", "0.00"],
        ["Total", "1202", "1", "123546.00", "2000.50", "121545.50", "45.00"],
    ]

    book = openpyxl.load_workbook(report_export.write_xlsx(table, tmp_path / "days.xlsx"))
    sheet = book["Report"]
    assert sheet.freeze_panes == "B2" and sheet["A1"].font.bold
    assert sheet["A2"].value == datetime(2026, 11, 3) and sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet["B2"].value == 1200 and sheet["B2"].number_format == "#,##0"
    assert sheet["D2"].value == 123456 and sheet["D2"].number_format == '#,##0.00" CHF"'
    assert sheet["E2"].value == 2000.5
    assert [c.value for c in sheet[4]][:2] == ["Total", 1202] and sheet["A4"].font.bold
    assert [r[0].value for r in book["About"].iter_rows()] == ["Sales by day", "Period: November"]


def test_money_formats_follow_the_currency():
    assert report_export.money_format("EUR") == '"€"#,##0.00'
    assert report_export.money_format("JPY") == '"¥"#,##0'
    assert report_export.money_format("CHF") == '#,##0.00" CHF"'


def test_occupancy_shares_and_the_pdf_read_back(tmp_path):
    occupancy = {
        "event": 7, "capacity": 110, "sold": 55, "held": 1, "allocated": 4, "blocked": 2,
        "free": 48,
        "by_category": [{"category": "premium_box", "capacity": 10, "sold": 5, "held": 1,
                         "allocated": 0, "blocked": 2, "free": 2}],
        "standing": [{"area": 3, "name": "Floor", "capacity": 100, "sold": 50, "held": 0,
                      "allocated": 4, "blocked": 0, "free": 46}],
    }  # fmt: skip
    table = occupancy_table(occupancy)
    assert [r[0] for r in table.rows] == ["Seats · Premium Box", "Standing · Floor"]
    assert table.totals[-1] == Decimal("0.5") and table.text(table.totals[-1], 7) == "50.0 %"
    document = report_pdf.ReportDocument(
        "Sales report",
        "Enturf Arena",
        ["Period: November"],
        [sales_table(DAYS), table],
        [report_pdf.Line("Gala", ((0, 0), (1, 40), (3, 55)))],
    )
    path = report_pdf.write_pdf(document, tmp_path / "report.pdf")
    text = PdfReader(path).pages[0].extract_text()
    for words in ("Sales report", "Enturf Arena", "Amounts in CHF", "123,456.00 CHF",
                  "Seats · Premium Box", "50.0 %", "Tickets sold since the on-sale date", "Gala"):  # fmt: skip
        assert words in text, words


def test_the_heat_scale_by_price_and_by_sale_time():
    start = int(datetime(2026, 11, 1, 9, tzinfo=UTC).timestamp())
    seats = {
        "ids": [1, 2, 3, 4, 5],
        "sold_at": [start, start + 3600, None, start + 86_400 * 7, start + 86_400 * 14],
        "price_cents": [4500, 4500, None, 6000, 3000],
    }
    by_price = heat_scale(seats, BY_PRICE, 7, "EUR")
    assert by_price.sold == 4 and 3 not in by_price.step_of
    # three prices spread over the seven steps: cheapest, middle, dearest
    assert by_price.labels == ((0, "€30.00"), (3, "€45.00"), (6, "€60.00"))
    assert by_price.step_of == {1: 3, 2: 3, 4: 6, 5: 0}
    by_time = heat_scale(seats, BY_TIME, 2, "EUR")
    assert by_time.step_of == {1: 0, 2: 0, 4: 1, 5: 1}
    assert by_time.labels == ((0, "from 01 Nov"), (1, "from 08 Nov"))  # days: 14 days, 2 steps
    assert by_time.detail(4).startswith("sold ") and by_time.detail(4).endswith("for €60.00")
    assert by_time.detail(3) == ""
    assert heat_scale({}, BY_TIME, 7, "EUR").labels == ()


def test_the_last_answer_is_kept_per_report_and_filters(ctx):
    filters = ReportFilters(group_by="day", date_from=date(2026, 11, 1), venue=3)
    params = filters.params(SALES)
    assert params == {"group_by": "day", "from": "2026-11-01", "venue": 3}
    assert params_key(params) == '{"from":"2026-11-01","group_by":"day","venue":3}'
    at = datetime(2026, 12, 7, 15, 30, tzinfo=UTC)
    report_cache.keep(ctx.db, SALES, params, DAYS, at)
    report_cache.keep(ctx.db, SALES, params, {**DAYS, "rows": []}, at + timedelta(minutes=1))
    kept = report_cache.kept(ctx.db, SALES, dict(reversed(params.items())))
    assert (
        kept is not None
        and kept.data["rows"] == []
        and kept.fetched_at == at + timedelta(minutes=1)
    )
    assert report_cache.kept(ctx.db, SALES, {**params, "event": 9}) is None


def test_what_this_counter_sold_since_comes_from_its_own_sales_and_refunds(ctx):
    before = datetime.now(UTC) - timedelta(hours=2)
    since = datetime.now(UTC) - timedelta(hours=1)
    sales = []
    for at, lines in (
        (before, [(1, "20.00")]),
        (since + timedelta(minutes=5), [(1, "20.00"), (2, "35.50")]),
        (since + timedelta(minutes=9), [(1, "20.00")]),
    ):
        sale_id = uuid.uuid4()
        payload = sale_payload(sale_id, event=7, lines=lines, at=at,
                               payments=[{"method": "cash", "amount": "75.50"}])  # fmt: skip
        total = sum(Decimal(p) for _t, p in lines)
        with ctx.db.transaction() as s:
            s.add(LocalSale(id=sale_id, created_at=at, payload=payload, event_id=7,
                            total=total, currency="EUR", op_id=uuid.uuid4()))  # fmt: skip
        sales.append(sale_id)
    with ctx.db.transaction() as s:
        s.add(LocalRefund(id=uuid.uuid4(), created_at=since + timedelta(minutes=20),
                          booking_id=sales[1], amount=Decimal("35.50"), currency="EUR",
                          parts=[], lines=[]))  # fmt: skip

    sold = counter_since.sold_since(ctx, since)
    assert (sold.sales, sold.tickets, sold.gross, sold.refunds) == (
        2,
        3,
        Decimal("75.50"),
        Decimal("35.50"),
    )
    assert sold.unsent == 2  # their ops are not applied on the server
    assert counter_since.sold_since(ctx, None).tickets == 4
    assert counter_since.sold_since(ctx, since, event_id=8).tickets == 0
    table = sold.table()
    assert table.totals[:3] == ("Total", 3, Decimal("75.50"))
