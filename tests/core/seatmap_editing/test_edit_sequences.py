"""Random sequences of edits on a theatre (Hypothesis): after each one the document's
index agrees with its sections, and undoing all of them in reverse order gives back the
very document we started from."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.seatmap_documents import theatre_document

from enturf_core.seating.layout import AISLE, OBSTRUCTED
from enturf_core.seatmap_editing import edits
from enturf_core.seatmap_editing.document import SeatMapDocument
from enturf_core.seatmap_editing.edits import Selection
from enturf_core.seatmap_editing.generate import FAN, SectionSpec, generate_section
from enturf_core.seatmap_editing.numbering import ODD_EVEN, SeatScheme

TOOLS = (
    "delete",
    "move",
    "rotate",
    "mirror",
    "duplicate",
    "paint",
    "flags",
    "renumber",
    "add",
    "rows",
    "outline",
)


def _selection(doc: SeatMapDocument, data: st.DataObject) -> Selection:
    seats = sorted(doc.seat_uids())
    picked = data.draw(st.lists(st.sampled_from(seats), max_size=60)) if seats else []
    sections = (
        data.draw(st.lists(st.sampled_from(sorted(doc.sections)), max_size=1))
        if doc.sections
        else []
    )
    areas = sorted(doc.areas) if data.draw(st.booleans()) else []
    return Selection.of(seats=picked, sections=sections, areas=areas, decorations=doc.decorations)


def _edit(doc: SeatMapDocument, tool: str, selection: Selection, data: st.DataObject):
    number = data.draw(st.integers(-40, 40))
    if tool == "delete":
        return edits.delete(doc, selection)
    if tool == "move":
        return edits.move(
            doc, selection, number, number / 3, grid=data.draw(st.sampled_from([None, 5]))
        )
    if tool == "rotate":
        return edits.rotate(doc, selection, number * 7)
    if tool == "mirror":
        return edits.mirror(
            doc, selection, data.draw(st.sampled_from([edits.HORIZONTAL, edits.VERTICAL]))
        )
    if tool == "duplicate":
        return edits.duplicate(doc, selection, (number, 30))
    if tool == "paint":
        return edits.paint(
            doc, selection, data.draw(st.sampled_from(["premium", "gala", "economy"]))
        )
    if tool == "flags":
        return edits.set_flags(doc, selection, OBSTRUCTED | AISLE, data.draw(st.booleans()))
    if tool == "renumber":
        return edits.renumber(doc, selection, SeatScheme(order=ODD_EVEN, start=abs(number) + 1))
    if tool == "rows":
        return edits.relabel_rows(doc, selection)
    if tool == "outline":
        return edits.redraw_outlines(doc, [u for u in selection.sections if u in doc.sections])
    spec = SectionSpec("Box", rows=2, seats_per_row=abs(number) % 7 + 1, shape=FAN, radius=50)
    return edits.add_section(doc, generate_section(spec, doc.new_uid))


def _index_agrees(doc: SeatMapDocument) -> None:
    count = 0
    for section in doc.sections.values():
        for row in section.rows:
            assert row.seats
            for seat in row.seats:
                assert doc.seat(seat.uid) is seat and doc.section_of_seat(seat.uid) is section
                count += 1
    assert doc.seat_count == count


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_sequence_of_edits_undoes_to_the_start(data):
    doc = theatre_document()
    start = doc.to_file_dict()
    sections = dict(doc.sections)
    done = []
    for tool in data.draw(st.lists(st.sampled_from(TOOLS), min_size=1, max_size=8)):
        edit = _edit(doc, tool, _selection(doc, data), data)
        if edit is None:
            continue
        edits.apply(doc, edit)
        _index_agrees(doc)
        done.append(edit)
    for edit in reversed(done):
        edits.revert(doc, edit)
    assert doc.to_file_dict() == start
    assert list(doc.sections) == list(sections)
    assert all(doc.sections[uid] is section for uid, section in sections.items())
    _index_agrees(doc)
