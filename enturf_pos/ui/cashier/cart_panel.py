"""The cart: a table of seats and GA places with a ticket-type delegate, places for
standing areas, the voucher, the totals and the hold's countdown.

The panel shows what `cart_service.Cart` says and sends the cashier's changes back to
the counter sale (`ticketChanged`, `removeRequested`, `placesRequested`,
`voucherRequested`, `priceRequested`: the Price… button, P in the table or the row's
context menu); the sale changes the cart and the panel shows it (:meth:`show_sale`). The
totals are in `totals_box`, which the window places (in sight while the cart scrolls).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from enturf_core.money import Money
from enturf_core.wire.feed import Ticket
from enturf_pos.services.sales.cart_service import Cart, CartRow, CartTotals
from enturf_pos.services.sales.counter_selectors import AreaOnSale
from enturf_pos.ui.form_widgets import restyle

Index = QModelIndex | QPersistentModelIndex
KeyRole = Qt.ItemDataRole.UserRole
ChoicesRole = Qt.ItemDataRole.UserRole + 1


class CartTableModel(QAbstractTableModel):
    """The cart's rows; the Ticket column is editable (a choice of the row's tickets)."""

    ITEM, TICKET, QTY, AMOUNT = range(4)
    TITLES = ("Seat / place", "Ticket", "Qty", "Price")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[CartRow] = []
        self.choices: Callable[[str], list[Ticket]] = lambda _key: []
        self.on_ticket: Callable[[str, int], None] = lambda _key, _ticket: None

    def set_rows(self, rows: Sequence[CartRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> CartRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.TITLES)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.TITLES[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if (
            index.isValid()
            and index.column() == self.TICKET
            and len(self.choices(self._rows[index.row()].key)) > 1
        ):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.ITEM:
                return row.label
            if column == self.TICKET:
                return row.ticket_name + (" ▾" if len(self.choices(row.key)) > 1 else "")
            if column == self.QTY:
                return str(row.quantity)
            if row.override is not None:
                return f"{row.amount.format()}\nwas {row.override.listed.format()}"
            return row.amount.format()
        if role == Qt.ItemDataRole.EditRole and column == self.TICKET:
            return row.ticket_id
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{row.label}: {row.ticket_name} {row.unit_price.format()}"
            if row.override is not None:
                tip += (
                    f"; price changed from {row.override.listed.format()} to "
                    f"{row.amount.format()}, approved by {row.override.approver}: "
                    f"{row.override.reason}"
                )
            elif row.discount.is_positive():
                tip += f", voucher -{row.discount.format()}"
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.QTY, self.AMOUNT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == KeyRole:
            return row.key
        if role == ChoicesRole:
            return self.choices(row.key)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != self.TICKET or role != Qt.ItemDataRole.EditRole:
            return False
        self.on_ticket(self._rows[index.row()].key, int(value))
        return True


class TicketDelegate(QStyledItemDelegate):
    """A combo box of the row's tickets (Adult €45.00, Child €30.00, ...)."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        combo = QComboBox(parent, objectName="ticketTypeEditor")
        for ticket in index.data(ChoicesRole) or []:
            combo.addItem(f"{ticket.name}  {ticket.money.format()}", ticket.id)
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        i = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(0, i))

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def _money_label(name: str, big: bool = False) -> QLabel:
    label = QLabel("", objectName=name)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if big:
        label.setProperty("big", True)
    return label


