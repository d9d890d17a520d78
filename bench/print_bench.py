"""Receipt and ticket PDF generation time at the counter.

    .venv/bin/python bench/print_bench.py [--runs 20]

A local database in a temporary folder holds settings, a venue with 20 seats, an event,
and two local sales (2 and 10 seated tickets, codes signed with a fresh Ed25519 key),
written directly as `local_sales` rows the way `sale_service.record_cash_sale` writes
them. For each sale it measures, as the median (and worst) wall time of ``--runs`` runs:

* receipt: ``receipt_for_sale`` (read the sale from SQLite) + ``render_receipt`` (PDF
  bytes of the 80 mm roll, QR of the booking code included);
* stock: ``tickets_for_sale`` + ``render_ticket_stock`` (one 2 x 5.5 in page per ticket,
  a QR of each signed code);
* A4: ``tickets_for_sale`` + ``render_tickets_a4`` (three per page);

and the same per ticket. Printing itself (spooling to a printer) is not measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from enturf_core.money import Money
from enturf_core.pricing import tax_of_gross
from enturf_core.ticket_codes import SigningKey, TicketPayload, sign
from enturf_pos.models import (
    Database,
    Device,
    Event,
    LocalSale,
    LocalUser,
    Seat,
    SeatMap,
    SiteSettings,
    Ticket,
    Venue,
)
from enturf_pos.services.printing.documents import receipt_for_sale, tickets_for_sale
from enturf_pos.services.printing.receipt_pdf import render_receipt
from enturf_pos.services.printing.ticket_pdf import (
    render_ticket_stock,
    render_tickets_a4,
)


class _Ctx:
    """The one thing the printing selectors use of a PosContext: the database."""

    def __init__(self, db: Database) -> None:
        self.db = db


def _seed(db: Database) -> None:
    with db.transaction() as s:
        s.add(Device(server_url="http://127.0.0.1:9", device_id="7", name="Box office 1"))
        s.add(
            SiteSettings(
                id=1,
                data={
                    "seller_name": "Theatre Royal Ltd",
                    "seller_address": "1 Stage Street\n10115 Demo City",
                    "seller_vat_id": "DE123456789",
                },
            )
        )
        s.add(LocalUser(id=3, username="jane", role="employee", display_name="Jane Doe"))
        s.add(Venue(id=1, name="Theatre Royal", timezone="Europe/Berlin"))
        seat_map = SeatMap(id=4, venue_id=1, name="Main")
        seat_map.seats = [
            Seat(id=i, key=f"S/B/{i}", label=str(i), section="Stalls", row="B", x=i, y=0)
            for i in range(1, 21)
        ]
        s.add(seat_map)
        s.add(
            Event(
                id=5,
                seat_map_id=4,
                venue_id=1,
                name="The Magic Flute",
                starts_at=datetime(2026, 3, 14, 18, 30, tzinfo=UTC),
            )
        )
        s.add(Ticket(id=1, event_id=5, name="Adult", price=Decimal("45.00"), tax_rate=Decimal(7)))


def _sale(db: Database, key: SigningKey, tickets: int) -> uuid.UUID:
    sale_id, now = uuid.uuid4(), datetime.now(UTC)
    price = Money("45.00", "EUR")
    lines = []
    for seat in range(1, tickets + 1):
        line_id = uuid.uuid4()
        payload = TicketPayload(line_id=line_id, event_id=5, seat_id=seat, issued_at=now)
        lines.append(
            {
                "id": str(line_id),
                "ticket": 1,
                "seat": seat,
                "price": "45.00",
                "tax_rate": "7",
                "tax_amount": tax_of_gross(price, Decimal(7)).amount_text(),
                "discount": "0.00",
                "ticket_code": sign(payload, key),
            }
        )
    total = price * tickets
    payload = {
        "booking": {"id": str(sale_id), "code": "BENCH42", "event": 5, "seller": "jane"},
        "lines": lines,
        "payments": [
            {
                "id": str(uuid.uuid4()),
                "method": "cash",
                "amount": total.amount_text(),
                "currency": "EUR",
                "tendered": (total + Money("5", "EUR")).amount_text(),
                "change": "5.00",
            }
        ],
    }
    with db.transaction() as s:
        s.add(
            LocalSale(
                id=sale_id,
                created_at=now,
                payload=payload,
                event_id=5,
                code="BENCH42",
                total=total.amount,
                currency="EUR",
                seller="jane",
            )
        )
    return sale_id


def _time(fn: Callable[[], bytes], runs: int) -> tuple[float, float, int]:
    fn()  # warm-up: imports, fonts, first query
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(fn())
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory() as folder:
        db = Database(Path(folder) / "enturf-pos.sqlite3")
        _seed(db)
        key = SigningKey.generate()
        ctx = _Ctx(db)
        print(f"runs per figure: {args.runs}, load average {load:.2f}")
        print(
            f"{'sale':<12}{'document':<10}{'median ms':>10}{'worst ms':>10}"
            f"{'ms/ticket':>11}{'pages':>7}{'KiB':>7}"
        )
        for tickets in (2, 10):
            sale_id = _sale(db, key, tickets)
            jobs = {
                "receipt": (lambda s=sale_id: render_receipt(receipt_for_sale(ctx, s)), 1),
                "stock": (
                    lambda s=sale_id: render_ticket_stock(tickets_for_sale(ctx, s)),
                    tickets,
                ),
                "A4": (
                    lambda s=sale_id: render_tickets_a4(tickets_for_sale(ctx, s)),
                    (tickets + 2) // 3,
                ),
            }
            for name, (job, pages) in jobs.items():
                median, worst, size = _time(job, args.runs)
                print(
                    f"{f'{tickets} tickets':<12}{name:<10}{median * 1000:>10.1f}"
                    f"{worst * 1000:>10.1f}{median * 1000 / tickets:>11.1f}"
                    f"{pages:>7}{size / 1024:>7.1f}"
                )
        db.dispose()


if __name__ == "__main__":
    main()
