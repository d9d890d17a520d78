"""The A4 X/Z report's tables: each figure sits under its column's heading (right edges
line up), and no table runs into the right margin. Positions read back with pypdfium2."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2
import pytest

from enturf_core.wording import plural
from enturf_core.z_report_pdf import (
    MethodRow,
    MovementRow,
    SaleRow,
    ZReportDocument,
    render_z_report,
)

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
BERLIN = ZoneInfo("Europe/Berlin")
RIGHT_MARGIN_PT = 18 / 25.4 * 72


def report(server_figures: bool) -> ZReportDocument:
    at = datetime(2031, 1, 15, 18, 5, tzinfo=BERLIN)
    return ZReportDocument(
        title="Z report",
        seller="Theatre Royal Ltd",
        counter="Box office 1",
        cashier="Jane Doe",
        opened_at=at,
        closed_at=at,
        currency="EUR",
        opening_float=Decimal("100.00"),
        methods=[
            MethodRow("cash", Decimal("1145.00"), Decimal("1145.00"), Decimal("1145.00")),
            MethodRow("card", Decimal("90.00"), Decimal("90.00"), Decimal("90.00")),
        ],
        difference=Decimal("0.00"),
        server_difference=Decimal("0.00"),
        sales=[SaleRow("A Midsummer Night's Dream", "Concession", 12, Decimal("390.00"))],
        refunds=[],
        movements=[
            MovementRow("Cash in", Decimal("250.00"), "change from the bank", at, "Jane Doe"),
            MovementRow(
                "Cash out", Decimal("20.00"), "flowers for the cast", at, "Maximilian Weber"
            ),
        ],
        approved_by="Ada Admin",
        server_figures=server_figures,
    )


def boxes(pdf: bytes) -> tuple[float, list[tuple[str, float]], float]:
    """The page width, every text run's right edge (in points) in reading order, and the
    right edge of the furthest drawn shape (table shading and rules)."""
    page = pypdfium2.PdfDocument(pdf)[0]
    text = page.get_textpage()
    runs = []
    for i in range(text.count_rects()):
        left, bottom, right, top = text.get_rect(i)
        runs.append((text.get_text_bounded(left, bottom, right, top).strip(), right))
    shapes = [
        o.get_bounds()[2] for o in page.get_objects() if o.type == pypdfium2.raw.FPDF_PAGEOBJ_PATH
    ]
    return page.get_width(), runs, max(shapes)


def right_edge(runs: list[tuple[str, float]], wanted: str, nth: int = 0) -> float:
    found = [right for text, right in runs if text == wanted]
    assert len(found) > nth, (wanted, [t for t, _r in runs])
    return found[nth]


@pytest.mark.parametrize("server_figures", [False, True], ids=["counter", "server"])
def test_figures_sit_under_their_headings_inside_the_margins(server_figures):
    pdf = render_z_report(report(server_figures))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"z-report-layout-{'server' if server_figures else 'counter'}.pdf").write_bytes(
        pdf
    )
    width, runs, furthest_shape = boxes(pdf)
    expected = "Expected (counter)" if server_figures else "Expected"
    assert abs(right_edge(runs, expected) - right_edge(runs, "1145.00")) < 1.5
    assert abs(right_edge(runs, "Count") - right_edge(runs, "12")) < 1.5
    amount = "Amount (EUR)"
    assert abs(right_edge(runs, amount) - right_edge(runs, "390.00")) < 1.5
    assert abs(right_edge(runs, amount, 2) - right_edge(runs, "250.00")) < 1.5  # movements
    inside = width - RIGHT_MARGIN_PT + 0.5
    assert max(right for _text, right in runs) <= inside, [(t, r) for t, r in runs if r > inside]
    assert furthest_shape <= inside, (furthest_shape, inside)


def test_counts_agree_with_their_nouns():
    assert plural(1, "sale") == "1 sale"
    assert plural(0, "refund") == "0 refunds"
    assert plural(2, "sale") == "2 sales"
    assert plural(2, "person", "people") == "2 people"
