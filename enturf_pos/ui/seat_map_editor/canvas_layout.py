"""The document as the canvas's :class:`SeatMapLayout`, assembled from cached parts.

``SeatMapDocument.to_layout`` builds the whole layout again after every change; at
100,000 seats that is most of a second. The editor changes a section by replacing its
immutable :class:`Section` object, so the columns of every section are built once per
version of it (:class:`SectionPart`) and an edit only concatenates them (C-speed array
copies). The parts also carry a spatial grid each (:class:`SectionGrid`), and
:meth:`LayoutAssembler.assemble` says which sections are the very same as last time,
so the scene keeps their items.
"""

from __future__ import annotations

from array import array
from itertools import chain

from enturf_core.seating.layout import AreaInfo, RowInfo, SeatMapLayout, SectionInfo
from enturf_core.seatmap_editing.document import SeatMapDocument, Section
from enturf_pos.ui.seat_map.section_grid import SeatPoints, SectionedGrid, SectionGrid

DEFAULT_PITCH = 10.0


class SectionPart:
    """One version of a section as layout columns (category numbers from the
    assembler's table, which only grows, so a part stays valid)."""

    def __init__(self, section: Section, category_number: dict[str, int]) -> None:
        self.section = section  # keeps the object alive: its id() is the cache key
        ids, xs, ys, cats = array("q"), array("d"), array("d"), array("H")
        flags = bytearray()
        labels: list[str] = []
        keys: list[str] = []
        self.rows: list[tuple[int, str, int]] = []  # uid, label, seat count
        for row in section.rows:
            seats = row.seats
            self.rows.append((row.uid, row.label, len(seats)))
            ids.extend(s.uid for s in seats)
            xs.extend(s.x for s in seats)
            ys.extend(s.y for s in seats)
            flags.extend(s.flags for s in seats)
            labels.extend(s.label for s in seats)
            keys.extend(s.key for s in seats)
            for s in seats:
                number = category_number.get(s.category)
                if number is None:
                    number = category_number[s.category] = len(category_number)
                cats.append(number)
        self.ids, self.xs, self.ys, self.category_of = ids, xs, ys, cats
        self.flags = bytes(flags)
        self.labels, self.keys = labels, keys
        self.grid: SectionGrid | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def grid_for(self, pitch: float) -> SectionGrid:
        cell = pitch * 2
        if self.grid is None or self.grid.grid.cell != cell:
            self.grid = SectionGrid(SeatPoints(self.xs, self.ys, pitch), cell)
        return self.grid


class LayoutAssembler:
    """Builds the canvas's layout of a document, reusing unchanged sections' parts."""

    def __init__(self) -> None:
        self.category_number: dict[str, int] = {}
        self._parts: dict[int, SectionPart] = {}  # id(Section) -> part
        self._order: list[int] = []  # id(Section) of the last layout, in section order
        self.pitch: float | None = None

    def seed_categories(self, names: list[str]) -> None:
        """Number the document's listed categories first, in their order (their colours)."""
        for name in names:
            self.category_number.setdefault(name, len(self.category_number))

    def assemble(
        self, document: SeatMapDocument
    ) -> tuple[SeatMapLayout, SectionedGrid, dict[int, int]]:
        """The layout, its grid, and ``kept``: new section index -> old section index
        for the sections that are the same objects as in the last layout."""
        sections = list(document.sections.values())
        old_position = {key: k for k, key in enumerate(self._order)}
        parts: list[SectionPart] = []
        kept: dict[int, int] = {}
        fresh: dict[int, SectionPart] = {}
        for k, section in enumerate(sections):
            key = id(section)
            part = self._parts.get(key)
            if part is None or part.section is not section:
                part = SectionPart(section, self.category_number)
            elif key in old_position:
                kept[k] = old_position[key]
            fresh[key] = part
            parts.append(part)
        self._parts = fresh
        self._order = [id(s) for s in sections]
        layout = self._layout(document, sections, parts)
        pitch = layout.pitch if len(layout) else (self.pitch or DEFAULT_PITCH)
        if self.pitch is None or abs(pitch - self.pitch) > self.pitch * 0.02:
            self.pitch = pitch
            kept = {}  # seats are drawn at another size: redraw everything
        layout.__dict__["pitch"] = self.pitch  # one seat size for the whole session
        grid = SectionedGrid(layout, [p.grid_for(self.pitch) for p in parts])
        return layout, grid, kept

    def _layout(
        self, document: SeatMapDocument, sections: list[Section], parts: list[SectionPart]
    ) -> SeatMapLayout:
        ids, xs, ys, cats = array("q"), array("d"), array("d"), array("H")
        row_of, section_of = array("i"), array("i")
        rows: list[RowInfo] = []
        infos: list[SectionInfo] = []
        for k, (section, part) in enumerate(zip(sections, parts, strict=True)):
            seat0, row0 = len(ids), len(rows)
            first = seat0
            for uid, label, count in part.rows:
                row_of.extend(array("i", [len(rows)]) * count)
                rows.append(RowInfo(len(rows), uid, label, k, range(first, first + count)))
                first += count
            ids.extend(part.ids)
            xs.extend(part.xs)
            ys.extend(part.ys)
            cats.extend(part.category_of)
            section_of.extend(array("i", [k]) * len(part))
            infos.append(
                SectionInfo(
                    k,
                    section.uid,
                    section.name,
                    range(row0, len(rows)),
                    range(seat0, len(ids)),
                    section.rank,
                )
            )
        areas = []
        for area in document.areas.values():
            left, top, right, bottom = area.bbox
            areas.append(
                AreaInfo(area.uid, area.name, area.capacity, left, top, right - left, bottom - top)
            )
        return SeatMapLayout(
            id=None,
            name=document.name,
            width=float(document.width or 0),
            height=float(document.height or 0),
            stage_x=document.stage_x,
            stage_y=document.stage_y,
            sections=tuple(infos),
            rows=tuple(rows),
            areas=tuple(areas),
            categories=tuple(self.category_number),
            ids=ids,
            xs=xs,
            ys=ys,
            row_of=row_of,
            section_of=section_of,
            category_of=cats,
            flags=b"".join(p.flags for p in parts),
            labels=tuple(chain.from_iterable(p.labels for p in parts)),
            keys=tuple(chain.from_iterable(p.keys for p in parts)),
            index_of=dict(zip(ids, range(len(ids)), strict=True)),
        )
