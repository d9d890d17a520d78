"""CounterSale: the sale at the counter, without a widget (paying and the sale's end are
its other half, `sale_payment.SalePayment`).

It owns the open event, the cart, the hold on the server (`LiveEvent`), the tender (cash,
card through `CardTender`, or cash and card: split), paying, the last sale and the
offline state. The panels tell it what the cashier did through its public methods (they
are slots: `pick_seats`, `add_places`, `set_ticket`, `apply_voucher`, `start_cash`,
`complete_cash`...) and follow it through its signals; the window lays the panels out
and connects them (`window.py`), the seat map through `SeatMapHookup`.

The rules stay in the services (`services.sales`, `services.payments`): this object calls
them, on the window's TaskRunner where they may wait.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from enturf_pos.services.sales import counter_selectors
from enturf_pos.services.sales.cart_service import Cart, CartError, SeatPick
from enturf_pos.services.sales.counter_selectors import EventForSale, EventState, OwnAllocation
from enturf_pos.services.sales.hold_service import Availability, HoldResult, check_voucher
from enturf_pos.services.session.auth_service import CurrentUser
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.session.secret_store import Secret
from enturf_pos.ui.cashier.card_tender import CardTender
from enturf_pos.ui.cashier.live_event import LiveEvent
from enturf_pos.ui.cashier.sale_payment import CARD, CASH, NO_TENDER, UNEXPECTED, SalePayment
from enturf_pos.ui.sync_controller import SyncController
from enturf_pos.ui.task_runner import TaskRunner

INFO, ERROR = "info", "error"  # a message's level
__all__ = ["CARD", "CASH", "ERROR", "INFO", "NO_TENDER", "CounterSale"]


class CounterSale(QObject, SalePayment):
    message = Signal(str, str)  # text ("" clears it), level: INFO or ERROR
    programme_loaded = Signal(object)  # list[ProgrammeEvent]
    event_opening = Signal(int)  # an event id: its sale is being loaded
    event_opened = Signal(object)  # EventForSale: a new cart for it
    online_changed = Signal(bool)  # the selling mode, said again when an event opens
    allocation_changed = Signal(object)  # OwnAllocation
    cart_changed = Signal(object)  # Cart | None: show its rows and totals
    row_selected = Signal(str)  # a cart row's key: select it in the cart
    voucher_note = Signal(str, bool)  # the voucher's answer, ok
    countdown_changed = Signal(object, bool)  # the hold's expiry | None, offline with items
    state_changed = Signal()  # items, paying or a card payment changed: the buttons follow
    tender_changed = Signal(str)  # NO_TENDER, CASH or CARD
    cash_due = Signal(object)  # Money: the cash panel starts over at this total
    exact_cash = Signal()  # the cash received is the total exactly
    buyer_refused = Signal(str)  # why the buyer typed is no buyer
    sale_cleared = Signal()  # voucher code and buyer go with the sale
    cash_taken = Signal(object)  # the sale id: it took cash (the drawer opens); before:
    sale_completed = Signal(object)  # the sale id: recorded (receipt and tickets print)
    receipt_changed = Signal(str)  # the last sale's receipt (html), "" hides it
    receipt_status = Signal(str)  # the receipt again, with where the sale stands
    shift_wanted = Signal(object)  # no shift open: open one, then call this
    push_wanted = Signal()  # a sale to send to the server now
    refresh_wanted = Signal()  # the programme and the shift may have changed
    focus_map = Signal()  # the sale goes on on the seat map
    # the open event's seat map (`SeatMapHookup`)
    selection_set = Signal(object)  # seat ids: the map's selection (no echo)
    seats_dropped = Signal(object)  # seat ids out of the cart: unselect them (echoes back)
    seat_statuses = Signal(object)  # {seat id: status}
    areas_left = Signal(object)  # {area id: places left}
    seats_released = Signal(object)  # seats of our released hold: free on the map at once

    def __init__(
        self,
        *,
        ctx: PosContext,
        user: CurrentUser,
        sync: SyncController,
        runner: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user = user
        self._sync = sync
        self.runner = runner
        self.live = LiveEvent(ctx, runner, self)
        self.programme: list = []  # the programme's rows as last loaded
        self.current_event: EventForSale | None = None  # (not `event`: QObject.event)
        self.cart: Cart | None = None
        self.allocation = OwnAllocation()
        self.offline = True
        self.tender = NO_TENDER
        self.last_sale = None
        self._tendered = None  # the cash typed in
        self._covered = False  # ... covers the total
        self._buyer_text = ""
        self._receipt = ""
        self._complete_when_held = False
        self._opening: int | None = None
        self.card = CardTender(self, ctx=ctx, runner=runner)  # F11; reconciles at once
        self.card.step_changed.connect(self.state_changed)

        self.live.holdChanged.connect(self._hold_changed)
        self.live.holdRefused.connect(self._hold_refused)
        self.live.availabilityChanged.connect(self._availability)
        sync.stateChanged.connect(self.connection_changed)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._countdown)
        self._tick.start()

    # -- state -------------------------------------------------------------------------

    @property
    def has_items(self) -> bool:
        return self.cart is not None and not self.cart.empty

    @property
    def hold_pending(self) -> bool:
        """Online, and the server does not hold what the cart holds yet."""
        return not self.offline and not self.live.in_step

    def hold_id(self) -> uuid.UUID | None:
        hold = self.live.hold
        return hold.id if hold else None

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.emit(text, ERROR if error else INFO)

    # -- programme and event -----------------------------------------------------------

    def load_programme(self) -> None:
        ctx = self.ctx
        self.runner.run(lambda: counter_selectors.programme(ctx=ctx), self._programme)

    def _programme(self, rows) -> None:
        self.programme = list(rows)
        self.programme_loaded.emit(rows)

    def reload_event(self) -> None:
        """Sync may have written new statuses or allocations for the open event."""
        if self.current_event is None:
            return
        ctx, event_id = self.ctx, self.current_event.id
        self.runner.run(
            lambda: counter_selectors.event_state(ctx=ctx, event_id=event_id),
            lambda state: self._local_state(event_id, state),
        )

    def open_event(self, event_id: int) -> None:
        row = next((r for r in self.programme if r.id == event_id), None)
        if row is not None and row.state != "on_sale":
            self.show_message("This event is not on sale yet.", error=True)
            return
        self._opening = event_id
        ctx = self.ctx
        self.event_opening.emit(event_id)
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
        self.current_event = event
        self.allocation = event.allocation
        self.cart = Cart(
            event_id=event.id,
            tickets=event.tickets,
            area_names={a.id: a.name for a in event.areas},
        )
        self.event_opened.emit(event)
        self._apply_mode()
        self.live.open(event.id, event.version)
        self._show_cart()
        self.focus_map.emit()

    def _local_state(self, event_id: int, state: EventState) -> None:
        """Sync wrote new statuses or allocations: show them (offline they are all we have)."""
        if self.current_event is None or self.current_event.id != event_id:
            return
        self.allocation = state.allocation
        self.allocation_changed.emit(state.allocation)
        if self.offline or self.live.version is None:
            layout = self.current_event.layout
            self.seat_statuses.emit(
                {sid: state.statuses.get(sid, "available") for sid in layout.ids}
            )
            self.areas_left.emit(state.areas_left)
        self._apply_mode()

    # -- online / offline --------------------------------------------------------------

    def connection_changed(self, _state: str = "") -> None:
        online = self._sync.reachable is True and bool(self.ctx.secrets.get(Secret.USER_TOKEN))
        self.offline = not online
        self.live.set_online(online)
        self._apply_mode()

    def _apply_mode(self) -> None:
        self.online_changed.emit(not self.offline)
        if self.current_event is None or self.cart is None or not self.offline:
            return
        outside = [s for s in self.cart.seat_ids() if s not in self.allocation.seat_ids]
        if outside:
            self.seats_dropped.emit(outside)
            self.show_message(
                "The server cannot be reached: seats outside this counter's allocation "
                "were taken out of the cart.",
                error=True,
            )

    # -- the cart ----------------------------------------------------------------------

    def seat_label(self, seat_id: int) -> str:
        assert self.current_event is not None
        seat = self.current_event.layout.seat(self.current_event.layout.index(seat_id))
        return f"{seat.section} · Row {seat.row} · Seat {seat.label}"

    def pick_seats(self, seat_ids: list[int]) -> None:
        """The seats picked on the map now (all of them)."""
        if self.cart is None or self.current_event is None:
            return
        self._sale_started()
        layout = self.current_event.layout
        picks = [
            SeatPick(sid, self.seat_label(sid), layout.seat(layout.index(sid)).category)
            for sid in seat_ids
        ]
        unsellable = self.cart.set_seats(picks)
        if unsellable:
            self.selection_set.emit([s for s in seat_ids if s not in unsellable])
            self.show_message(
                f"{self.seat_label(unsellable[0])} has no ticket on sale.", error=True
            )
        else:
            self.show_message("")
        self.refresh_cart()

    def area_clicked(self, area_id: int) -> None:
        if self.cart is None:
            return
        tickets = self.cart.tickets_for_area(area_id)
        if tickets:
            self.add_places(area_id, tickets[0].id, 1)

    def add_places(self, area_id: int, ticket_id: int, quantity: int) -> None:
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
        self.refresh_cart()
        self.focus_map.emit()

    def set_ticket(self, key: str, ticket_id: int) -> None:
        if self.cart is None:
            return
        try:
            self.cart.set_ticket(key, ticket_id)
        except CartError as exc:
            self.show_message(str(exc), error=True)
        self.refresh_cart()

    def cycle_ticket(self, key: str) -> None:
        """The row's next ticket type (T in the cart, Ctrl+T)."""
        if self.cart is None:
            return
        new_key = self.cart.cycle_ticket(key)
        self.refresh_cart()
        self.row_selected.emit(new_key)

    def remove(self, key: str) -> None:
        if self.cart is None:
            return
        if key.startswith("s"):
            self.seats_dropped.emit([int(key[1:])])  # the map gives the cart its seats
        else:
            self.cart.remove(key)
            self.refresh_cart()

    def apply_voucher(self, code: str) -> None:
        if self.cart is None:
            return
        if not code:
            self.cart.set_voucher(None)
            self.voucher_note.emit("", True)
            self.refresh_cart()
            return
        if self.cart.empty:
            self.voucher_note.emit("Put tickets in the cart first.", False)
            return
        ctx, event_id = self.ctx, self.cart.event_id
        ticket_ids = sorted({row.ticket_id for row in self.cart.rows()})
        self.voucher_note.emit("Checking the voucher…", True)
        self.runner.run(
            lambda: check_voucher(ctx=ctx, event_id=event_id, ticket_ids=ticket_ids, code=code),
            self._voucher_checked,
            lambda _e: self.voucher_note.emit(UNEXPECTED, False),
        )

    def _voucher_checked(self, result) -> None:
        if self.cart is None:
            return
        self.voucher_note.emit(result.message, result.ok)
        if result.ok:
            self.cart.set_voucher(result.voucher)
            self.refresh_cart()
            self.focus_map.emit()

    def refresh_cart(self) -> None:
        """The cart changed here: the hold follows it, the panels show it."""
        assert self.cart is not None
        labels = {sid: self.seat_label(sid) for sid in self.cart.seat_ids()}
        self.live.want(self.cart.seat_ids(), self.cart.area_quantities(), labels)
        self._show_cart()

    def _show_cart(self) -> None:
        self.cart_changed.emit(self.cart)
        if self.paying and self.cart is not None:
            self.cash_due.emit(self.cart.totals().total)
        self._countdown()
        self.state_changed.emit()

    def _sale_started(self) -> None:
        """A pick after a completed sale starts the next one."""
        self.receipt_changed.emit("")

    # -- holds and availability ------------------------------------------------------

    def _hold_changed(self, _hold) -> None:
        self._countdown()
        if self._complete_when_held and self.live.in_step:
            self._complete_when_held = False
            self.complete_cash()

    def _hold_refused(self, result: HoldResult) -> None:
        self._complete_when_held = False
        if self.cart is None:
            return
        taken = set(result.unavailable_seats)
        if taken:
            self.seat_statuses.emit(dict.fromkeys(taken, "held"))
            self.seats_dropped.emit(sorted(taken))
        for area_id in result.unavailable_areas:
            for ticket in self.cart.tickets_for_area(area_id):
                self.cart.set_area_quantity(area_id, ticket.id, 0)
        if result.unavailable_areas:
            self.refresh_cart()
        self.show_message(result.message, error=True)

    def _availability(self, answer: Availability) -> None:
        if self.current_event is None:
            return
        if answer.seats:
            self.seat_statuses.emit(answer.seats)
        if answer.areas:
            self.areas_left.emit(dict(answer.areas))

    def _countdown(self) -> None:
        hold = self.live.hold
        expires: datetime | None = hold.expires_at if (hold and self.has_items) else None
        self.countdown_changed.emit(expires, self.offline and self.has_items)

    def close(self) -> None:
        """The window closes: stop polling, give the hold back, cancel a card on the reader
        (if even that does not get through, the next login reconciles it)."""
        self.card.forget()
        self.live.close()
        self.card.cancel()
