#!/usr/bin/env python
"""The seat-map editor's model (enturf_core.seatmap_editing), pure Python, no Qt.

    .venv/bin/python bench/seatmap_editor.py [--only paint] [--repeat 15]

What each line measures (wall time per run: median and worst of ``--repeat`` runs, and
the median CPU time of this process, which other work on the machine inflates less):

* generate a 2,000-seat section: ``generate_section`` of 40 curved rows of 50 seats
  (target < 100 ms).
* add it (make + apply the edit), and undo that (``revert``) (target < 100 ms).
* paint 5,000 seats: make the edit (``edits.paint``) and apply it, on a 100,000-seat
  document, seats spread over three sections (target < 100 ms); undo it (< 100 ms).
* move 5,000 seats, and undo it; merge one more move into a run of moves (what each
  arrow press after the first costs on top of the move), and undo a run of 5 merged
  moves; delete them, and undo that (the seat index is rebuilt for the sections it
  touches).
* open a 100,000-seat map: ``SeatMapDocument.from_file_dict`` of its file dict; then its
  layout for the canvas (``to_layout``); the two are the model's part of opening a map
  in the editor (target for the whole opening, canvas included: < 1.5 s).
* write it: ``to_file_dict`` (what a save or publish sends).
* check it: ``check_document`` on 100,000 seats (target < 1 s).

The machine is shared: the load average before and after, and how busy the machine's
CPUs were during the measurements (from /proc/stat), are printed with the figures.

Measurements are named and registered with :func:`measurement`; the editor's canvas
figures (bench/seatmap_editor_canvas.py) register theirs the same way and call
:func:`main` with them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the support package

from load_tools import machine_cpu
from support.seatmap_documents import big_document

from enturf_core.seatmap_editing import edits
from enturf_core.seatmap_editing.checks import check_document
from enturf_core.seatmap_editing.document import SeatMapDocument
from enturf_core.seatmap_editing.edits import Selection
from enturf_core.seatmap_editing.generate import CURVED, SectionSpec, generate_section

BIG = 100_000
SECTION_SPEC = SectionSpec("New", rows=40, seats_per_row=50, shape=CURVED, radius=400)

# A run: what is timed, and what puts things back afterwards (not timed; None: nothing).
Trial = tuple[Callable[[], object], Callable[[], object] | None]


@dataclass(frozen=True)
class Measurement:
    name: str
    target_ms: float | None
    prepare: Callable[[Fixtures], Trial]
    repeat: int | None = None  # None: the command line's --repeat


@dataclass
class Result:
    name: str
    target_ms: float | None
    wall_ms: list[float]
    cpu_ms: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.wall_ms)

    @property
    def worst_ms(self) -> float:
        return max(self.wall_ms)

    @property
    def met(self) -> bool | None:
        return None if self.target_ms is None else self.median_ms < self.target_ms


MEASUREMENTS: list[Measurement] = []


def measurement(
    name: str, target_ms: float | None = None, repeat: int | None = None
) -> Callable[[Callable[[Fixtures], Trial]], Callable[[Fixtures], Trial]]:
    """Register ``prepare(fixtures) -> (run, reset)`` as the measurement ``name``."""

    def register(prepare: Callable[[Fixtures], Trial]) -> Callable[[Fixtures], Trial]:
        MEASUREMENTS.append(Measurement(name, target_ms, prepare, repeat))
        return prepare

    return register


class Fixtures:
    """Documents the measurements share, built once on first use (not timed)."""

    @cached_property
    def big(self) -> SeatMapDocument:
        return big_document(BIG)

    @cached_property
    def big_file(self) -> dict:
        return self.big.to_file_dict()

    @cached_property
    def five_thousand(self) -> Selection:
        """5,000 seats of the big document: all of two sections and half of a third."""
        sections = list(self.big.sections.values())[3:6]
        seats = [s.uid for section in sections for s in section.seats()][:5000]
        return Selection.of(seats=seats)


def run(measure: Measurement, fixtures: Fixtures, repeat: int) -> Result:
    timed, reset = measure.prepare(fixtures)
    wall, cpu = [], []
    for _ in range(measure.repeat or repeat):
        c = time.process_time()
        t = time.perf_counter()
        timed()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        if reset is not None:
            reset()
    return Result(measure.name, measure.target_ms, wall, cpu)


def _edit_trial(doc: SeatMapDocument, make: Callable[[], edits.Edit | None]) -> Trial:
    """Timed: make the edit and apply it; reset: revert it."""
    done: list[edits.Edit] = []

    def timed() -> None:
        edit = make()
        assert edit is not None
        edits.apply(doc, edit)
        done.append(edit)

    return timed, lambda: edits.revert(doc, done.pop())


def _undo_trial(doc: SeatMapDocument, edit: edits.Edit | None) -> Trial:
    """Timed: revert the edit; reset: apply it again. The edit is applied first."""
    assert edit is not None
    edits.apply(doc, edit)
    return lambda: edits.revert(doc, edit), lambda: edits.apply(doc, edit)


# -- the model's measurements --------------------------------------------------------------


@measurement("generate a 2,000-seat section", 100)
def _generate(fx: Fixtures) -> Trial:
    doc = SeatMapDocument()
    return lambda: generate_section(SECTION_SPEC, doc.new_uid), None


@measurement("add a 2,000-seat section to 100k seats", 100)
def _add(fx: Fixtures) -> Trial:
    doc = fx.big
    return _edit_trial(
        doc, lambda: edits.add_section(doc, generate_section(SECTION_SPEC, doc.new_uid))
    )


@measurement("undo adding it", 100)
def _undo_add(fx: Fixtures) -> Trial:
    doc = fx.big
    return _undo_trial(doc, edits.add_section(doc, generate_section(SECTION_SPEC, doc.new_uid)))


@measurement("paint 5,000 seats (100k-seat map)", 100)
def _paint(fx: Fixtures) -> Trial:
    doc, seats = fx.big, fx.five_thousand
    return _edit_trial(doc, lambda: edits.paint(doc, seats, "gala"))


@measurement("undo painting them", 100)
def _undo_paint(fx: Fixtures) -> Trial:
    return _undo_trial(fx.big, edits.paint(fx.big, fx.five_thousand, "gala"))


@measurement("move 5,000 seats", 100)
def _move(fx: Fixtures) -> Trial:
    doc, seats = fx.big, fx.five_thousand
    return _edit_trial(doc, lambda: edits.move(doc, seats, 15, 0))


@measurement("undo moving them", 100)
def _undo_move(fx: Fixtures) -> Trial:
    return _undo_trial(fx.big, edits.move(fx.big, fx.five_thousand, 15, 0))


def _move_run(doc: SeatMapDocument, seats: Selection, presses: int) -> edits.Edit:
    """``presses`` moves of the seats, applied and merged as the editor's arrow keys are
    (``QUndoCommand.mergeWith``); the document is put back, the run returned."""
    run: edits.Edit | None = None
    for _ in range(presses):
        step = edits.move(doc, seats, 5, 0)
        assert step is not None
        edits.apply(doc, step)
        run = step if run is None else edits.merge(run, step)
        assert run is not None
    assert run is not None
    edits.revert(doc, run)
    return run


@measurement("merge one more move into a run", 100)
def _merge_move(fx: Fixtures) -> Trial:
    doc, seats = fx.big, fx.five_thousand
    run = _move_run(doc, seats, 5)
    edits.apply(doc, run)
    step = edits.move(doc, seats, 5, 0)
    assert step is not None
    edits.revert(doc, run)
    return lambda: edits.merge(run, step), None


@measurement("undo a run of 5 moves (merged)", 100)
def _undo_move_run(fx: Fixtures) -> Trial:
    return _undo_trial(fx.big, _move_run(fx.big, fx.five_thousand, 5))


@measurement("delete 5,000 seats", 100)
def _delete(fx: Fixtures) -> Trial:
    doc, seats = fx.big, fx.five_thousand
    return _edit_trial(doc, lambda: edits.delete(doc, seats))


@measurement("undo deleting them", 100)
def _undo_delete(fx: Fixtures) -> Trial:
    return _undo_trial(fx.big, edits.delete(fx.big, fx.five_thousand))


@measurement("open a 100k-seat map: from_file_dict", None, repeat=5)
def _open(fx: Fixtures) -> Trial:
    data = fx.big_file
    return lambda: SeatMapDocument.from_file_dict(data), None


@measurement("its layout for the canvas: to_layout", None, repeat=5)
def _layout(fx: Fixtures) -> Trial:
    doc = fx.big

    def build() -> None:
        doc.revision += 1  # as after an edit: the cached layout is stale
        doc.to_layout()

    return build, None


@measurement("write it: to_file_dict", None, repeat=5)
def _write(fx: Fixtures) -> Trial:
    return fx.big.to_file_dict, None


@measurement("check 100k seats: check_document", 1000, repeat=5)
def _check(fx: Fixtures) -> Trial:
    doc = fx.big
    return lambda: check_document(doc), None


# -- running and printing ----------------------------------------------------------------------


def _line(result: Result) -> str:
    target = f"< {result.target_ms:g} ms" if result.target_ms is not None else ""
    verdict = {True: "ok", False: "OVER", None: ""}[result.met]
    return (
        f"{result.name:<44} {result.median_ms:9.1f} {result.worst_ms:9.1f} "
        f"{statistics.median(result.cpu_ms):9.1f}  {target:<10} {verdict}"
    )


def main(
    argv: Sequence[str] | None = None, measurements: Sequence[Measurement] | None = None
) -> list[Result]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the measurements whose name has this")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    chosen = [m for m in measurements or MEASUREMENTS if args.only in m.name]
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average before {os.getloadavg()[0]:.1f}"
    )
    print(f"{'milliseconds':<44} {'median':>9} {'worst':>9} {'CPU':>9}  target")
    fixtures = Fixtures()
    busy0, total0 = machine_cpu()
    results = []
    for measure in chosen:
        result = run(measure, fixtures, args.repeat)
        results.append(result)
        print(_line(result), flush=True)
    busy1, total1 = machine_cpu()
    busy = 100 * (busy1 - busy0) / max(1.0, total1 - total0)
    print(
        f"load average after {os.getloadavg()[0]:.1f}; the machine's CPUs were {busy:.0f} % "
        f"busy during the measurements (this process uses at most one)"
    )
    return results


if __name__ == "__main__":
    main()