class CartPanel(QWidget):
    ticketChanged = Signal(str, int)  # row key, ticket id
    ticketCycleRequested = Signal(str)  # row key
    removeRequested = Signal(str)  # row key
    placesRequested = Signal(int, int, int)  # area id, ticket id, quantity to add
    voucherRequested = Signal(str)  # code ("" removes the voucher)
    priceRequested = Signal(str)  # row key: change its price (a supervisor approves)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cartPanel")
        self.model = CartTableModel(self)
        self.model.on_ticket = lambda key, ticket: self.ticketChanged.emit(key, ticket)
        self.table = QTableView(objectName="cartTable")
        self.table.setModel(self.model)
        self.table.setAccessibleName("Cart")
        self.table.setItemDelegateForColumn(CartTableModel.TICKET, TicketDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(44)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CartTableModel.ITEM, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(2 * 44 + 40)  # two rows; more scroll
        self.table.installEventFilter(self)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._row_menu)
        self.empty = QLabel(
            "Pick seats on the map (B: best seats) or add standing places.",
            objectName="cartEmpty",
        )
        self.empty.setWordWrap(True)
        self.empty.setProperty("hint", True)

        # standing (GA) places
        self.ga_box = QFrame(objectName="gaBox")
        self.ga_ticket = QComboBox(objectName="gaTicket")
        self.ga_ticket.setAccessibleName("Standing ticket")
        self.ga_ticket.setMinimumHeight(44)
        self.ga_quantity = QSpinBox(objectName="gaQuantity")
        self.ga_quantity.setRange(1, 100)
        self.ga_quantity.setAccessibleName("Standing places (G)")
        self.ga_quantity.setMinimumHeight(44)
        self.ga_quantity.setMinimumWidth(72)
        self.ga_add = QPushButton("Add  G", objectName="addPlacesButton")
        self.ga_add.setToolTip("Add standing places: G, type the number, Enter")
        ga = QGridLayout(self.ga_box)
        ga.setContentsMargins(0, 0, 0, 0)
        ga.addWidget(QLabel("Standing"), 0, 0, 1, 3)
        ga.addWidget(self.ga_ticket, 1, 0)
        ga.addWidget(self.ga_quantity, 1, 1)
        ga.addWidget(self.ga_add, 1, 2)
        ga.setColumnStretch(0, 1)
        self.ga_box.hide()

        # voucher
        self.voucher = QLineEdit(objectName="voucherCode")
        self.voucher.setPlaceholderText("Voucher code (Ctrl+D)")
        self.voucher.setAccessibleName("Voucher code")
        self.voucher_button = QPushButton("Apply", objectName="applyVoucherButton")
        self.price_button = QPushButton("Price…", objectName="priceButton")
        self.price_button.setToolTip(
            "Change the selected row's price or give a discount; an administrator "
            "approves (Ctrl+P, or P in the cart)"
        )
        self.voucher_note = QLabel("", objectName="voucherNote")
        self.voucher_note.setWordWrap(True)
        self.voucher_note.hide()
        voucher_row = QHBoxLayout()
        voucher_row.addWidget(self.voucher, 1)
        voucher_row.addWidget(self.voucher_button)
        voucher_row.addWidget(self.price_button)

        # totals
        self.subtotal = _money_label("cartSubtotal")
        self.discount = _money_label("cartDiscount")
        self.tax = _money_label("cartTax")
        self.total = _money_label("cartTotal", big=True)
        self.total.setAccessibleName("Total to pay")
        self.countdown = QLabel("", objectName="holdCountdown")
        self.countdown.setAccessibleName("Seats held for")
        # the window keeps the totals in sight under the cart (which may scroll)
        self.totals_box = QWidget(objectName="cartTotals")
        totals = QGridLayout(self.totals_box)
        totals.setContentsMargins(0, 0, 0, 0)
        totals.setVerticalSpacing(2)
        self._discount_caption = QLabel("Voucher")
        for r, (caption, label) in enumerate(
            [
                (QLabel("Tickets"), self.subtotal),
                (self._discount_caption, self.discount),
                (QLabel("incl. tax"), self.tax),
            ]
        ):
            caption.setProperty("hint", True)
            totals.addWidget(caption, r, 0)
            totals.addWidget(label, r, 1)
        total_caption = QLabel("Total", objectName="cartTotalCaption")
        totals.addWidget(total_caption, 3, 0)
        totals.addWidget(self.total, 3, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        head = QHBoxLayout()
        head.addWidget(QLabel("Cart", objectName="sectionTitle"))
        head.addStretch(1)
        head.addWidget(self.countdown)
        layout.addLayout(head)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.ga_box)
        layout.addLayout(voucher_row)
        layout.addWidget(self.voucher_note)

        self.ga_add.clicked.connect(self._add_places)
        self.ga_quantity.lineEdit().returnPressed.connect(self._add_places)
        self.voucher.returnPressed.connect(self._apply_voucher)
        self.voucher_button.clicked.connect(self._apply_voucher)
        self.price_button.clicked.connect(self.ask_price)
        self.show_cart([], None)

    # -- showing -----------------------------------------------------------------------

    def show_sale(self, cart: Cart | None) -> None:
        """The sale's cart (`CounterSale.cart_changed`): its rows, choices and totals."""
        if cart is None:
            self.show_cart([], None)
            return
        self.model.choices = cart.choices_for
        self.show_cart(cart.rows(), cart.totals())

    def show_cart(self, rows: Sequence[CartRow], totals: CartTotals | None) -> None:
        selected = self.selected_key()
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self.price_button.setEnabled(bool(rows))
        overridden = any(row.override is not None for row in rows)
        self._discount_caption.setText("Discount" if overridden else "Voucher")
        if totals is None or totals.empty:
            zero = Money.zero(totals.currency if totals else "EUR")
            for label in (self.subtotal, self.discount, self.tax, self.total):
                label.setText(zero.format())
            self._discount_caption.setVisible(False)
            self.discount.setVisible(False)
            return
        self.subtotal.setText(f"{totals.tickets} · {totals.subtotal.format()}")
        has_discount = totals.discount.is_positive()
        self._discount_caption.setVisible(has_discount)
        self.discount.setVisible(has_discount)
        self.discount.setText(f"-{totals.discount.format()}")
        self.tax.setText(totals.tax.format())
        self.total.setText(totals.total.format())
        if selected is not None:
            self.select_key(selected)

    def set_areas(self, areas: Sequence[AreaOnSale], tickets: Sequence[Ticket]) -> None:
        self.ga_ticket.clear()
        names = {a.id: a for a in areas}
        for ticket in tickets:
            if ticket.area is None or ticket.area not in names:
                continue
            area = names[ticket.area]
            self.ga_ticket.addItem(
                f"{area.name} · {ticket.name} {ticket.money.format()}", (area.id, ticket.id)
            )
        self.ga_box.setVisible(self.ga_ticket.count() > 0)
        self.set_places_left({a.id: a.remaining for a in areas})

    def set_places_left(self, remaining: dict[int, int]) -> None:
        for i in range(self.ga_ticket.count()):
            area_id, _ticket = self.ga_ticket.itemData(i)
            if area_id in remaining:
                self.ga_ticket.setItemData(
                    i, f"{remaining[area_id]} places left", Qt.ItemDataRole.ToolTipRole
                )

    def show_countdown(self, expires_at: datetime | None, *, offline: bool) -> None:
        if offline:
            self.countdown.setText("Offline sale · allocation")
            self.countdown.setProperty("state", "offline")
        elif expires_at is None:
            self.countdown.setText("")
            self.countdown.setProperty("state", "")
        else:
            left = max(0, int((expires_at - datetime.now(UTC)).total_seconds()))
            self.countdown.setText(f"Held {left // 60}:{left % 60:02d}")
            self.countdown.setProperty("state", "short" if left < 60 else "held")
        restyle(self.countdown)

    def show_voucher(self, text: str, ok: bool = True) -> None:
        self.voucher_note.setText(text)
        restyle(self.voucher_note, ok=ok)
        self.voucher_note.setVisible(bool(text))

    def clear_voucher(self) -> None:
        """The sale ended: its voucher code goes with it."""
        self.voucher.clear()
        self.show_voucher("", ok=True)

    # -- the cashier's input -----------------------------------------------------------

    def selected_key(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(KeyRole) if index.isValid() else None

    def select_key(self, key: str) -> None:
        for r in range(self.model.rowCount()):
            if self.model.row_at(r).key == key:
                self.table.setCurrentIndex(self.model.index(r, CartTableModel.TICKET))
                return

    def current_or_last_key(self) -> str | None:
        key = self.selected_key()
        if key is None and self.model.rowCount():
            key = self.model.row_at(self.model.rowCount() - 1).key
        return key

    def focus_voucher(self) -> None:
        self.voucher.setFocus()
        self.voucher.selectAll()

    def focus_places(self) -> None:
        if self.ga_box.isVisible():
            self.ga_quantity.setFocus()
            self.ga_quantity.selectAll()

    def _add_places(self) -> None:
        data = self.ga_ticket.currentData()
        if data is None:
            return
        area_id, ticket_id = data
        self.placesRequested.emit(area_id, ticket_id, self.ga_quantity.value())
        self.ga_quantity.setValue(1)

    def _apply_voucher(self) -> None:
        self.voucherRequested.emit(self.voucher.text().strip())

    def ask_price(self) -> None:
        key = self.current_or_last_key()
        if key is not None:
            self.priceRequested.emit(key)

    def _row_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        key = index.data(KeyRole)
        menu = QMenu(self.table)
        menu.setObjectName("cartRowMenu")
        price = menu.addAction("Change price…  Ctrl+P")
        price.setObjectName("cartRowPriceAction")
        price.triggered.connect(lambda: self.priceRequested.emit(key))
        remove = menu.addAction("Remove  Del")
        remove.setObjectName("cartRowRemoveAction")
        remove.triggered.connect(lambda: self.removeRequested.emit(key))
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def eventFilter(self, watched, event) -> bool:
        from PySide6.QtCore import QEvent

        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            key = self.selected_key()
            if key is not None and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.removeRequested.emit(key)
                return True
            if key is not None and event.key() == Qt.Key.Key_T:
                self.ticketCycleRequested.emit(key)
                return True
            if key is not None and event.key() == Qt.Key.Key_P:
                self.priceRequested.emit(key)
                return True
        return super().eventFilter(watched, event)
