"""Seat-map editor documents built with the editor's own tools
(`enturf_core.seatmap_editing`), for its tests and benchmarks.

* :func:`theatre_document`: stalls in curved rows with an accessible row, a fan-shaped
  circle, a straight balcony in two wings, a standing area and a stage (888
  seats), every step an edit applied as the editor would.
* :func:`big_document`: a grid of curved sections of 2,000 seats, as many as make
  ``seats`` (100,000 for the stress test).
"""

from __future__ import annotations

from enturf_core.seating.layout import ACCESSIBLE, COMPANION
from enturf_core.seatmap_editing import edits
from enturf_core.seatmap_editing.document import Area, SeatMapDocument
from enturf_core.seatmap_editing.generate import CURVED, FAN, SectionSpec, generate_section


def _apply(doc: SeatMapDocument, edit: edits.Edit | None) -> None:
    """Apply an edit made from the document as it is now (edits are made one at a time)."""
    assert edit is not None
    edits.apply(doc, edit)


def _add(doc: SeatMapDocument, spec: SectionSpec) -> int:
    section = generate_section(spec, doc.new_uid)
    _apply(doc, edits.add_section(doc, section))
    return section.uid


def theatre_document() -> SeatMapDocument:
    doc = SeatMapDocument(name="Theatre", stage_x=500, stage_y=60, width=1000, height=760)
    stalls = _add(
        doc,
        SectionSpec(
            "Stalls",
            rows=16,
            seats_per_row=[24 + 2 * (r // 2) for r in range(16)],
            seat_spacing=10,
            row_spacing=13,
            origin=(500, 140),
            shape=CURVED,
            radius=260,
            category="premium",
            rank=1,
        ),
    )
    front = doc.sections[stalls].rows[0]
    wheelchairs = edits.Selection.of(seats=[s.uid for s in front.seats[:2] + front.seats[-2:]])
    companions = edits.Selection.of(seats=[front.seats[2].uid, front.seats[-3].uid])
    _apply(doc, edits.set_flags(doc, wheelchairs, ACCESSIBLE))
    _apply(doc, edits.set_flags(doc, companions, COMPANION))
    _add(
        doc,
        SectionSpec(
            "Circle",
            rows=8,
            seat_spacing=10,
            row_spacing=14,
            origin=(500, 400),
            shape=FAN,
            radius=300,
            arc_angle=60,
            category="standard",
            rank=2,
        ),
    )
    for name, x, rotation in (("Balcony Left", 190, -20), ("Balcony Right", 810, 20)):
        _add(
            doc,
            SectionSpec(
                name,
                rows=4,
                seats_per_row=12,
                origin=(x, 560),
                rotation=rotation,
                category="economy",
            ),
        )
    _apply(doc, edits.add_area(doc, "Standing", 150, Area.rectangle_points(380, 620, 240, 90)))
    stage = [(350, 20), (650, 20), (650, 70), (350, 70)]
    _apply(doc, edits.add_decoration(doc, "stage", stage, text="Stage"))
    _apply(doc, edits.add_decoration(doc, "label", [(60, 40)], text="Exit"))
    return doc


def big_document(seats: int = 100_000) -> SeatMapDocument:
    """Curved sections of 40 x 50 seats in a grid, ``seats`` rounded up to 2,000s."""
    doc = SeatMapDocument(name="Stadium", stage_x=3000, stage_y=-200)
    sections = -(-seats // 2000)
    for i in range(sections):
        _add(
            doc,
            SectionSpec(
                f"Block {i + 1}",
                rows=40,
                seats_per_row=50,
                origin=(i % 10 * 620, i // 10 * 620),
                shape=CURVED,
                radius=400,
                category=("premium", "standard", "economy")[i % 3],
            ),
        )
    return doc
