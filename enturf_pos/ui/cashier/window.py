"""CashierWindow (objectName ``cashierWindow``): sell tickets at the counter.

Left the programme, in the middle the open event's seat map, on the right the cart and
the payment. Keyboard first: Ctrl+F find an event, Enter open it, B best seats, G
standing places, Ctrl+T ticket type, Ctrl+D voucher, F9 pay cash, F10 exact cash,
Enter / F12 complete, Ctrl+N new sale. A standard two-seat cash sale is B, F9, F10,
Enter. F11 pays by card on the counter's reader (`card_panel`; with cash typed in, the
rest goes on the card): a two-seat card sale is B, F11.

Online, the cart's seats are held on the server as they are picked, and others' picks
show within seconds (`LiveEvent`). Offline, only this counter's allocation can be
picked, and sales wait in the outbox. Either way a completed sale is one local
transaction (`sale_service.record_cash_sale`) and goes to the server on the next push,
which the window asks for at once when online.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from enturf_core.seating.states import sellable_mask
from enturf_core.seating.tickets import TicketInfo
from enturf_pos.services import venue_time
from enturf_pos.services.sales import counter_selectors, sale_service
from enturf_pos.services.sales.cart_service import Cart, CartError, SeatPick
from enturf_pos.services.sales.counter_selectors import EventForSale, EventState, OwnAllocation
from enturf_pos.services.sales.hold_service import Availability, HoldResult, check_voucher
from enturf_pos.services.session.auth_service import CurrentUser
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.session.secret_store import Secret
from enturf_pos.ui.cashier.booking_lookup import BookingLookupDialog
from enturf_pos.ui.cashier.buyer_field import BuyerField
from enturf_pos.ui.cashier.card_panel import CardPanel
from enturf_pos.ui.cashier.cart_panel import CartPanel
from enturf_pos.ui.cashier.cash_panel import CashPanel
from enturf_pos.ui.cashier.live_event import LiveEvent
from enturf_pos.ui.cashier.price_override_flow import PriceOverrideFlow
from enturf_pos.ui.cashier.programme_panel import ProgrammePanel
from enturf_pos.ui.cashier.seat_count_keys import SeatCountKeys
from enturf_pos.ui.cashier.shift_panel import ShiftPanel
from enturf_pos.ui.cashier.style import CASHIER_STYLE
from enturf_pos.ui.form_widgets import ElidedLabel, restyle
from enturf_pos.ui.main_window_base import MainWindowBase, action
from enturf_pos.ui.printing.cashier_printing import CashierPrinting
from enturf_pos.ui.seat_map import SeatMapPanel
from enturf_pos.ui.seat_map.panel import MAX_SEATS_PER_PICK
from enturf_pos.ui.sync_controller import SyncController
from enturf_pos.ui.task_runner import TaskRunner

log = logging.getLogger(__name__)

UNEXPECTED = "Something went wrong on this counter; it was logged. Please try again."
ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
LETTER_KEYS = (Qt.Key.Key_B, Qt.Key.Key_G)  # the window's, also in its number fields


def _typing_in(widget: QWidget | None) -> bool:
    """A field where Enter is the field's own (it searches, applies, adds...)."""
    return isinstance(widget, QLineEdit | QAbstractSpinBox | QComboBox)


