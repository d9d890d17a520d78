"""Seat-map editor: on-screen times of the manager's big steps on a 100,000-seat map.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/seatmap_editor_canvas.py [--seats 100000] [--runs 5]

One process, software rendering (the offscreen platform), the editor widget at
1366x768 (the smallest screen the counter supports) on a fresh local database with the
synthetic venue of tests/support/back_office_feed.py, and the synthetic arena of
tests/support/seat_map_fixtures.py as a draft. Every figure is a wall time from the
step to the end of painting it: the step, the event loop run twice (the scene's
changes reach the view), then ``viewport().repaint()`` (synchronous, the whole
viewport into the backing store). Medians and worst of ``--runs``.

What each line measures:

* open: ``open_draft`` of the 100,000-seat draft: read the JSON from SQLite, the
  document from it, the canvas's layout, the scene's items, the first paint (fitted).
  Target < 1.5 s.
* add 2,000 seats: the *Add section* tool with 40 rows x 50 seats (generate, the
  undoable edit, the canvas's update: only the new section's parts, grid and tiles are
  built) and its paint. Target < 100 ms. Then its undo. Target < 100 ms.
* paint 5,000 seats: the *Paint* tool on 5,000 selected seats (spread over a few
  sections: their tiles are rebuilt) and its paint; then its undo. Target < 100 ms.
* select 5,000 seats: showing a new selection (the cart look), for comparison.
* nudge 5,000 seats: one arrow press on them (the move, merged into the run of presses
  before it: one undo step), five presses a run; then the run's undo. Target < 100 ms.
* import undo / redo: the undo of an import of the 100,000-seat map over the 100,000-seat
  draft (the draft before it drawn from scratch), and its redo. Target as opening,
  < 1.5 s.
* off the step's clock, also printed: the checks of the whole map (run on a thread
  after each change), and the autosave of the draft (after 3 s idle on a big map: the
  UI thread takes a snapshot, a thread writes it).

The machine's load average and how busy its CPUs were during the run are printed: on
a shared machine other processes inflate the wall times, so each line also gives the
process's CPU time of the step (``cpu``), what it costs on a machine of its own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the support package
sys.path.insert(0, str(ROOT / "bench"))

import keyring  # noqa: E402
from load_tools import machine_cpu  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from support.back_office_feed import VENUE, seed  # noqa: E402
from support.memory_keyring import MemoryKeyring  # noqa: E402
from support.seat_map_fixtures import arena_seat_map  # noqa: E402

from enturf_core.seatmap_editing.checks import check_document  # noqa: E402
from enturf_core.seatmap_editing.document import SeatMapDocument  # noqa: E402
from enturf_core.seatmap_editing.edits import Selection  # noqa: E402
from enturf_pos.config import PosConfig  # noqa: E402
from enturf_pos.services.catalog import seatmap_drafts  # noqa: E402
from enturf_pos.services.session.pos_context import open_context  # noqa: E402
from enturf_pos.ui.seat_map_editor.editor import SeatMapEditor  # noqa: E402

TARGETS = {
    "open": 1500.0,
    "add": 100.0,
    "add undo": 100.0,
    "paint": 100.0,
    "paint undo": 100.0,
    "nudge": 100.0,
    "nudges undo": 100.0,
    "import undo": 1500.0,
    "import redo": 1500.0,
}
PRESSES = 5  # arrow presses in a run


def arena_file(seats: int) -> dict:
    """The arena in the file format (the API's seat ids dropped)."""
    data = arena_seat_map(seats)
    sections = [
        {
            "name": s["name"],
            "rows": [
                {
                    "label": r["label"],
                    "seats": [
                        {k: v for k, v in seat.items() if k not in ("id", "key")}
                        for seat in r["seats"]
                    ],
                }
                for r in s["rows"]
            ],
        }
        for s in data["sections"]
    ]
    areas = [
        {k: a[k] for k in ("name", "capacity", "x", "y", "width", "height")} for a in data["areas"]
    ]
    return {
        "format": "enturf-seatmap/1",
        "name": "Arena",
        "stage_x": data["stage_x"],
        "stage_y": data["stage_y"],
        "sections": sections,
        "areas": areas,
    }


CPU: dict[str, list[float]] = {}  # the process's CPU time of each step, by figure


def on_screen(app: QApplication, editor: SeatMapEditor, step, name: str = "") -> float:
    cpu = time.process_time()
    start = time.perf_counter()
    step()
    app.processEvents()
    app.processEvents()
    editor.canvas.viewport().repaint()
    wall = (time.perf_counter() - start) * 1000
    CPU.setdefault(name, []).append((time.process_time() - cpu) * 1000)
    return wall


def settle(app: QApplication, editor: SeatMapEditor) -> None:
    """Let the background checks finish and save the draft, off the clock."""
    editor._checks_timer.stop()
    editor._check_in_background()
    while editor.background_checks.running:
        app.processEvents()
        time.sleep(0.005)
    editor.save_now()
    app.processEvents()


def line(name: str, values: list[float], unit: str = "ms") -> str:
    target = TARGETS.get(name)
    verdict = ""
    if target is not None:
        verdict = "  ok" if statistics.median(values) < target else "  OVER"
        verdict = f"  target < {target:g} {unit}{verdict}"
    cpu = CPU.get(name)
    used = f" (cpu {statistics.median(cpu):6.1f})" if cpu else " " * 13
    return (
        f"{name:<22} median {statistics.median(values):8.1f} {unit}{used}"
        f"   worst {max(values):8.1f} {unit}{verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seats", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    keyring.set_keyring(MemoryKeyring())
    app = QApplication([sys.argv[0]])
    ctx = open_context(PosConfig(data_dir=Path(tempfile.mkdtemp(prefix="editor-bench-"))))
    seed(ctx)
    document = arena_file(args.seats)
    drafts = []
    for k in range(2):
        info = seatmap_drafts.new_draft(ctx=ctx, venue_id=VENUE, name=f"Arena {k + 1}")
        seatmap_drafts.save_draft(
            ctx=ctx, draft_id=info.id, document={**document, "name": info.name}
        )
        drafts.append(info.id)

    editor = SeatMapEditor(ctx)
    editor.resize(1366, 768)
    editor.show()
    app.processEvents()
    busy0, total0 = machine_cpu()
    load0 = os.getloadavg()[0]

    results: dict[str, list[float]] = {k: [] for k in [*TARGETS, "select 5,000"]}
    extra: dict[str, list[float]] = {
        "checks (thread)": [],
        "autosave, UI thread": [],
        "autosave, written": [],
    }
    for run in range(max(2, args.runs // 2)):
        results["open"].append(
            on_screen(app, editor, lambda r=run: editor.open_draft(drafts[r % 2]), "open")
        )
        settle(app, editor)
    seats = editor.document.seat_count

    panel = editor.section_panel
    panel.rows.setValue(40)
    panel.seats.setValue(50)
    for _ in range(args.runs):
        results["add"].append(on_screen(app, editor, editor.add_tools.add_section, "add"))
        assert editor.document.seat_count == seats + 2000
        settle(app, editor)
        results["add undo"].append(on_screen(app, editor, editor.undo_stack.undo, "add undo"))
        settle(app, editor)

    # 5,000 seats from the middle of the seat order: a few sections of the lower tier
    uids = list(editor.document.seat_uids())
    middle = len(uids) // 2
    chosen = Selection.of(seats=uids[middle : middle + 5000])
    for run in range(args.runs):
        results["select 5,000"].append(
            on_screen(app, editor, lambda: editor.set_selection(chosen), "select 5,000")
        )
        editor.paint_panel.category.setEditText("premium" if run % 2 == 0 else "vip")
        results["paint"].append(on_screen(app, editor, editor.actions_.paint, "paint"))
        settle(app, editor)
        results["paint undo"].append(on_screen(app, editor, editor.undo_stack.undo, "paint undo"))
        settle(app, editor)
        editor.set_selection(Selection())

    editor.set_selection(chosen)
    for _ in range(args.runs):
        index = editor.undo_stack.index()
        for _ in range(PRESSES):
            results["nudge"].append(
                on_screen(app, editor, lambda: editor.actions_.move(1, 0), "nudge")
            )
            settle(app, editor)  # (the run goes on: settling pushes no step)
        assert editor.undo_stack.index() == index + 1  # the run: one step
        settle(app, editor)
        results["nudges undo"].append(on_screen(app, editor, editor.undo_stack.undo, "nudges undo"))
        settle(app, editor)
    editor.set_selection(Selection())

    imported = SeatMapDocument.from_file_dict({**document, "name": editor.document.name})
    assert editor.replace_document(imported, "Import the seat map")
    settle(app, editor)
    for _ in range(max(2, args.runs // 2)):
        results["import undo"].append(on_screen(app, editor, editor.undo_stack.undo, "import undo"))
        settle(app, editor)
        results["import redo"].append(on_screen(app, editor, editor.undo_stack.redo, "import redo"))
        settle(app, editor)

    for _ in range(3):
        start = time.perf_counter()
        check_document(editor.document, pitch=editor._pitch())
        extra["checks (thread)"].append((time.perf_counter() - start) * 1000)
        editor._unsaved = True
        start = time.perf_counter()
        editor._save_soon()  # a big map: the snapshot here, the writing on a thread
        extra["autosave, UI thread"].append((time.perf_counter() - start) * 1000)
        while editor.saver.running:
            app.processEvents()
            time.sleep(0.002)
        extra["autosave, written"].append((time.perf_counter() - start) * 1000)
        app.processEvents()

    busy1, total1 = machine_cpu()
    print(f"Seat-map editor canvas, {seats:,} seats, editor 1366x768, offscreen raster")
    print(
        f"Python {sys.version.split()[0]}, load average {load0:.1f} -> {os.getloadavg()[0]:.1f}"
        f" on {os.cpu_count()} CPUs, machine busy {100 * (busy1 - busy0) / max(1.0, total1 - total0):.0f} %"
    )
    for name, values in results.items():
        print(line(name, values))
    print("off the step's clock (on threads; the UI thread only takes the snapshot):")
    for name, values in extra.items():
        print(line(name, values))
    ctx.close()


if __name__ == "__main__":
    main()
