#!/usr/bin/env python
"""The reports of a sold-out 20,000-seat arena (issue 16: each under 300 ms).

    .venv/bin/python bench/reports_bench.py                   # SQLite, then PostgreSQL
    .venv/bin/python bench/reports_bench.py --only sqlite
    .venv/bin/python bench/reports_bench.py --database-url postgres://postgres@127.0.0.1:5432/enturf_reports

1. A fresh database (SQLite in a temporary folder, or PostgreSQL: dropped and created
   again), migrated. An arena of ``--seats`` seats (4 sections, standard and premium at
   19 % and 7 %), one event sold out in ``--seats / 2`` paid bookings of two seats,
   written in bulk (this is a bench: the rows are what the services store, not made by
   them): over 30 days, online and at two counters by four cashiers, cash, card and both;
   one booking in 100 with a ticket refunded (its refund, parts and credit note); each
   booking its payments and its invoice.
2. Every report endpoint through Django's full request path in this process (token
   authentication, permission, query validation, the SQL, JSON or CSV rendering):
   ``--runs`` times each after one warm-up call; median, p95 and worst wall time (a
   streamed answer, the accounting CSV, read to its end; the median time to its first
   piece too), and this process's CPU per call (with PostgreSQL's, which runs the SQL,
   on PostgreSQL).
3. The load average before and after and the machine's busy CPU share: the machine is
   shared, wall times move with what else runs.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from load_tools import (  # noqa: E402
    backend_pids,
    cpu_seconds,
    machine_cpu,
    percentile,
    recreate_database,
)

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/enturf_reports"
TARGET_MS = 300


def setup_django(database_url: str | None, data_dir: str) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["ENTURF_DATA_DIR"] = data_dir
    os.environ["ENTURF_ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enturf_server.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def sold_arena(seats: int) -> dict:
    """The arena, its event sold out, the money and the documents (bulk inserts)."""
    from django.db import connection, transaction
    from django.db.models import F
    from support.factories import make_event, make_seat_map, make_ticket

    from enturf_core.money import Money
    from enturf_core.pricing.tax import tax_of_gross
    from enturf_server.accounts.models import Device
    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import create_user
    from enturf_server.billing.models import Payment, Refund, RefundPart
    from enturf_server.catalog.models import Seat, Venue
    from enturf_server.invoicing.models import Invoice, InvoiceLine
    from enturf_server.sales.models import (
        Booking,
        BookingLine,
        BookingState,
        Channel,
        LineState,
        SeatInventory,
    )

    per_row = 100
    rows = seats // (4 * per_row)
    seat_map = make_seat_map(sections=4, rows=rows, seats_per_row=per_row, areas={}, name="Arena")
    Venue.objects.filter(pk=seat_map.venue_id).update(timezone="Europe/Berlin")
    event = make_event(seat_map, name="Arena night")
    tickets = {
        "standard": make_ticket(event, name="Standard", price="45.00", category="standard"),
        "premium": make_ticket(
            event, name="Premium", price="89.90", tax_rate="7", category="premium"
        ),
    }
    cashiers = [
        create_user(username=f"cashier{n}", password="a-long-password-1", role=Role.EMPLOYEE)
        for n in range(4)
    ]
    devices = [Device.objects.create(name=f"Counter {n}") for n in range(2)]
    seat_rows = list(
        Seat.objects.filter(seat_map=seat_map).order_by("pk").values_list("pk", "category")
    )
    start = datetime.now(UTC) - timedelta(days=30)
    taxes = {
        (cat, t.price): tax_of_gross(Money(t.price, "EUR"), t.tax_rate).amount
        for cat, t in tickets.items()
    }
    bookings, lines, payments, invoices, invoice_lines = [], [], [], [], []
    refunds, refund_parts, credit_notes, credit_lines = [], [], [], []
    refunded_lines = []
    for n in range(0, len(seat_rows) - 1, 2):
        k = n // 2
        at = start + timedelta(seconds=k * 30 * 86400 // (len(seat_rows) // 2))
        online = k % 3 == 0
        pair = seat_rows[n : n + 2]
        refund_one = k % 100 == 7
        booking = Booking(
            id=uuid.uuid4(),
            code=f"R{k:07d}",
            event=event,
            channel=Channel.ONLINE if online else Channel.COUNTER,
            device=None if online else devices[k % 2],
            created_by=None if online else cashiers[k % 4],
            state=BookingState.PARTIALLY_REFUNDED if refund_one else BookingState.PAID,
            currency="EUR",
            paid_at=at,
        )
        total = Decimal("0.00")
        booking_lines = []
        for j, (seat_id, category) in enumerate(pair):
            ticket = tickets[category]
            line = BookingLine(
                id=uuid.uuid4(),
                booking=booking,
                ticket=ticket,
                seat_id=seat_id,
                price=ticket.price,
                tax_rate=ticket.tax_rate,
                tax_amount=taxes[(category, ticket.price)],
                secret=secrets.token_urlsafe(32),
                state=LineState.REFUNDED if refund_one and j == 0 else LineState.VALID,
            )
            booking_lines.append(line)
            total += ticket.price
        booking.total = total
        bookings.append(booking)
        lines.extend(booking_lines)
        methods = ["card"] if online else (["cash"], ["card"], ["cash", "card"])[k % 3]
        parts = [total] if len(methods) == 1 else [Decimal("20.00"), total - Decimal("20.00")]
        booking_payments = []
        for method, amount in zip(methods, parts, strict=True):
            payment = Payment(
                id=uuid.uuid4(),
                booking=booking,
                method=method,
                channel="online" if online else "counter",
                amount=amount,
                currency="EUR",
                state="succeeded",
                succeeded_at=at,
            )
            booking_payments.append(payment)
        payments.extend(booking_payments)
        invoice = Invoice(
            kind="invoice",
            series="INV",
            year=at.year,
            number=k + 1,
            full_number=f"INV-B-{k + 1:07d}",
            issued_at=at,
            booking=booking,
            seller_name="Arena",
            booking_code=booking.code,
            event_name=event.name,
            event_starts_at=event.starts_at,
            currency="EUR",
            total_gross=total,
            total_net=total - sum(line.tax_amount for line in booking_lines),
            total_tax=sum(line.tax_amount for line in booking_lines),
            payment_methods=[
                {"method": m, "amount": str(a)} for m, a in zip(methods, parts, strict=True)
            ],
        )
        invoices.append(invoice)
        for pos, line in enumerate(booking_lines, 1):
            invoice_lines.append(
                InvoiceLine(
                    invoice=invoice,
                    position=pos,
                    description=f"{event.name} — seat {line.seat_id}",
                    unit_gross=line.price,
                    tax_rate=line.tax_rate,
                    tax=line.tax_amount,
                    net=line.price - line.tax_amount,
                    gross=line.price,
                    booking_lines=[str(line.pk)],
                )
            )
        if refund_one:
            line = booking_lines[0]
            refunded_lines.append(line)
            refund = Refund(
                id=uuid.uuid4(),
                booking=booking,
                amount=line.price,
                currency="EUR",
                method=booking_payments[-1].method,
                state="succeeded",
                completed_at=at + timedelta(days=1),
            )
            refunds.append(refund)
            refund_parts.append(
                RefundPart(refund=refund, payment=booking_payments[-1], amount=line.price)
            )
            note = Invoice(
                kind="credit_note",
                series="CRN",
                year=at.year,
                number=len(credit_notes) + 1,
                full_number=f"CRN-B-{len(credit_notes) + 1:07d}",
                issued_at=at + timedelta(days=1),
                booking=booking,
                references=invoice,
                refund_id=str(refund.pk),
                seller_name="Arena",
                booking_code=booking.code,
                event_name=event.name,
                event_starts_at=event.starts_at,
                currency="EUR",
                total_gross=-line.price,
                total_net=-(line.price - line.tax_amount),
                total_tax=-line.tax_amount,
            )
            credit_notes.append(note)
            credit_lines.append(
                InvoiceLine(
                    invoice=note,
                    position=1,
                    description=f"{event.name} — seat {line.seat_id}",
                    unit_gross=-line.price,
                    tax_rate=line.tax_rate,
                    tax=-line.tax_amount,
                    net=-(line.price - line.tax_amount),
                    gross=-line.price,
                    booking_lines=[str(line.pk)],
                )
            )
    with transaction.atomic():
        Booking.objects.bulk_create(bookings, batch_size=1000)
        # created_at is auto_now_add: the sale's moment is set afterwards
        Booking.objects.filter(event=event).update(created_at=F("paid_at"))
        BookingLine.objects.bulk_create(lines, batch_size=2000)
        Payment.objects.bulk_create(payments, batch_size=2000)
        Invoice.objects.bulk_create(invoices, batch_size=1000)
        InvoiceLine.objects.bulk_create(invoice_lines, batch_size=2000)
        Refund.objects.bulk_create(refunds, batch_size=1000)
        Refund.lines.through.objects.bulk_create(
            [
                Refund.lines.through(refund_id=r.pk, bookingline_id=line.pk)
                for r, line in zip(refunds, refunded_lines, strict=True)
            ]
        )
        RefundPart.objects.bulk_create(refund_parts, batch_size=1000)
        Invoice.objects.bulk_create(credit_notes, batch_size=1000)
        InvoiceLine.objects.bulk_create(credit_lines, batch_size=1000)
        # every seat sold to its line's booking; refunded seats are free again
        inv, bl = SeatInventory._meta.db_table, BookingLine._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {inv} SET status = 'sold', booking_id = (SELECT booking_id FROM {bl} "
                f"WHERE {bl}.seat_id = {inv}.seat_id AND {bl}.state = 'valid') "
                f"WHERE event_id = %s AND seat_id IN (SELECT seat_id FROM {bl} WHERE state = 'valid')",
                [event.pk],
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "event": event,
        "bookings": len(bookings),
        "lines": len(lines),
        "payments": len(payments),
        "documents": len(invoices) + len(credit_notes),
        "refunds": len(refunds),
    }


def admin_client():
    from rest_framework.test import APIClient

    from enturf_server.accounts.models import ApiToken
    from enturf_server.accounts.roles import Role
    from enturf_server.accounts.services import create_user

    user = create_user(username="boss", password="a-long-password-1", role=Role.MANAGER)
    _token, key = ApiToken.issue(user, timedelta(hours=2))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def run(database_url: str | None, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        if database_url:
            base, name = database_url.rsplit("/", 1)
            recreate_database(base, name)
        setup_django(database_url, data_dir)
        from django.db import connection

        built = time.perf_counter()
        data = sold_arena(args.seats)
        built = time.perf_counter() - built
        event = data["event"].pk
        client = admin_client()
        what = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
        print(
            f"\n== {what}: {args.seats} seats sold in {data['bookings']} bookings "
            f"({data['lines']} tickets, {data['payments']} payments, {data['refunds']} "
            f"refunds, {data['documents']} invoices and credit notes), built in {built:.1f} s =="
        )
        calls = [
            *[
                (f"sales group_by={g}", "/api/v1/reports/sales/", {"group_by": g})
                for g in (
                    "day",
                    "event",
                    "ticket",
                    "category",
                    "channel",
                    "counter",
                    "cashier",
                    "payment_method",
                )
            ],
            (
                "sales group_by=day, event, 1 week",
                "/api/v1/reports/sales/",
                {
                    "group_by": "day",
                    "event": event,
                    "from": (datetime.now(UTC) - timedelta(days=14)).date().isoformat(),
                    "to": (datetime.now(UTC) - timedelta(days=8)).date().isoformat(),
                },
            ),
            ("occupancy", "/api/v1/reports/occupancy/", {"event": event}),
            (
                "sales-over-time + compare",
                "/api/v1/reports/sales-over-time/",
                {"event": event, "compare_event": event},
            ),
            ("accounting (CSV, all)", "/api/v1/reports/accounting/", {}),
        ]
        pg = (database_url.rsplit("/", 1)) if database_url else None
        load_before = os.getloadavg()[0]
        busy0, total0 = machine_cpu()
        print(f"  {'report':<36}{'median':>9}{'p95':>9}{'worst':>9}{'CPU/call':>12}  bytes")
        worst_median = 0.0
        for label, url, query in calls:
            response = client.get(url, query)  # warm-up (and a check)
            assert response.status_code == 200, (label, response.getvalue()[:300])
            size = len(response.getvalue())
            times, first_bytes = [], []
            cpu0 = time.process_time()
            db0 = sum(cpu_seconds(p) for p in backend_pids(*pg)) if pg else 0.0
            for _ in range(args.runs):
                t0 = time.perf_counter()
                response = client.get(url, query)
                if response.streaming:  # the CSV: read to its end, noting its first piece
                    pieces = iter(response.streaming_content)
                    next(pieces, b"")
                    first_bytes.append((time.perf_counter() - t0) * 1000)
                    for _piece in pieces:
                        pass
                times.append((time.perf_counter() - t0) * 1000)
            cpu = (time.process_time() - cpu0) * 1000 / args.runs
            if pg:
                cpu += (sum(cpu_seconds(p) for p in backend_pids(*pg)) - db0) * 1000 / args.runs
            median = statistics.median(times)
            worst_median = max(worst_median, median)
            flag = "" if percentile(times, 95) < TARGET_MS else f"  > {TARGET_MS} ms"
            print(
                f"  {label:<36}{median:>7.0f}ms{percentile(times, 95):>7.0f}ms"
                f"{max(times):>7.0f}ms{cpu:>10.0f}ms  {size}{flag}"
                + (f"  (first byte {statistics.median(first_bytes):.0f} ms)" if first_bytes else "")
            )
        busy1, total1 = machine_cpu()
        print(
            f"  load average {load_before:.2f} -> {os.getloadavg()[0]:.2f} (1 min, "
            f"{os.cpu_count()} cores); machine CPU busy {(busy1 - busy0) / max(total1 - total0, 1):.0%}; "
            f"{args.runs} runs each; CPU/call = this process"
            + (" + PostgreSQL's backends" if pg else "")
        )
        connection.close()
        if database_url:
            from load_tools import drop_database

            drop_database(*database_url.rsplit("/", 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL (dropped and created again)")
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--seats", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child or args.database_url or args.only == "sqlite":
        run(args.database_url, args)
        return
    passed = ["--seats", str(args.seats), "--runs", str(args.runs)]
    runs = [] if args.only == "postgres" else [[]]
    runs.append(["--database-url", DEFAULT_PG])
    for extra in runs:
        subprocess.run([sys.executable, __file__, "--child", *passed, *extra], check=True)


if __name__ == "__main__":
    main()