class CashierWindow(MainWindowBase):
    def __init__(self, *, ctx: PosContext, user: CurrentUser, sync: SyncController) -> None:
        super().__init__(user=user, sync=sync, title="Counter")
        self.setObjectName("cashierWindow")
        self.setStyleSheet(CASHIER_STYLE)
        self.resize(1440, 860)
        self._ctx = ctx
        venue_time.load_from(ctx.db)  # times on screen: the venue's zone
        self._sync = sync
        self.runner = TaskRunner(self)
        self.live = LiveEvent(ctx, self.runner, self)
        self.event: EventForSale | None = None
        self.cart: Cart | None = None
        self.allocation = OwnAllocation()
        self.offline = True
        self.paying = False
        self.last_sale: uuid.UUID | None = None
        self._complete_when_held = False
        self._opening: int | None = None

        # -- widgets ---------------------------------------------------------------------
        self.programme = ProgrammePanel()
        self.events = self.programme.model  # the programme's rows (tests read them)
        self.event_title = ElidedLabel("Choose an event", objectName="eventTitle")
        self.event_info = ElidedLabel("", objectName="eventInfo")
        self.mode_label = QLabel("", objectName="sellingMode")
        self.seat_panel = SeatMapPanel()
        self.map = self.seat_panel.view
        for shortcut in self.seat_panel.findChildren(QShortcut):
            shortcut.setEnabled(False)  # B is the window's (works wherever the focus is)
        self.cart_panel = CartPanel()
        self.message = QLabel("", objectName="cashierMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.pay_cash = QPushButton("Pay cash  F9", objectName="payCashButton")
        self.pay_cash.setProperty("primary", True)
        self.pay_cash.setProperty("big", True)
        self.new_sale = QPushButton("New sale", objectName="newSaleButton")
        self.new_sale.setToolTip("Start a new sale; the seats held go back (Ctrl+N)")
        self.cash = CashPanel()
        self.cash.hide()
        self.card_panel = CardPanel(window=self, ctx=ctx, runner=self.runner)  # F11, card
        self.receipt = QLabel("", objectName="saleReceipt")
        self.receipt.setWordWrap(True)
        self.receipt.hide()
        self.shift_panel = ShiftPanel(ctx=ctx, user=user, runner=self.runner, parent=self)
        self.buyer = BuyerField()  # optional buyer name / e-mail, sent with the sale

        centre = QWidget(objectName="eventPane")
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.event_title)
        titles.addWidget(self.event_info)
        head.addLayout(titles, 1)
        head.addWidget(self.mode_label, 0, Qt.AlignmentFlag.AlignTop)
        centre_layout.addLayout(head)
        centre_layout.addWidget(self.seat_panel, 1)

        # On a short screen the cart, the receipt and the print buttons scroll; the total,
        # the payment panels and the pay buttons stay in sight.
        self.sale_body = QWidget(objectName="saleBody")
        self.sale_layout = QVBoxLayout(self.sale_body)
        self.sale_layout.setContentsMargins(0, 0, 0, 0)
        self.sale_layout.addWidget(self.cart_panel, 1)
        # the optional buyer scrolls with the cart (it is a detail of the sale), so the
        # cart keeps its rows in view while paying on a 768-pixel screen
        self.sale_layout.addWidget(self.buyer)
        self.sale_layout.addWidget(self.receipt)
        self.sale_scroll = QScrollArea(objectName="saleScroll")
        self.sale_scroll.setWidget(self.sale_body)
        self.sale_scroll.setWidgetResizable(True)
        self.sale_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.sale_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right = QFrame(objectName="salePane")
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(14, 10, 14, 14)
        right_layout.addWidget(self.sale_scroll, 1)
        right_layout.addWidget(self.cart_panel.totals_box)
        right_layout.addWidget(self.message)
        right_layout.addWidget(self.cash)
        right_layout.addWidget(self.card_panel)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_sale, 2)
        buttons.addWidget(self.pay_cash, 3)
        buttons.addWidget(self.card_panel.pay_button, 3)
        right_layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("cashierSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.programme)
        splitter.addWidget(centre)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([360, 740, 480])
        # the panes fit a 1366 px wide screen: the sale pane is as wide as its buttons need
        self.programme.setMinimumWidth(220)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addWidget(self.shift_panel)
        layout.addWidget(splitter)
        self.setCentralWidget(central)

        # -- actions (keyboard first) ----------------------------------------------------
        self.find_action = self._action("findEventAction", "Find event", "Ctrl+F", self._find)
        self.best_action = self._action("bestSeatsAction", "Best seats", "B", self._best)
        self.places_action = self._action(
            "standingAction", "Standing places", "G", self.cart_panel.focus_places
        )
        self.ticket_action = self._action(
            "ticketTypeAction", "Next ticket type", "Ctrl+T", self._cycle_ticket
        )
        self.voucher_action = self._action(
            "voucherAction", "Voucher", "Ctrl+D", self._focus_voucher
        )
        self.price_flow = PriceOverrideFlow(
            self, ctx=ctx, runner=self.runner, changed=self._cart_changed
        )
        self.price_action = self._action(
            "priceAction", "Change price", "Ctrl+P", self.cart_panel.ask_price
        )
        self.pay_action = self._action("payCashAction", "Pay cash", "F9", self.start_cash)
        self.exact_action = self._action("exactCashAction", "Exact cash", "F10", self._exact)
        self.complete_action = self._action(
            "completeSaleAction", "Complete sale", "F12", self.complete_sale
        )
        self.new_sale_action = self._action(
            "newSaleAction", "New sale", "Ctrl+N", self.start_new_sale
        )
        self.cancel_action = self._action("cancelPaymentAction", "Back", "Esc", self._cancel_pay)
        self.lookup_action = self._action(
            "bookingLookupAction", "Find booking", "Ctrl+B", self.open_booking_lookup
        )
        self.lookup: BookingLookupDialog | None = None
        self.count_keys = SeatCountKeys(  # "4 B": four best seats
            self, maximum=MAX_SEATS_PER_PICK, notify=self.show_message
        )
        self.finish_toolbar(self.find_action, self.new_sale_action, self.lookup_action)
        self.printing = CashierPrinting(  # receipts and tickets (ui/printing)
            self, ctx=ctx, user=user.username, last_sale=lambda: self.last_sale
        )
        self.sale_layout.addWidget(self.printing)
        for act in (self.printing.settings_action, self.printing.log_action):
            self.toolbar.insertAction(self.lock_action, act)

        # -- wiring ----------------------------------------------------------------------
        self.programme.eventChosen.connect(self.open_event)
        self.map.selectionChanged.connect(self._seats_picked)
        self.map.areaActivated.connect(self._area_clicked)
        self.map.pickRefused.connect(lambda why: self.show_message(why, error=True))
        self.seat_panel.best_button.clicked.disconnect()
        self.seat_panel.best_button.clicked.connect(self._best)
        self.cart_panel.ticketChanged.connect(self._set_ticket)
        self.cart_panel.ticketCycleRequested.connect(self._cycle_key)
        self.cart_panel.removeRequested.connect(self._remove)
        self.cart_panel.placesRequested.connect(self._add_places)
        self.cart_panel.voucherRequested.connect(self._apply_voucher)
        self.cart_panel.priceRequested.connect(self.price_flow.start)
        self.pay_cash.clicked.connect(self.start_cash)
        self.new_sale.clicked.connect(self.start_new_sale)
        self.cash.completeRequested.connect(self.complete_sale)
        self.cash.cancelled.connect(self._cancel_pay)
        self.buyer.edit.returnPressed.connect(self.complete_sale)
        QWidget.setTabOrder(self.cash.tendered, self.buyer.edit)
        self.live.holdChanged.connect(self._hold_changed)
        self.shift_panel.syncWanted.connect(self.syncRequested)
        self.live.holdRefused.connect(self._hold_refused)
        self.live.availabilityChanged.connect(self._availability)
        sync.stateChanged.connect(self._connection_changed)
        sync.syncFinished.connect(self._synced)
        # focus: Esc leaves the event search, B and G work in the number fields, Enter
        # completes a cash payment from the map too (its own Enter picks a seat)
        self.programme.leaveRequested.connect(self.resume_focus)
        for spin in (self.seat_panel.seat_count, self.cart_panel.ga_quantity):
            spin.installEventFilter(self)
        self.map.installEventFilter(self)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._countdown)
        self._tick.start()

        self._connection_changed(sync.state)
        self._update_buttons()
        self.refresh()

    # -- keyboard focus ------------------------------------------------------------------

    def resume_focus(self) -> None:
        """Where the sale goes on: the cash amount while paying, else the open event's
        seat map, else the programme (after a dialog, or Esc in the event search)."""
        if self.paying:
            self.cash.tendered.setFocus()
        elif self.event is not None:
            self.map.setFocus()
        else:
            self.programme.table.setFocus()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ChildPolished and isinstance(event.child(), QDialog):
            event.child().installEventFilter(self)  # to take the focus back when it closes
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Hide and isinstance(watched, QDialog) and watched.isWindow():
            # after Qt gave the focus back (often to a button a dialog disabled, or to
            # the next field in the chain: the event search), unless another dialog
            # of this window is still up
            QTimer.singleShot(0, self, self._dialog_closed)
        elif kind == QEvent.Type.ShortcutOverride and isinstance(watched, QAbstractSpinBox):
            if event.key() in LETTER_KEYS and not event.modifiers():
                event.ignore()  # a number field: B and G stay the window's
                return True
        elif kind == QEvent.Type.KeyPress and watched is self.map and self.paying:
            if event.key() not in ENTER:
                return False
            self.complete_sale()
            return True
        return super().eventFilter(watched, event)

    def _dialog_closed(self) -> None:
        if not self.isVisible() or any(
            d.isVisible() and d.isModal() for d in self.findChildren(QDialog) if d.isWindow()
        ):
            return
        if QApplication.activeWindow() is None:
            self.activateWindow()  # no window manager gave it back (e.g. offscreen)
        self.resume_focus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter that no field took (a button, the cart) completes a cash payment."""
        if event.key() in ENTER and self.paying and not _typing_in(QApplication.focusWidget()):
            self.complete_sale()
            event.accept()
            return
        super().keyPressEvent(event)

    def _action(self, name: str, text: str, key: str, slot) -> QAction:
        act = action(self, name, text, key, text)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    # -- programme ---------------------------------------------------------------------

    def refresh(self) -> None:
        ctx = self._ctx
        self.runner.run(lambda: counter_selectors.programme(ctx=ctx), self.programme.set_rows)
        self.shift_panel.refresh()
        if self.event is not None:
            event_id = self.event.id
            self.runner.run(
                lambda: counter_selectors.event_state(ctx=ctx, event_id=event_id),
                lambda state: self._local_state(event_id, state),
            )

    def _find(self) -> None:
        self.programme.focus_search()

    def open_booking_lookup(self) -> None:
        """Find a booking to refund, cancel or reprint (ui/cashier/booking_lookup.py)."""
        if self.lookup is None:
            self.lookup = BookingLookupDialog(
                ctx=self._ctx,
                runner=self.runner,
                user=self.user.username,
                is_online=lambda: not self.offline,
                printing=self.printing.controller,
                parent=self,
            )
            self.lookup.addAction(self.lock_action)  # Ctrl+L locks from the lookup too
        self.lookup.start()

    def open_event(self, event_id: int) -> None:
        row = self.programme.model.row_of(event_id)
        if row is not None and self.programme.model.row_at(row).state != "on_sale":
            self.show_message("This event is not on sale yet.", error=True)
            return
        self._opening = event_id
        ctx = self._ctx
        self.event_title.setText("Opening…")
        self.runner.run(
            lambda: counter_selectors.event_for_sale(ctx=ctx, event_id=event_id),
            self._event_loaded,
            lambda _e: self.show_message(UNEXPECTED, error=True),
        )

    def _event_loaded(self, event: EventForSale | None) -> None:
        if event is None or event.id != self._opening:
            return
        self.start_new_sale(keep_receipt=True)
        self.live.close()
        self.event = event
        self.allocation = event.allocation
        self.cart = Cart(
            event_id=event.id,
            tickets=event.tickets,
            area_names={a.id: a.name for a in event.areas},
        )
        self.event_title.setText(event.name)
        when = venue_time.text(event.starts_at, "%A %d %B %Y, %H:%M")
        self.event_info.setText(when + (f" · {event.venue}" if event.venue else ""))
        infos = [
            TicketInfo(t.id, t.name, t.price, t.currency, category=t.category, area=t.area)
            for t in event.tickets
        ]
        self.map.set_layout(event.layout, tickets=infos, statuses=event.statuses)
        self.map.set_allocation(self.allocation.seat_ids)
        self.map.state.set_areas_remaining({a.id: a.remaining for a in event.areas})
        self.cart_panel.set_areas(event.areas, event.tickets)
        self._apply_mode()
        self.live.open(event.id, event.version)
        self._show_cart()
        self.map.setFocus()

    def _local_state(self, event_id: int, state: EventState) -> None:
        """Sync wrote new statuses or allocations: show them (offline they are all we have)."""
        if self.event is None or self.event.id != event_id:
            return
        self.allocation = state.allocation
        self.map.set_allocation(state.allocation.seat_ids)
        if self.offline or self.live.version is None:
            layout = self.event.layout
            self.map.set_statuses({sid: state.statuses.get(sid, "available") for sid in layout.ids})
            self.map.state.set_areas_remaining(state.areas_left)
            self.cart_panel.set_places_left(state.areas_left)
        self._apply_mode()

    # -- online / offline --------------------------------------------------------------

    def _connection_changed(self, _state: str) -> None:
        online = self._sync.reachable is True and bool(self._ctx.secrets.get(Secret.USER_TOKEN))
        self.offline = not online
        self.live.set_online(online)
        self._apply_mode()

    def _apply_mode(self) -> None:
        if self.offline:
            self.mode_label.setText("Offline · selling this counter's allocation")
            self.mode_label.setProperty("state", "offline")
        else:
            self.mode_label.setText("Online · seats held live")
            self.mode_label.setProperty("state", "online")
        restyle(self.mode_label)
        if self.event is None or self.map.state.states is None:
            return
        if self.offline:
            self.map.set_pickable(sellable_mask(self.map.state.states, offline=True))
            outside = [s for s in self.map.selection() if s not in self.allocation.seat_ids]
            if outside:
                self.map.set_selection(
                    [s for s in self.map.selection() if s in self.allocation.seat_ids],
                    emit=True,
                )
                self.show_message(
                    "The server cannot be reached: seats outside this counter's allocation "
                    "were taken out of the cart.",
                    error=True,
                )
        else:
            self.map.set_pickable(None)

    # -- the cart ----------------------------------------------------------------------

    def _seat_label(self, seat_id: int) -> str:
        assert self.event is not None
        seat = self.event.layout.seat(self.event.layout.index(seat_id))
        return f"{seat.section} · Row {seat.row} · Seat {seat.label}"

    def _seats_picked(self, seat_ids: list[int]) -> None:
        if self.cart is None or self.event is None:
            return
        self._sale_started()
        layout = self.event.layout
        picks = [
            SeatPick(sid, self._seat_label(sid), layout.seat(layout.index(sid)).category)
            for sid in seat_ids
        ]
        unsellable = self.cart.set_seats(picks)
        if unsellable:
            kept = [s for s in seat_ids if s not in unsellable]
            self.map.set_selection(kept, emit=False)
            self.show_message(
                f"{self._seat_label(unsellable[0])} has no ticket on sale.", error=True
            )
        else:
            self.show_message("")
        self._cart_changed()

    def _area_clicked(self, area_id: int) -> None:
        if self.cart is None:
            return
        tickets = self.cart.tickets_for_area(area_id)
        if tickets:
            self._add_places(area_id, tickets[0].id, 1)

    def _add_places(self, area_id: int, ticket_id: int, quantity: int) -> None:
        if self.cart is None:
            return
        self._sale_started()
        try:
            current = self.cart.area_quantity(area_id, ticket_id)
            self.cart.set_area_quantity(area_id, ticket_id, current + quantity)
        except CartError as exc:
            self.show_message(str(exc), error=True)
            return
        if self.offline:
            left = self.allocation.areas_left.get(area_id, 0)
            if self.cart.area_quantity(area_id) > left:
                self.cart.set_area_quantity(area_id, ticket_id, current)
                self.show_message(
                    f"Offline, this counter may sell {left} more place"
                    f"{'s' if left != 1 else ''} there (its allocation).",
                    error=True,
                )
                return
        self.show_message("")
        self._cart_changed()
        self.map.setFocus()

    def _set_ticket(self, key: str, ticket_id: int) -> None:
        if self.cart is None:
            return
        try:
            self.cart.set_ticket(key, ticket_id)
        except CartError as exc:
            self.show_message(str(exc), error=True)
        self._cart_changed()

    def _cycle_key(self, key: str) -> None:
        if self.cart is None:
            return
        new_key = self.cart.cycle_ticket(key)
        self._cart_changed()
        self.cart_panel.select_key(new_key)

    def _cycle_ticket(self) -> None:
        key = self.cart_panel.current_or_last_key()
        if key is not None:
            self._cycle_key(key)

    def _remove(self, key: str) -> None:
        if self.cart is None:
            return
        if key.startswith("s"):
            seat_id = int(key[1:])
            self.map.set_selection([s for s in self.map.selection() if s != seat_id], emit=True)
        else:
            self.cart.remove(key)
            self._cart_changed()

    def _focus_voucher(self) -> None:
        self.cart_panel.voucher.setFocus()
        self.cart_panel.voucher.selectAll()

    def _apply_voucher(self, code: str) -> None:
        if self.cart is None:
            return
        if not code:
            self.cart.set_voucher(None)
            self.cart_panel.show_voucher("", ok=True)
            self._cart_changed()
            return
        if self.cart.empty:
            self.cart_panel.show_voucher("Put tickets in the cart first.", ok=False)
            return
        ctx, event_id = self._ctx, self.cart.event_id
        ticket_ids = sorted({row.ticket_id for row in self.cart.rows()})
        self.cart_panel.show_voucher("Checking the voucher…", ok=True)
        self.runner.run(
            lambda: check_voucher(ctx=ctx, event_id=event_id, ticket_ids=ticket_ids, code=code),
            self._voucher_checked,
            lambda _e: self.cart_panel.show_voucher(UNEXPECTED, ok=False),
        )

    def _voucher_checked(self, result) -> None:
        if self.cart is None:
            return
        self.cart_panel.show_voucher(result.message, ok=result.ok)
        if result.ok:
            self.cart.set_voucher(result.voucher)
            self._cart_changed()
            self.map.setFocus()

    def _cart_changed(self) -> None:
        assert self.cart is not None
        labels = {sid: self._seat_label(sid) for sid in self.cart.seat_ids()}
        self.live.want(self.cart.seat_ids(), self.cart.area_quantities(), labels)
        self._show_cart()

    def _show_cart(self) -> None:
        if self.cart is None:
            self.cart_panel.show_cart([], None)
        else:
            self.cart_panel.model.choices = self.cart.choices_for
            rows = self.cart.rows()
            self.cart_panel.show_cart(rows, self.cart.totals())
            self.price_flow.rows_shown(rows)
        if self.paying and self.cart is not None:
            self.cash.start(self.cart.totals().total)
        self._countdown()
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_items = self.cart is not None and not self.cart.empty
        self.pay_cash.setEnabled(has_items and not self.paying)
        self.card_panel.set_enabled(has_items)
        self.new_sale.setEnabled(self.cart is not None)
        self.cancel_action.setEnabled(self.paying)  # Esc is the map's otherwise
        self.buyer.setVisible(self.paying)  # part of the payment area

    def _sale_started(self) -> None:
        """A pick after a completed sale starts the next one."""
        if self.receipt.isVisible():
            self.receipt.hide()

    # -- holds and availability ------------------------------------------------------

    def _hold_changed(self, _hold) -> None:
        self._countdown()
        if self._complete_when_held and self.live.in_step:
            self._complete_when_held = False
            self.complete_sale()

    def _hold_refused(self, result: HoldResult) -> None:
        self._complete_when_held = False
        if self.cart is None:
            return
        taken = set(result.unavailable_seats)
        if taken:
            self.map.set_statuses(dict.fromkeys(taken, "held"))
            self.map.set_selection([s for s in self.map.selection() if s not in taken], emit=True)
        for area_id in result.unavailable_areas:
            for ticket in self.cart.tickets_for_area(area_id):
                self.cart.set_area_quantity(area_id, ticket.id, 0)
        if result.unavailable_areas:
            self._cart_changed()
        self.show_message(result.message, error=True)

    def _availability(self, answer: Availability) -> None:
        if self.event is None:
            return
        if answer.seats:
            self.map.set_statuses(answer.seats)
        if answer.areas:
            self.map.state.set_areas_remaining(answer.areas)
            self.cart_panel.set_places_left(dict(answer.areas))

    def _countdown(self) -> None:
        hold = self.live.hold
        has_items = self.cart is not None and not self.cart.empty
        expires: datetime | None = hold.expires_at if (hold and has_items) else None
        self.cart_panel.show_countdown(expires, offline=self.offline and has_items)

    # -- best seats --------------------------------------------------------------------

    def _best(self) -> None:
        count = self.count_keys.take()
        if self.event is None or self.paying:
            return
        if count:
            self.seat_panel.seat_count.setValue(count)
        result = self.seat_panel.best_seats()
        if not result.seat_ids:
            self.show_message(result.message, error=True)

    # -- payment -----------------------------------------------------------------------

    def in_shift(self, go_on: Callable[[], object]) -> bool:
        """A counter sells only inside an open shift: without one the open-shift dialog
        comes up, and `go_on` (the payment asked for) runs once it is open."""
        refusal = sale_service.shift_refusal(self._ctx)
        if refusal is None:
            return True
        self.show_message("No shift is open: enter the float to open one; the sale goes on.")
        self.shift_panel.open_shift(then=lambda: (self.show_message(""), go_on()))
        return False

    def start_cash(self) -> None:
        if self.card_panel.busy:
            self.show_message("A card payment is under way: cancel it first (Esc).", error=True)
            return
        if self.cart is None or self.cart.empty:
            self.show_message("The cart is empty: pick seats or places first.", error=True)
            return
        if not self.paying and not self.in_shift(self.start_cash):
            return
        self.paying = True
        self.cash.show()
        self.cash.start(self.cart.totals().total)
        self._update_buttons()

    def _exact(self) -> None:
        if not self.paying:
            if self.cart is not None and not self.cart.empty and not self.in_shift(self._exact):
                return
            self.start_cash()
        if self.paying:
            self.cash.exact_cash()

    def _cancel_pay(self) -> None:
        if self.card_panel.busy:
            self.card_panel.cancel()
            return
        if not self.paying:
            return
        self.paying = False
        self._complete_when_held = False
        self.cash.hide()
        self._update_buttons()
        self.map.setFocus()

    def complete_sale(self) -> None:
        if not self.paying or self.cart is None or self.cart.empty:
            return
        tendered = self.cash.amount()
        if tendered is None or not self.cash.covered():
            self.show_message("Enter the cash received (F10: exact cash).", error=True)
            return
        if not self.buyer.valid():
            return
        if not self.offline and not self.live.in_step:
            self._complete_when_held = True  # completes as soon as the server holds the seats
            self.show_message("Holding the seats on the server…")
            return
        hold = self.live.hold
        try:
            result = sale_service.record_cash_sale(
                ctx=self._ctx,
                cart=self.cart,
                tendered=tendered,
                seller=self.user.username,
                hold_id=hold.id if hold else None,
                offline=self.offline,
                buyer=self.buyer.buyer(),
            )
        except Exception:
            log.exception("recording a sale failed")
            self.show_message(UNEXPECTED, error=True)
            return
        if not result.ok:
            self.show_message(result.message, error=True)
            if result.needs_shift:  # closed meanwhile (another window): open one, go on
                self.in_shift(self.complete_sale)
            return
        assert result.change is not None
        change = result.change.format()
        self.finish_sale(result, f"<span style='font-size:22px'>Change due <b>{change}</b></span>")

    def finish_sale(self, result: sale_service.SaleResult, paid_html: str) -> None:
        """A sale was recorded (in cash above, by card in `card_panel`): clear the cart,
        show the receipt, push it."""
        assert self.cart is not None and result.total is not None
        self.last_sale = result.sale_id
        self.printing.sale_completed(result.sale_id)
        self.live.sold()
        sold = {sid: "sold" for sid in self.cart.seat_ids()}
        self.map.set_selection([], emit=False)
        self.map.set_statuses(sold)
        self.cart.clear()
        self.cart_panel.voucher.clear()
        self.cart_panel.show_voucher("", ok=True)
        self.buyer.clear()
        self.paying = False
        self.cash.hide()
        self._show_cart()
        where = (
            "It is kept on this counter and sent when the server is back."
            if result.offline
            else "Sending it to the server…"
        )
        self.show_receipt(
            f"<b>Sale {result.code}</b> · {result.tickets} ticket"
            f"{'s' if result.tickets != 1 else ''} · {result.total.format()}"
            f"<br>{paid_html}<br>{where}"
        )
        self.show_message("")
        self.refresh()
        if not result.offline:
            self.syncRequested.emit()  # push it now
        self.map.setFocus()

    def _synced(self, _report) -> None:
        if self.last_sale is None or not self.receipt.isVisible():
            return
        ctx, sale_id = self._ctx, self.last_sale
        self.runner.run(
            lambda: sale_service.sale_status(ctx=ctx, sale_id=sale_id),
            lambda status: self._sale_status(sale_id, status),
        )

    def _sale_status(self, sale_id: uuid.UUID, status: sale_service.SaleStatus | None) -> None:
        if status is None or sale_id != self.last_sale or not self.receipt.isVisible():
            return  # another sale's receipt shows by now
        text = self.receipt.text().rsplit("<br>", 1)[0]
        self.show_receipt(f"{text}<br>{status.message}")

    def start_new_sale(self, keep_receipt: bool = False) -> None:
        self.card_panel.cancel()  # a card still on the reader is canceled (nothing taken)
        released = self.live.release()
        if self.cart is not None:
            self.cart.clear()
        self.map.set_selection([], emit=False)
        self.map.state.free_released(released)  # our own seats: free here at once
        self.cart_panel.voucher.clear()
        self.cart_panel.show_voucher("", ok=True)
        self.buyer.clear()
        self.paying = False
        self._complete_when_held = False
        self.cash.hide()
        if not keep_receipt:
            self.receipt.hide()
        self.show_message("")
        self._show_cart()
        if self.event is not None:
            self.map.setFocus()

    # -- messages ------------------------------------------------------------------------

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        restyle(self.message, error=error)
        self.message.setVisible(bool(text))

    def show_receipt(self, html: str) -> None:
        self.receipt.setText(html)
        self.receipt.show()
        self.sale_scroll.ensureWidgetVisible(self.receipt)

    def closeEvent(self, event) -> None:
        self.live.close()
        # a card left on the reader is canceled now (the runner waits for it below);
        # if even that does not get through, the next login reconciles it
        self.card_panel.cancel()
        self.runner.shutdown(5000)
        self.printing.shutdown()
        super().closeEvent(event)
