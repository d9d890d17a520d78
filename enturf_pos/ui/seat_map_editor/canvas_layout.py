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

import bisect
import sys
from array import array
from collections.abc import Iterator, Sequence

from enturf_core.seating.layout import AreaInfo, RowInfo, SeatMapLayout, SectionInfo
from enturf_core.seatmap_editing.document import SeatMapDocument, Section
from enturf_pos.ui.seat_map.section_grid import SeatPoints, SectionedGrid, SectionGrid

DEFAULT_PITCH = 10.0
_LOW = 0 if sys.byteorder == "little" else 1  # the low byte of an 'H' item


class SectionPart:
    """One version of a section as layout columns (category numbers from the
    assembler's table, which only grows, so a part stays valid). What depends on where
    the section sits in the layout (its rows' infos, row and section numbers per seat)
    is cached for the place it had last."""

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
        self.box = (min(xs), min(ys), max(xs), max(ys)) if ids else None
        self.grid: SectionGrid | None = None
        self.placed: tuple[int, int, int] | None = None  # section, row, seat start
        self.row_infos: tuple[RowInfo, ...] = ()
        self.row_of = array("i")
        self.section_of = array("i")

    def __len__(self) -> int:
        return len(self.ids)

    def grid_for(self, pitch: float) -> SectionGrid:
        cell = pitch * 2
        if self.grid is None or self.grid.grid.cell != cell:
            self.grid = SectionGrid(SeatPoints(self.xs, self.ys, pitch), cell)
        return self.grid

    def place(self, section: int, row0: int, seat0: int) -> None:
        """Its rows' infos and per-seat row and section numbers, at this place."""
        if self.placed == (section, row0, seat0):
            return
        self.placed = (section, row0, seat0)
        infos = []
        row_of = array("i")
        first = seat0
        for k, (uid, label, count) in enumerate(self.rows):
            row_of.extend(array("i", [row0 + k]) * count)
            infos.append(RowInfo(row0 + k, uid, label, section, range(first, first + count)))
            first += count
        self.row_infos = tuple(infos)
        self.row_of = row_of
        self.section_of = array("i", [section]) * len(self.ids)


class Joined(Sequence):
    """The parts' lists as one read-only sequence by seat index (no copy)."""

    def __init__(self, lists: list[list[str]]) -> None:
        self._lists = lists
        self._starts: list[int] = []
        total = 0
        for items in lists:
            self._starts.append(total)
            total += len(items)
        self._len = total

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._len))]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError(index)
        k = bisect.bisect_right(self._starts, index) - 1
        return self._lists[k][index - self._starts[k]]

    def __iter__(self) -> Iterator[str]:
        for items in self._lists:
            yield from items


class LayoutAssembler:
    """Builds the canvas's layout of a document, reusing unchanged sections' parts."""

    def __init__(self) -> None:
        self.category_number: dict[str, int] = {}
        self._parts: dict[int, SectionPart] = {}  # id(Section) -> part
        self._order: list[int] = []  # id(Section) of the last layout, in section order
        self._index_of: dict[int, int] = {}  # seat uid -> index, kept up to date
        # id(part) -> the part and the seat start its entries in _index_of are for
        self._indexed: dict[int, tuple[SectionPart, int]] = {}
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
        if self.pitch is None and any(len(p) for p in parts):
            self.pitch = _pitch(parts)
            kept = {}  # the first seats: every tile at this seat size
        pitch = self.pitch or DEFAULT_PITCH
        layout = self._layout(document, sections, parts)
        layout.__dict__["pitch"] = pitch  # one seat size for the whole session
        layout.__dict__["bounds"] = _bounds(layout, parts, pitch)
        grid = SectionedGrid(layout, [p.grid_for(pitch) for p in parts])
        return layout, grid, kept

    def _reindex(self, parts: list[SectionPart]) -> dict[int, int]:
        """Seat uid -> index, changing only the entries of sections that are new, gone,
        or moved in the seat order."""
        index_of = self._index_of
        wanted: dict[int, tuple[SectionPart, int]] = {}
        seat0 = 0
        for part in parts:
            wanted[id(part)] = (part, seat0)
            seat0 += len(part)
        for key, (old, start) in list(self._indexed.items()):
            if wanted.get(key) != (old, start):
                for uid in old.ids:
                    index_of.pop(uid, None)
                del self._indexed[key]
        for key, (part, start) in wanted.items():
            if key not in self._indexed:
                index_of.update(zip(part.ids, range(start, start + len(part)), strict=True))
                self._indexed[key] = (part, start)
        return index_of

    def _layout(
        self,
        document: SeatMapDocument,
        sections: list[Section],
        parts: list[SectionPart],
    ) -> SeatMapLayout:
        ids, xs, ys, cats = array("q"), array("d"), array("d"), array("H")
        row_of, section_of = array("i"), array("i")
        rows: list[RowInfo] = []
        infos: list[SectionInfo] = []
        for k, (section, part) in enumerate(zip(sections, parts, strict=True)):
            seat0, row0 = len(ids), len(rows)
            part.place(k, row0, seat0)
            rows.extend(part.row_infos)
            row_of.extend(part.row_of)
            section_of.extend(part.section_of)
            ids.extend(part.ids)
            xs.extend(part.xs)
            ys.extend(part.ys)
            cats.extend(part.category_of)
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
        # a fresh dict each time would cost 20 ms at 100,000 seats: it is updated instead,
        # so an older layout's index_of is this one's (the editor shows only the newest)
        index_of = self._reindex(parts)
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
            labels=Joined([p.labels for p in parts]),  # type: ignore[arg-type]
            keys=Joined([p.keys for p in parts]),  # type: ignore[arg-type]
            index_of=index_of,
        )


def _pitch(parts: list[SectionPart]) -> float:
    """The median distance between neighbours in a row, from a sample of rows."""
    gaps = []
    for part in parts:
        xs, ys = part.xs, part.ys
        first = 0
        for _uid, _label, count in part.rows[:: max(1, len(part.rows) // 20)]:
            for i in range(first + 1, first + min(count, 12)):
                gap = ((xs[i] - xs[i - 1]) ** 2 + (ys[i] - ys[i - 1]) ** 2) ** 0.5
                if gap > 0:
                    gaps.append(gap)
            first += count
    gaps.sort()
    return gaps[len(gaps) // 2] if gaps else DEFAULT_PITCH


def _bounds(layout: SeatMapLayout, parts: list[SectionPart], pitch: float):
    """What ``SeatMapLayout.bounds`` computes, from the parts' boxes (no pass over seats)."""
    xs = [layout.stage_x, *(a.x for a in layout.areas), *(a.x + a.width for a in layout.areas)]
    ys = [layout.stage_y, *(a.y for a in layout.areas), *(a.y + a.height for a in layout.areas)]
    for part in parts:
        if part.box is not None:
            xs += [part.box[0], part.box[2]]
            ys += [part.box[1], part.box[3]]
    half = pitch / 2
    return min(xs) - half, min(ys) - half, max(xs) + half, max(ys) + half
