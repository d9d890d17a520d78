"""The seat map: its state and item model without a window, hit-testing, repaint of only
what changed, and the widget driven like a cashier (mouse, keyboard, best seats)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QAbstractItemModelTester
from support.seat_map_fixtures import arena_seat_map, availability_statuses, theatre_seat_map

from enturf_core.seating.best_available import Tier
from enturf_core.seating.layout import ACCESSIBLE, COMPANION, SeatMapLayout
from enturf_core.seating.states import SeatState
from enturf_core.wire.feed import Ticket
from enturf_demo.venues import theatre_royal
from enturf_pos.ui.seat_map import SeatMapPanel, SeatMapState, SeatMapView, SeatTableModel, palette
from enturf_pos.ui.seat_map.items import DETAIL_PX
from enturf_pos.ui.seat_map.palette import Look
from enturf_pos.ui.seat_map.seat_table_model import (
    LookRole,
    PositionRole,
    SeatIdRole,
    SelectableRole,
    SelectedRole,
    StateRole,
)

TICKETS = [
    Ticket(1, "Adult", Decimal("45.00"), "EUR", category="premium"),
    Ticket(2, "Child", Decimal("30.00"), "EUR", category="premium"),
    Ticket(3, "Adult", Decimal("32.50"), "EUR", category="standard"),
]


@pytest.fixture(scope="module")
def theatre_data() -> dict:
    return theatre_seat_map()


@pytest.fixture(scope="module")
def theatre(theatre_data) -> SeatMapLayout:
    return SeatMapLayout.from_api(theatre_data)


@pytest.fixture
def state(qapp, theatre) -> SeatMapState:
    s = SeatMapState()
    s.set_layout(theatre, tickets=TICKETS)
    return s


def ids_at(layout: SeatMapLayout, *indices: int) -> list[int]:
    return [layout.ids[i] for i in indices]


# -- state, no window --------------------------------------------------------------------


def test_statuses_change_only_the_seats_named(state, theatre):
    seen: list[list[int]] = []
    state.seatsChanged.connect(seen.append)
    changed = state.set_statuses({theatre.ids[3]: "sold", theatre.ids[4]: "held"})
    assert changed == [3, 4] and seen == [[3, 4]]
    assert state.look(3) is Look.SOLD and state.look(4) is Look.HELD
    assert state.look(5) is Look.FREE
    assert state.set_statuses({theatre.ids[3]: "sold"}) == []  # no change, no repaint
    assert len(seen) == 1


def test_the_cart_takes_only_pickable_seats_and_keeps_them_through_sync(state, theatre):
    carts: list[list[int]] = []
    state.selectionChanged.connect(carts.append)
    state.set_statuses({theatre.ids[1]: "sold"})

    assert state.toggle(0) is True
    assert state.toggle(1) is False  # sold
    assert carts == [ids_at(theatre, 0)]
    assert state.look(0) is Look.CART

    # our own hold comes back from the server as "held": still in the cart
    state.set_statuses({theatre.ids[0]: "held"})
    assert state.look(0) is Look.CART and state.selection() == ids_at(theatre, 0)

    assert state.toggle(0) is True  # out again, now shows what the server says
    assert state.look(0) is Look.HELD and carts[-1] == []


def test_offline_only_the_counters_allocation_is_pickable(state, theatre):
    allocation = ids_at(theatre, 10, 11, 12)
    state.set_allocation(allocation)
    state.set_statuses(dict.fromkeys([*allocation, theatre.ids[13]], "allocated"))
    state.set_pickable(lambda seat_id: seat_id in allocation)

    assert state.look(10) is Look.FREE_HERE
    assert state.look(13) is Look.OTHER_COUNTER
    assert state.look(20) is Look.DIMMED  # free online, but not ours offline
    assert state.is_selectable(11) and not state.is_selectable(20)
    assert state.add_to_selection([11, 20, 13]) == [11]

    state.set_pickable(None)  # back online
    assert state.look(20) is Look.FREE and state.is_selectable(20)


def test_a_pickable_mask_must_cover_the_map(state):
    with pytest.raises(ValueError, match="every seat"):
        state.set_pickable(b"\x01" * 3)


def test_best_seats_replace_the_cart(state, theatre):
    state.set_selection(ids_at(theatre, 700, 701))  # somewhere at the back
    result = state.best(2)
    assert result.tier is Tier.TOGETHER
    assert {theatre.seat(theatre.index(i)).row for i in result.seat_ids} == {"A"}
    # the seats in the cart count as free: asking for the whole cart back works offline
    state.set_pickable(ids_at(theatre, 700, 701))
    assert state.best(2).seat_ids == tuple(ids_at(theatre, 700, 701))


def test_tooltip_text_names_seat_ticket_prices_and_state(state, theatre):
    state.set_statuses({theatre.ids[0]: "sold"})
    assert state.describe(0) == (
        "Stalls · Row A · Seat 1\nPremium: Adult €45.00 · Child €30.00\nSold"
    )
    spaces = [i for i in range(len(theatre)) if theatre.flags[i] & ACCESSIBLE]
    assert "Wheelchair space" in state.describe(spaces[0])
    assert state.describe(spaces[0]).startswith("Stalls · Row V · Seat 1\nStandard: Adult €32.50")


# -- item model --------------------------------------------------------------------------


def test_seat_table_model_passes_the_model_tester_and_follows_the_state(qapp, theatre):
    state = SeatMapState()
    model = SeatTableModel(state)
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert model.rowCount() == 0
    state.set_layout(theatre, tickets=TICKETS)
    assert model.rowCount() == 1_500 and model.columnCount() == 5
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "Section", "Row", "Seat", "Category", "Status",
    ]  # fmt: skip

    row = model.row_of_seat(theatre.ids[805])
    values = [model.index(row, c).data() for c in range(5)]
    assert values == ["Circle", "A", "6", "premium", "Available"]
    index = model.index(row, 0)
    assert index.data(SeatIdRole) == theatre.ids[805]
    assert index.data(PositionRole) == (theatre.xs[805], theatre.ys[805])
    assert index.data(SelectableRole) is True and index.data(SelectedRole) is False

    changes: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, _roles: changes.append((a.row(), b.row())))
    state.set_statuses(
        {theatre.ids[805]: "sold", theatre.ids[806]: "sold", theatre.ids[9]: "blocked"}
    )
    assert changes == [(9, 9), (805, 806)]
    assert model.index(row, SeatTableModel.STATUS).data() == "Sold"
    assert index.data(StateRole) == SeatState.SOLD and index.data(LookRole) == Look.SOLD
    assert index.data(SelectableRole) is False

    state.toggle(10)
    assert model.index(10, SeatTableModel.STATUS).data() == "In your cart"
    assert model.index(10, 0).data(SelectedRole) is True
    assert model.row_of_seat(1) == -1
    del tester


# -- hit-testing and repaint, no window --------------------------------------------------


def test_hit_testing_maps_points_to_seats_without_a_window(qapp, theatre):
    view = SeatMapView()  # never shown
    view.set_layout(theatre)
    assert view.seat_at_scene(theatre.xs[42], theatre.ys[42]) == 42
    assert view.seat_at_scene(theatre.xs[42] + 4, theatre.ys[42] + 4) == 42
    assert view.seat_at_scene(theatre.stage_x, theatre.stage_y) is None
    # every seat is found at its own centre
    assert all(view.seat_at_scene(theatre.xs[i], theatre.ys[i]) == i for i in range(0, 1_500, 7))


def test_a_status_change_repaints_only_that_seat(qtbot, theatre):
    view = SeatMapView()
    qtbot.addWidget(view)
    view.resize(1000, 800)
    view.set_layout(theatre)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(20)  # let the first layout and fit settle
    view.viewport().repaint()  # every tile renders into its cache once
    tiles = view.map_scene.tiles
    before = [t.paints for t in tiles]
    view.viewport().repaint()
    assert [t.paints for t in tiles] == before  # from the caches: nothing re-rendered

    view.set_statuses({theatre.ids[600]: "sold"})
    qtbot.wait(1)  # the scene collects updates until control returns to the event loop
    view.viewport().repaint()
    painted = [t for t, b in zip(tiles, before, strict=True) if t.paints != b]
    assert painted == [view.map_scene.tile_of(600)]
    exposed = painted[0].last_exposed
    assert exposed.contains(QPointF(theatre.xs[600], theatre.ys[600]))
    assert exposed.width() < theatre.pitch * 2 and exposed.height() < theatre.pitch * 2
    image = view.viewport().grab().toImage()
    point = view.mapFromScene(QPointF(theatre.xs[600], theatre.ys[600]))
    assert image.pixelColor(point) == palette.fill_colour(palette.code(Look.SOLD, 0))


def test_seats_are_grouped_into_a_few_tiles_not_one_item_per_seat(qapp):
    data = arena_seat_map(20_000)
    view = SeatMapView()
    view.set_layout(SeatMapLayout.from_api(data))
    scene = view.map_scene
    assert len(scene.tiles) <= 60
    assert len(scene.items()) < 200
    assert sum(len(t.seats) for t in scene.tiles) == 20_000


# -- the widget, driven like a cashier ---------------------------------------------------


@pytest.fixture
def panel(qtbot, theatre) -> SeatMapPanel:
    panel = SeatMapPanel()
    qtbot.addWidget(panel)
    panel.resize(1200, 900)
    panel.view.set_layout(theatre, tickets=TICKETS)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def viewport_point(view: SeatMapView, index: int) -> QPoint:
    layout = view.state.layout
    return view.mapFromScene(QPointF(layout.xs[index], layout.ys[index]))


def test_object_names_for_the_cashier_window(panel):
    assert panel.findChild(SeatMapView, "seatMap") is panel.view
    assert panel.findChild(type(panel.seat_count), "seatCount") is panel.seat_count
    assert panel.best_button.objectName() == "bestSeatsButton"


def test_clicking_seats_fills_the_cart(panel, qtbot, theatre):
    view = panel.view
    view.set_statuses({theatre.ids[31]: "sold"})
    with qtbot.waitSignal(view.selectionChanged) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=viewport_point(view, 30))
    assert blocker.args == [ids_at(theatre, 30)]
    with qtbot.assertNotEmitted(view.selectionChanged):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=viewport_point(view, 31))
    with qtbot.waitSignal(view.seatActivated) as activated:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=viewport_point(view, 30))
    assert activated.args == [theatre.ids[30]] and view.selection() == []
    assert panel.message.text() == ""


def test_dragging_a_rectangle_adds_its_free_seats(panel, qtbot, theatre):
    view = panel.view
    row_a = theatre.rows[0].seats
    view.set_statuses({theatre.ids[row_a.start + 2]: "sold"})
    start = viewport_point(view, row_a.start) - QPoint(6, 6)
    end = viewport_point(view, row_a.start + 4) + QPoint(6, 6)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view.viewport(), pos=(start + end) / 2)
    qtbot.mouseMove(view.viewport(), pos=end)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    picked = set(view.selection())
    assert set(ids_at(theatre, row_a.start, row_a.start + 1, row_a.start + 3)) <= picked
    assert theatre.ids[row_a.start + 2] not in picked


def test_right_click_sets_the_focal_point_for_best_seats(panel, qtbot, theatre):
    view = panel.view
    back_row = theatre.rows[19].seats  # Stalls V
    target = back_row.start + 5
    with qtbot.waitSignal(view.focalPointChosen) as chosen:
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.RightButton, pos=viewport_point(view, target)
        )
    x, y = chosen.args
    assert abs(x - theatre.xs[target]) < 3 and abs(y - theatre.ys[target]) < 3
    panel.seat_count.setValue(3)
    result = panel.best_seats()
    assert result.tier is Tier.TOGETHER
    rows = {theatre.rows[theatre.row_of[theatre.index(i)]].label for i in result.seat_ids}
    assert rows <= {"U", "V", "W"}  # near the point, not at the front
    assert panel.message.text() == "3 seats: together in one row."


def test_b_picks_the_best_seats_for_the_count(panel, qtbot, theatre):
    view = panel.view
    panel.seat_count.setValue(4)
    view.setFocus()
    with qtbot.waitSignal(view.seatsRequested) as requested:
        qtbot.keyClick(view, Qt.Key.Key_B)
    result = requested.args[0]
    assert len(result.seat_ids) == 4 and view.selection() == sorted(result.seat_ids)
    assert {theatre.seat(theatre.index(i)).row for i in result.seat_ids} == {"A"}


def test_keyboard_cursor_moves_and_toggles_seats(panel, qtbot, theatre):
    view = panel.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)  # first press: the seat nearest the centre
    first = view.cursor_index
    assert first is not None
    qtbot.keyClick(view, Qt.Key.Key_Right)
    second = view.cursor_index
    assert theatre.xs[second] > theatre.xs[first]
    assert theatre.row_of[second] == theatre.row_of[first]
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert theatre.ys[view.cursor_index] > theatre.ys[second]
    with qtbot.waitSignal(view.selectionChanged) as changed:
        qtbot.keyClick(view, Qt.Key.Key_Space)
    assert changed.args == [ids_at(theatre, view.cursor_index)]
    assert "In your cart" in view.accessibleDescription()


def test_zoom_keys_and_fit(panel, qtbot):
    view = panel.view
    view.setFocus()
    fitted = view.seat_px()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.seat_px() == pytest.approx(fitted * 1.25)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.seat_px() < fitted
    qtbot.keyClick(view, Qt.Key.Key_F)
    assert view.seat_px() == pytest.approx(fitted)


def test_legend_lists_categories_with_prices_and_the_states_shown(panel, theatre):
    texts = [t for _c, t in panel.legend.entries]
    assert texts[:2] == ["Premium · Adult €45.00 · Child €30.00", "Standard · Adult €32.50"]
    assert "Allocated to this counter" not in texts
    panel.view.set_allocation([theatre.ids[0]])
    panel.view.set_statuses({theatre.ids[0]: "allocated"})
    panel.view.set_pickable([theatre.ids[0]])
    texts = [t for _c, t in panel.legend.entries]
    assert "Allocated to this counter" in texts
    assert "Not sellable from this counter now" in texts


# -- what the screen shows ---------------------------------------------------------------


def pixel(image: QImage, view: SeatMapView, index: int) -> QColor:
    point = view.viewport().mapTo(view.window(), viewport_point(view, index))
    dpr = image.devicePixelRatio()
    return image.pixelColor(int(point.x() * dpr), int(point.y() * dpr))


def test_screenshots_of_the_theatre_and_the_arena(qtbot, tmp_path):
    """Saved under tests/artifacts/ for a person to look at; pixels checked here."""
    from support.artifacts import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    for name, data, tickets in [
        ("theatre", theatre_seat_map(), TICKETS),
        (
            "arena",
            arena_seat_map(20_000),
            [
                Ticket(k, "Adult", Decimal(price), "EUR", category=category)
                for k, (category, price) in enumerate(
                    [
                        ("premium", "89.00"),
                        ("lower", "65.00"),
                        ("club", "49.00"),
                        ("upper", "35.00"),
                    ]
                )
            ],
        ),
    ]:
        panel = SeatMapPanel()
        qtbot.addWidget(panel)
        panel.resize(1400, 1000)
        layout = SeatMapLayout.from_api(data)
        statuses = availability_statuses(data, sold=0.35, held=0.03, blocked=0.01)
        panel.view.set_layout(layout, tickets=tickets, statuses=statuses)
        panel.show()
        qtbot.waitExposed(panel)
        panel.seat_count.setValue(4)
        result = panel.best_seats()
        panel.view.fit()
        image = panel.grab().toImage()
        image.save(str(ARTIFACTS / f"seat-map-{name}.png"))

        view = panel.view
        sold = next(i for i in range(len(layout)) if statuses.get(layout.ids[i]) == "sold")
        assert pixel(image, view, sold) == palette.fill_colour(palette.code(Look.SOLD, 0))
        free = next(
            i for i in range(len(layout))
            if layout.ids[i] not in statuses and layout.ids[i] not in result.seat_ids
            and not layout.flags[i]
        )  # fmt: skip
        expected = palette.category_colour(layout.category_of[free])
        assert pixel(image, view, free) == expected
        cart = layout.index(result.seat_ids[-1])
        assert pixel(image, view, cart) == palette.CART_FILL

        view.zoom_to_seats([layout.index(i) for i in result.seat_ids], seat_px=28)
        panel.grab().save(str(ARTIFACTS / f"seat-map-{name}-zoomed.png"))


def test_wheelchair_option_picks_a_space_with_its_companion(panel, qtbot, theatre):
    panel.seat_count.setValue(2)
    panel.accessible.setChecked(True)
    qtbot.mouseClick(panel.best_button, Qt.MouseButton.LeftButton)
    picked = [theatre.index(i) for i in panel.view.selection()]
    assert sorted(theatre.flags[i] for i in picked) == [ACCESSIBLE, COMPANION]
    assert panel.message.text() == "2 seats with wheelchair space: together in one row."


def test_clicking_a_standing_area_names_it(qtbot):
    data = arena_seat_map(2_000)
    view = SeatMapView()
    qtbot.addWidget(view)
    view.resize(900, 800)
    view.set_layout(SeatMapLayout.from_api(data))
    view.show()
    qtbot.waitExposed(view)
    view.state.set_areas_remaining({1: 1_234})
    area = data["areas"][0]
    centre = view.mapFromScene(
        QPointF(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    )
    with qtbot.waitSignal(view.areaActivated) as activated:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert activated.args == [1]
    assert view.map_scene.areas[0].text() == "Floor Standing\n1,234 of 2,000 left"


# -- not on sale, and names that never hide seats ----------------------------------------


def test_seats_no_ticket_sells_are_drawn_not_on_sale_and_say_why(qapp, theatre):
    state = SeatMapState()
    state.set_layout(theatre, tickets=TICKETS[:2])  # premium tickets only
    standard = next(i for i in range(len(theatre)) if theatre.seat(i).category == "standard")
    premium = next(i for i in range(len(theatre)) if theatre.seat(i).category == "premium")
    assert state.look(standard) is Look.DIMMED and not state.is_selectable(standard)
    assert state.toggle(standard) is False and state.selection() == []
    seat = theatre.seat(standard)
    assert state.why_not(standard) == (
        f"{seat.section} · Row {seat.row} · Seat {seat.label} is not on sale: "
        "no ticket of this event sells standard seats."
    )
    assert "Not on sale" in state.describe(standard)
    assert state.look(premium) is Look.FREE and state.toggle(premium)
    # best seats come only from what is on sale
    best = state.best(6)
    assert {theatre.seat(theatre.index(i)).category for i in best.seat_ids} == {"premium"}
    state.set_tickets(TICKETS)  # the standard ticket goes on sale
    assert state.look(standard) is Look.FREE and state.is_selectable(standard)


def _area_centre(view: SeatMapView, area: dict) -> QPoint:
    return view.mapFromScene(QPointF(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2))


def test_a_standing_area_no_ticket_sells_is_drawn_not_on_sale_and_a_click_says_why(
    qtbot, artifacts
):
    data = arena_seat_map(2_000)
    layout = SeatMapLayout.from_api(data)
    seat_tickets = [
        Ticket(10 + k, "Adult", Decimal("50.00"), "EUR", category=c)
        for k, c in enumerate(layout.categories)
    ]
    view = SeatMapView()
    qtbot.addWidget(view)
    view.resize(900, 800)
    view.set_layout(layout, tickets=seat_tickets)  # no standing ticket
    view.show()
    qtbot.waitExposed(view)
    area = data["areas"][0]
    assert view.map_scene.areas[0].text() == "Floor Standing\nnot on sale"
    activated: list[int] = []
    view.areaActivated.connect(activated.append)
    with qtbot.waitSignal(view.pickRefused) as refused:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_area_centre(view, area))
    assert refused.args == ["Floor Standing is not on sale: no ticket of this event sells it."]
    assert activated == []
    assert view.grab().save(str(artifacts / "seat-map-area-not-on-sale.png"))

    floor = Ticket(99, "Floor", Decimal("40.00"), "EUR", area=area["id"])
    view.set_tickets([*seat_tickets, floor])
    assert view.map_scene.areas[0].text() == "Floor Standing\n2,000 standing"
    with qtbot.waitSignal(view.areaActivated):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_area_centre(view, area))


def _seats_under(view: SeatMapView, label) -> list[int]:
    scale = view.seat_px() / view.state.layout.seat_size
    r, pos = label.boundingRect(), label.pos()
    return view.state.grid.in_rect(
        pos.x() + r.left() / scale,
        pos.y() + r.top() / scale,
        pos.x() + r.right() / scale,
        pos.y() + r.bottom() / scale,
    )


def _demo_theatre() -> SeatMapLayout:
    """The demo's Theatre Royal (its stalls' back row is close to the circle's row A)."""
    data = theatre_royal()
    ids = iter(range(1, 10_000))
    for section in data["sections"]:
        for row in section["rows"]:
            for seat in row["seats"]:
                seat["id"] = next(ids)
    return SeatMapLayout.from_api(data)


