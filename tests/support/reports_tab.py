"""The manager window's Reports tab driven like a user (pytest-qt, offscreen): opened
from its tab, filters chosen in their combos, exports written where a test says (the
tab's `save_path` seam); and sales made for it through the counter's real services."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from enturf_core.money import Money
from enturf_pos.services.reports.report_set import ReportSet
from enturf_pos.services.sales import sale_service
from enturf_pos.services.sales.cart_service import Cart, SeatPick
from enturf_pos.services.sales.counter_selectors import event_for_sale
from enturf_pos.services.session.pos_context import PosContext
from support.open_drawer import open_drawer
from support.pos_windows import WAIT


def open_reports_tab(qtbot, window):
    tabs = window.tabs
    bar = tabs.tabBar()
    index = tabs.indexOf(window.reports_tab)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentWidget() is window.reports_tab
    qtbot.waitUntil(window.reports_tab.isVisible, timeout=WAIT)
    return window.reports_tab


def choose(tab, name: str, data) -> None:
    """Pick the entry of a combo whose data is `data`, as a user picks it."""
    combo = tab.findChild(QComboBox, name)
    assert combo is not None, name
    index = combo.findData(data)
    assert index >= 0, (name, data, [combo.itemData(i) for i in range(combo.count())])
    combo.setCurrentIndex(index)


def wait_for(qtbot, tab, check) -> ReportSet:
    """Until the figures shown pass `check` (a fetch runs after each filter change)."""
    try:
        qtbot.waitUntil(
            lambda: tab.figures is not None and tab._asked is None and check(tab.figures),
            timeout=2 * WAIT,
        )
    except Exception:
        f = tab.figures
        answers = (
            [] if f is None else [(a.report, a.params, a.live, a.message) for a in f.answers()]
        )
        raise AssertionError(f"figures shown: {answers}; asked: {tab._asked}") from None
    return tab.figures


class SavePaths:
    """The tab's save dialog, answering with a file in `folder` named as suggested."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.asked: list[str] = []

    def __call__(self, _parent, _title, _kind, suggested: str) -> str:
        self.asked.append(suggested)
        return str(self.folder / suggested)


def sell_seats(
    ctx: PosContext, event_id: int, seats: list[int], ticket_id: int, seller: str = "cashier"
) -> sale_service.SaleResult:
    """A cash sale of `seats` at `ticket_id`, online, through the counter's services."""
    open_drawer(ctx, seller)
    sale = event_for_sale(ctx=ctx, event_id=event_id)
    assert sale is not None, "sync the counter first"
    cart = Cart(event_id=event_id, tickets=list(sale.tickets), area_names={})
    cart.set_seats([SeatPick(s, f"Seat {s}", "standard") for s in seats])
    for seat in seats:
        cart.set_ticket(f"s{seat}", ticket_id)
    done = sale_service.record_cash_sale(
        ctx=ctx,
        cart=cart,
        tendered=Money(Decimal("500"), "EUR"),
        seller=seller,
        hold_id=None,
        offline=False,
    )
    assert done.ok, done.message
    return done
