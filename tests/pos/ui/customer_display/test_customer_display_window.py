"""The customer display window driven through its state (pytest-qt, offscreen on the
suite's two screens): what it shows by objectName, full screen on the chosen screen, the
seat map copy sharing the cashier's state, and the keyboard focus left where it was.
Screenshots at a typical 1920x1080 and 1024x768 customer screen go to tests/artifacts/."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget
from support.seat_map_fixtures import theatre_seat_map

from enturf_core.money import Money
from enturf_core.seating.layout import SeatMapLayout
from enturf_core.wire.feed import Ticket
from enturf_pos.ui.customer_display import settings as display_settings
from enturf_pos.ui.customer_display.display_state import CartLine, CustomerDisplayState
from enturf_pos.ui.customer_display.window import CustomerDisplay, logo_path
from enturf_pos.ui.seat_map import SeatMapState

TICKETS = [
    Ticket(1, "Adult", Decimal("45.00"), "EUR", category="premium"),
    Ticket(3, "Adult", Decimal("32.50"), "EUR", category="standard"),
]


def eur(text: str) -> Money:
    return Money.parse(text, "EUR")


@pytest.fixture
def seat_state(qapp) -> SeatMapState:
    state = SeatMapState()
    state.set_layout(SeatMapLayout.from_api(theatre_seat_map()), tickets=TICKETS)
    return state


@pytest.fixture
def display(qapp, seat_state):
    state = CustomerDisplayState(venue="Theatre Royal")
    window = CustomerDisplay(state, seat_map=seat_state, logo=logo_path(None))
    yield window
    window.close()
    window.deleteLater()


def screen(name: str):
    found = display_settings.find_screen(name)
    assert found is not None, [s.name() for s in QGuiApplication.screens()]
    return found


def label(window, name: str) -> QLabel:
    found = window.findChild(QLabel, name)
    assert found is not None, name
    return found


def sale_in_cart(display: CustomerDisplay, seat_state: SeatMapState) -> None:
    layout = seat_state.layout
    picks = [layout.ids[i] for i in (40, 41, 42)]
    seat_state.set_selection(picks, emit=False)  # what the cashier picked on the map
    lines = [
        CartLine(f"Stalls · Row C · Seat {n}", "Adult", 1, eur("45.00"), seat_id=sid)
        for n, sid in zip((7, 8, 9), picks, strict=True)
    ]
    display.state.show_cart("The Tempest — Sat 14 March, 19:30", lines, eur("135.00"))


def test_two_screens_are_offered_and_the_choice_is_kept(tmp_path, qapp):
    names = [name for _text, name in display_settings.screen_choices()]
    assert names[0] == "" and {"wide", "small"} <= set(names)
    assert ("small (1366x768)", "small") in display_settings.screen_choices()
    assert display_settings.load_screen(tmp_path) == ""
    display_settings.save_screen(tmp_path, "small")
    assert display_settings.load_screen(tmp_path) == "small"
    kept = display_settings.screen_choices("HDMI-2")
    assert kept[-1] == ("HDMI-2 (not connected)", "HDMI-2")


def test_welcome_then_the_sale_by_object_name(display, seat_state, qtbot, artifacts):
    display.show_on(screen("small"))
    qtbot.waitExposed(display)
    assert display.objectName() == "customerDisplay"
    assert display.isFullScreen() and display.screen().name() == "small"
    assert display.geometry() == screen("small").geometry()
    assert display.pages.currentWidget().objectName() == "customerDisplayWelcome"
    assert label(display, "customerDisplayVenue").text() == "Theatre Royal"
    assert not label(display, "customerDisplayLogo").pixmap().isNull()

    sale_in_cart(display, seat_state)
    assert display.pages.currentWidget().objectName() == "customerDisplaySale"
    assert label(display, "customerDisplayTotal").text() == "€135.00"
    lines = display.findChild(QTableView, "customerDisplayLines")
    model = lines.model()
    assert model.rowCount() == 3
    assert label(display, "customerDisplayEvent").text() == "The Tempest — Sat 14 March, 19:30"
    assert [model.index(0, c).data() for c in range(4)] == [
        "The Tempest — Sat 14 March, 19:30",
        "Stalls · Row C · Seat 7",
        "Adult",
        "€45.00",
    ]
    seat_map = display.findChild(QWidget, "customerDisplaySeatMap")
    assert seat_map.isVisible() and seat_map.state is seat_state  # the cashier's own state
    assert sorted(seat_map.state.selection()) == sorted(display.state.seats)

    display.state.paying_cash()
    display.state.cash_given(eur("150.00"))
    payment = label(display, "customerDisplayPayment")
    assert payment.text() == "Cash given €150.00 · Your change €15.00"
    display.state.sale_done()
    assert label(display, "customerDisplayHeading").text().startswith("Thank you")
    display.state.welcome()
    assert display.pages.currentWidget().objectName() == "customerDisplayWelcome"


@pytest.mark.parametrize("size", [(1920, 1080), (1024, 768)])
def test_screenshots_at_customer_screen_sizes(display, seat_state, qtbot, artifacts, size):
    width, height = size
    display.resize(width, height)
    display.show()
    qtbot.waitExposed(display)
    display.grab().save(str(artifacts / f"customer-display-welcome-{width}x{height}.png"))
    sale_in_cart(display, seat_state)
    display.state.paying_cash()
    display.state.cash_given(eur("150.00"))
    qtbot.wait(50)
    # everything the customer reads fits: the total and the change are not cut
    total = label(display, "customerDisplayTotal")
    assert total.width() >= total.sizeHint().width()
    payment = label(display, "customerDisplayPayment")
    assert payment.isVisible() and payment.width() >= payment.sizeHint().width()
    display.grab().save(str(artifacts / f"customer-display-cash-{width}x{height}.png"))
    display.state.cash_given(eur("15.00"))
    display.state.card("waiting", eur("120.00"))  # the rest on the card
    qtbot.wait(50)
    assert payment.width() >= payment.sizeHint().width()
    assert payment.height() >= payment.sizeHint().height()
    display.grab().save(str(artifacts / f"customer-display-card-{width}x{height}.png"))


def test_it_never_takes_the_keyboard_focus(display, seat_state, qtbot):
    cashier = QWidget()
    cashier.setObjectName("cashierStandIn")
    field = QLineEdit(objectName="scanField")
    QVBoxLayout(cashier).addWidget(field)
    cashier.show()
    qtbot.waitExposed(cashier)
    cashier.activateWindow()
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)

    flags = display.windowFlags()
    assert flags & Qt.WindowType.WindowDoesNotAcceptFocus
    assert flags & Qt.WindowType.FramelessWindowHint
    assert display.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    display.show_on(screen("small"))
    qtbot.waitExposed(display)
    sale_in_cart(display, seat_state)
    display.state.paying_cash()
    # Qt's offscreen platform activates every window it shows, whatever its flags: the
    # display hands the activation straight back (a real window system never gives it)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is cashier)
    qtbot.wait(100)
    assert QApplication.activeWindow() is cashier
    assert QApplication.focusWidget() is field
    qtbot.keyClicks(field, "A1B2")  # the scan field still types
    assert field.text() == "A1B2"
    assert all(
        w.focusPolicy() == Qt.FocusPolicy.NoFocus for w in [display, *display.findChildren(QWidget)]
    )
    cashier.close()