@pytest.mark.parametrize("seat_px", [12.0, 16.0, 24.0])
def test_zoomed_in_section_names_cover_no_seat(qtbot, artifacts, seat_px):
    layout = _demo_theatre()
    view = SeatMapView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.set_layout(layout)
    view.show()
    qtbot.waitExposed(view)
    circle_a = layout.rows[layout.sections[1].rows.start].seats
    view.zoom_to_seats([circle_a.start + len(circle_a) // 2], seat_px=seat_px)
    visible = [label for label in view.map_scene.labels if label.isVisible()]
    assert visible  # zoomed in, names are shown where they fit
    for label in visible:
        assert _seats_under(view, label) == [], label.name
        # the name reads as its own section's: the seat nearest to it is one of them
        nearest = min(
            range(len(layout)),
            key=lambda i: (
                (layout.xs[i] - label.pos().x()) ** 2 + (layout.ys[i] - label.pos().y()) ** 2
            ),
        )
        assert layout.seat(nearest).section == label.name
    assert view.grab().save(str(artifacts / f"seat-map-names-zoomed-{seat_px:.0f}.png"))


def test_zoomed_out_a_section_name_never_hides_the_seats_in_the_cart(qtbot):
    layout = _demo_theatre()
    view = SeatMapView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.set_layout(layout)
    view.show()
    qtbot.waitExposed(view)
    view.fit()
    assert view.seat_px() < DETAIL_PX  # names sit on their sections
    stalls = next(label for label in view.map_scene.labels if label.name == "Stalls")
    under = _seats_under(view, stalls)[:3]
    assert under  # the name sits on the middle of the stalls
    view.state.add_to_selection(under)
    for label in view.map_scene.labels:
        if label.isVisible():
            assert not set(_seats_under(view, label)) & set(under), label.name


def test_what_best_seats_said_of_one_event_is_gone_when_another_opens(panel, qtbot):
    panel.seat_count.setValue(2)
    qtbot.mouseClick(panel.best_button, Qt.MouseButton.LeftButton)
    assert panel.message.text() == "2 seats: together in one row."
    panel.view.set_layout(SeatMapLayout.from_api(arena_seat_map(2_000)), tickets=TICKETS)
    assert panel.message.text() == ""
