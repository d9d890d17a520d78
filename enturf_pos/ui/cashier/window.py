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

The window only lays out: the sale itself (cart, hold, tender, paying, offline) is
`CounterSale` (`counter_sale.py`); the window builds the panels, places them, connects
them to it and keeps the keyboard focus where the sale goes on.
"""

from __future__ import annotations

import uuid

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

from enturf_core.staff_rights import Right
from enturf_pos.services import venue_time
from enturf_pos.services.sales.cart_service import Cart
from enturf_pos.services.sales.counter_selectors import EventForSale, OwnAllocation
from enturf_pos.services.session.auth_service import CurrentUser
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.ui.cashier import rights_gate
from enturf_pos.ui.cashier.booking_lookup import BookingLookupDialog
from enturf_pos.ui.cashier.buyer_field import BuyerField
from enturf_pos.ui.cashier.card_panel import CardPanel
from enturf_pos.ui.cashier.cart_panel import CartPanel
from enturf_pos.ui.cashier.cash_panel import CashPanel
from enturf_pos.ui.cashier.counter_sale import CASH, ERROR, CounterSale
from enturf_pos.ui.cashier.live_event import LiveEvent
from enturf_pos.ui.cashier.price_override_flow import PriceOverrideFlow
from enturf_pos.ui.cashier.programme_panel import ProgrammePanel
from enturf_pos.ui.cashier.seat_count_keys import SeatCountKeys
from enturf_pos.ui.cashier.seat_map_hookup import SeatMapHookup
from enturf_pos.ui.cashier.shift_panel import ShiftPanel
from enturf_pos.ui.cashier.style import CASHIER_STYLE
from enturf_pos.ui.customer_display.feed import CustomerDisplayFeed
from enturf_pos.ui.form_widgets import ElidedLabel, restyle
from enturf_pos.ui.main_window_base import MainWindowBase, action
from enturf_pos.ui.printing.cashier_printing import CashierPrinting
from enturf_pos.ui.seat_map import SeatMapPanel
from enturf_pos.ui.seat_map.panel import MAX_SEATS_PER_PICK
from enturf_pos.ui.sync_controller import SyncController
from enturf_pos.ui.task_runner import TaskRunner

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
        self.runner = TaskRunner(self)
        self.sale = CounterSale(ctx=ctx, user=user, sync=sync, runner=self.runner, parent=self)
        self._build(ctx, user)
        self._add_actions(ctx, user)
        rights_gate.apply_to_window(self, ctx, user)
        self._connect(sync)
        self.customer_display = CustomerDisplayFeed(self)  # the second screen, if chosen
        self.sale.connection_changed()
        self._update_buttons()
        self.refresh()

    # -- the sale's state, as tests and scripts read it (the event: `sale.current_event`)

    @property
    def live(self) -> LiveEvent:
        return self.sale.live

    @property
    def cart(self) -> Cart | None:
        return self.sale.cart

    @property
    def allocation(self) -> OwnAllocation:
        return self.sale.allocation

    @property
    def offline(self) -> bool:
        return self.sale.offline

    @property
    def paying(self) -> bool:
        return self.sale.paying

    @property
    def last_sale(self) -> uuid.UUID | None:
        return self.sale.last_sale

    # -- layout ------------------------------------------------------------------------

    def _build(self, ctx: PosContext, user: CurrentUser) -> None:
        """The panels, in the order that makes the Tab order: programme, event, sale."""
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
        self.card_panel = CardPanel(self.sale.card, self)  # F11, card
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

    def _add_actions(self, ctx: PosContext, user: CurrentUser) -> None:
        """Keyboard first: the window's shortcuts, the toolbar, the print panel."""
        sale = self.sale
        self.find_action = self._action(
            "findEventAction", "Find event", "Ctrl+F", self.programme.focus_search
        )
        self.best_action = self._action("bestSeatsAction", "Best seats", "B", self._best)
        self.places_action = self._action(
            "standingAction", "Standing places", "G", self.cart_panel.focus_places
        )
        self.ticket_action = self._action(
            "ticketTypeAction", "Next ticket type", "Ctrl+T", self._cycle_ticket
        )
        self.voucher_action = self._action(
            "voucherAction", "Voucher", "Ctrl+D", self.cart_panel.focus_voucher
        )
        self.price_flow = PriceOverrideFlow(sale, parent=self, ctx=ctx, runner=self.runner)
        self.price_action = self._action(
            "priceAction", "Change price", "Ctrl+P", self.cart_panel.ask_price
        )
        self.pay_action = self._action("payCashAction", "Pay cash", "F9", sale.start_cash)
        self.exact_action = self._action("exactCashAction", "Exact cash", "F10", sale.pay_exact)
        self.complete_action = self._action(
            "completeSaleAction", "Complete sale", "F12", sale.complete_cash
        )
        self.new_sale_action = self._action(
            "newSaleAction", "New sale", "Ctrl+N", sale.start_new_sale
        )
        self.cancel_action = self._action("cancelPaymentAction", "Back", "Esc", sale.cancel_payment)
        self.lookup_action = self._action(
            "bookingLookupAction", "Find booking", "Ctrl+B", self.open_booking_lookup
        )
        self.lookup: BookingLookupDialog | None = None
        self.count_keys = SeatCountKeys(  # "4 B": four best seats
            self, maximum=MAX_SEATS_PER_PICK, notify=self.show_message
        )
        self.finish_toolbar(self.find_action, self.new_sale_action, self.lookup_action)
        self.printing = CashierPrinting(  # receipts and tickets (ui/printing)
            self,
            ctx=ctx,
            user=user.username,
            last_sale=lambda: sale.last_sale,
            admin=user.can(Right.CASH_OUT),  # opens the drawer on their own password
            runner=self.runner,
        )
        self.sale_layout.addWidget(self.printing)
        self.shift_panel.shared_printing = self.printing.controller
        for act in (
            self.printing.settings_action,
            self.printing.log_action,
            self.printing.drawer_action,
        ):
            self.toolbar.insertAction(self.lock_action, act)

    def _connect(self, sync: SyncController) -> None:
        """The panels to the sale, the sale to the panels."""
        sale = self.sale
        self.seat_map = SeatMapHookup(sale, self.seat_panel)
        self.programme.eventChosen.connect(sale.open_event)
        self.seat_panel.best_button.clicked.disconnect()
        self.seat_panel.best_button.clicked.connect(self._best)
        self.cart_panel.ticketChanged.connect(sale.set_ticket)
        self.cart_panel.ticketCycleRequested.connect(sale.cycle_ticket)
        self.cart_panel.removeRequested.connect(sale.remove)
        self.cart_panel.placesRequested.connect(sale.add_places)
        self.cart_panel.voucherRequested.connect(sale.apply_voucher)
        self.cart_panel.priceRequested.connect(self.price_flow.start)
        self.pay_cash.clicked.connect(sale.start_cash)
        self.new_sale.clicked.connect(sale.start_new_sale)
        self.cash.completeRequested.connect(sale.complete_cash)
        self.cash.cancelled.connect(sale.cancel_payment)
        self.cash.tenderChanged.connect(sale.set_cash)
        self.buyer.edit.textChanged.connect(sale.set_buyer_text)
        self.buyer.edit.returnPressed.connect(sale.complete_cash)
        QWidget.setTabOrder(self.cash.tendered, self.buyer.edit)
        self.shift_panel.syncWanted.connect(self.syncRequested)
        sync.syncFinished.connect(self._synced)

        sale.message.connect(lambda text, level: self.show_message(text, error=level == ERROR))
        sale.programme_loaded.connect(self.programme.set_rows)
        sale.event_opening.connect(lambda _id: self.event_title.setText("Opening…"))
        sale.event_opened.connect(self._event_opened)
        sale.online_changed.connect(self._show_mode)
        sale.areas_left.connect(self.cart_panel.set_places_left)
        sale.cart_changed.connect(self.cart_panel.show_sale)
        sale.cart_changed.connect(self.price_flow.cart_shown)
        sale.row_selected.connect(self.cart_panel.select_key)
        sale.voucher_note.connect(self.cart_panel.show_voucher)
        sale.countdown_changed.connect(
            lambda expires, offline: self.cart_panel.show_countdown(expires, offline=offline)
        )
        sale.sale_cleared.connect(self.cart_panel.clear_voucher)
        sale.sale_cleared.connect(self.buyer.clear)
        sale.buyer_refused.connect(self.buyer.refuse)
        sale.tender_changed.connect(lambda tender: self.cash.setVisible(tender == CASH))
        sale.cash_due.connect(self.cash.start)
        sale.exact_cash.connect(self.cash.exact_cash)
        sale.state_changed.connect(self._update_buttons)
        sale.cash_taken.connect(self.printing.cash_taken)  # the drawer before the receipt
        sale.sale_completed.connect(self.printing.sale_completed)
        sale.receipt_changed.connect(self.show_receipt)
        sale.receipt_status.connect(
            lambda html: self.receipt.isVisible() and self.show_receipt(html)
        )
        sale.shift_wanted.connect(lambda then: self.shift_panel.open_shift(then=then))
        sale.push_wanted.connect(self.syncRequested)
        sale.refresh_wanted.connect(self.refresh)
        # focus: Esc leaves the event search, B and G work in the number fields, Enter
        # completes a cash payment from the map too (its own Enter picks a seat)
        self.programme.leaveRequested.connect(self.resume_focus)
        for spin in (self.seat_panel.seat_count, self.cart_panel.ga_quantity):
            spin.installEventFilter(self)
        self.map.installEventFilter(self)

    # -- keyboard focus ------------------------------------------------------------------

    def resume_focus(self) -> None:
        """Where the sale goes on: the cash amount while paying, else the open event's
        seat map, else the programme (after a dialog, or Esc in the event search)."""
        if self.sale.paying:
            self.cash.tendered.setFocus()
        elif self.sale.current_event is not None:
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
        elif kind == QEvent.Type.KeyPress and watched is self.map and self.sale.paying:
            if event.key() not in ENTER:
                return False
            self.sale.complete_cash()
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
        if event.key() in ENTER and self.sale.paying and not _typing_in(QApplication.focusWidget()):
            self.sale.complete_cash()
            event.accept()
            return
        super().keyPressEvent(event)

    def _action(self, name: str, text: str, key: str, slot) -> QAction:
        act = action(self, name, text, key, text)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    # -- showing the sale --------------------------------------------------------------

    def refresh(self) -> None:
        self.sale.load_programme()
        self.shift_panel.refresh()
        self.sale.reload_event()

    def open_booking_lookup(self) -> None:
        """Find a booking to refund, cancel or reprint (ui/cashier/booking_lookup.py)."""
        if self.lookup is None:
            self.lookup = BookingLookupDialog(
                ctx=self._ctx,
                runner=self.runner,
                user=self.user.username,
                is_online=lambda: not self.sale.offline,
                printing=self.printing.controller,
                parent=self,
            )
            self.lookup.addAction(self.lock_action)  # Ctrl+L locks from the lookup too
            rights_gate.apply_to_lookup(self.lookup, self._ctx, self.user)
        self.lookup.start()

    def _event_opened(self, event: EventForSale) -> None:
        self.event_title.setText(event.name)
        when = venue_time.text(event.starts_at, "%A %d %B %Y, %H:%M")
        self.event_info.setText(when + (f" · {event.venue}" if event.venue else ""))
        self.cart_panel.set_areas(event.areas, event.tickets)

    def _show_mode(self, online: bool) -> None:
        if online:
            self.mode_label.setText("Online · seats held live")
            self.mode_label.setProperty("state", "online")
        else:
            self.mode_label.setText("Offline · selling this counter's allocation")
            self.mode_label.setProperty("state", "offline")
        restyle(self.mode_label)

    def _best(self) -> None:
        count = self.count_keys.take()
        if self.sale.current_event is None or self.sale.paying:
            return
        if count:
            self.seat_panel.seat_count.setValue(count)
        result = self.seat_panel.best_seats()
        if not result.seat_ids:
            self.show_message(result.message, error=True)

    def _cycle_ticket(self) -> None:
        key = self.cart_panel.current_or_last_key()
        if key is not None:
            self.sale.cycle_ticket(key)

    def _update_buttons(self) -> None:
        sale = self.sale
        self.pay_cash.setEnabled(sale.has_items and not sale.paying)
        self.card_panel.set_enabled(sale.has_items)
        self.new_sale.setEnabled(sale.cart is not None)
        self.cancel_action.setEnabled(sale.paying)  # Esc is the map's otherwise
        self.buyer.setVisible(sale.paying)  # part of the payment area

    def apply_rights(self) -> None:
        """The user's grant changed on the server: the gated actions follow at once."""
        super().apply_rights()
        rights_gate.apply_to_window(self, self._ctx, self.user)
        if not self.user.can(Right.SELL):
            self.sale.may_sell()  # says so now, not at the next payment

    def _synced(self, _report) -> None:
        if self.receipt.isVisible():
            self.sale.check_sale_status()

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        restyle(self.message, error=error)
        self.message.setVisible(bool(text))

    def show_receipt(self, html: str) -> None:
        """The last sale's receipt ("" hides it: the next sale started)."""
        if not html:
            self.receipt.hide()
            return
        self.receipt.setText(html)
        self.receipt.show()
        self.sale_scroll.ensureWidgetVisible(self.receipt)

    def closeEvent(self, event) -> None:
        self.customer_display.close()
        self.sale.close()
        self.runner.shutdown(5000)
        self.printing.shutdown()
        super().closeEvent(event)
