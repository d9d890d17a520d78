"""The grid of rights by role (objectName ``roleRights``): a check box per right (rows)
and role (columns), and the role's refund limit in the last row. `dirty_roles` are the
columns changed since shown; the Staff tab saves each with `PUT /api/v1/roles/{role}/`.
The administrator's column is locked: every right, always.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from enturf_core.staff_rights import (
    LOCKED_ROLES,
    RIGHT_LABELS,
    ROLE_LABELS,
    Grant,
    Right,
    StaffRole,
)

ROLES = tuple(StaffRole)
RIGHTS = tuple(Right)
LIMIT_ROW = len(RIGHTS)
NO_LIMIT = "no limit"
# short column titles (the full label is the tooltip): five roles beside the rights' names
# fit half a 1366-pixel screen
SHORT = {
    StaffRole.ADMIN: "Admin",
    StaffRole.MANAGER: "Manager",
    StaffRole.CASHIER: "Cashier",
    StaffRole.DOOR_STEWARD: "Steward",
    StaffRole.DOOR_SUPERVISOR: "Supervisor",
}
LOCKED = "An administrator always has every right (nobody can lock the venue out)."


def limit_text(cents: int | None) -> str:
    return NO_LIMIT if cents is None else f"{Decimal(cents) / 100:.2f}"


def parse_limit(text: str) -> int | str | None:
    """Cents, None (no limit), or why the text is not a limit."""
    text = text.strip().lower()
    if text in ("", NO_LIMIT, "none", "-"):
        return None
    try:
        amount = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return f"“{text}” is not an amount: type e.g. 150.00, or leave it empty for no limit."
    if not amount.is_finite() or amount < 0 or amount > 10_000_000:
        return "A refund limit is an amount from 0.00 to 10,000,000.00."
    if amount != amount.quantize(Decimal("0.01")):
        return "A refund limit has at most two decimals (cents)."
    return int(amount * 100)


class RoleRightsGrid(QTableWidget):
    dirtyChanged = Signal(bool)  # some column differs from what was shown

    def __init__(self, parent=None) -> None:
        super().__init__(len(RIGHTS) + 1, len(ROLES), parent)
        self.setObjectName("roleRights")
        self.setAccessibleName("Rights by role")
        self.setHorizontalHeaderLabels([SHORT[r] for r in ROLES])
        self.setVerticalHeaderLabels([RIGHT_LABELS[r] for r in RIGHTS] + ["Refund limit"])
        for column, role in enumerate(ROLES):
            self.horizontalHeaderItem(column).setToolTip(ROLE_LABELS[role])
        self.verticalHeaderItem(LIMIT_ROW).setToolTip(
            "What one refund of this role may give back without an approval (per booking)"
        )
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(110)
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        # the rights' names read as labels, not as bold titles (this widget only)
        self.setStyleSheet(
            "QHeaderView::section:vertical { font-weight: normal; padding: 1px 8px; }"
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self._shown: dict[StaffRole, Grant] = {}
        self._filling = False
        self._editable = False
        self.itemChanged.connect(self._changed)

    # -- showing -----------------------------------------------------------------------

    def show_grants(self, grants: dict[StaffRole, Grant], *, editable: bool, why: str = "") -> None:
        """The grants as they are (unsaved ticks are dropped); `editable` False: read-only,
        `why` in the tooltips."""
        self._filling = True
        self._editable = editable
        self._shown = dict(grants)
        for column, role in enumerate(ROLES):
            grant = grants[role]
            open_ = role not in LOCKED_ROLES and editable
            tip = LOCKED if role in LOCKED_ROLES else (why or "Read only.")
            for row, right in enumerate(RIGHTS):
                item = QTableWidgetItem()
                item.setCheckState(
                    Qt.CheckState.Checked if right in grant.rights else Qt.CheckState.Unchecked
                )
                flags = Qt.ItemFlag.ItemIsUserCheckable
                item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled if open_ else flags)
                item.setToolTip(f"{ROLE_LABELS[role]}: {RIGHT_LABELS[right]}" if open_ else tip)
                self.setItem(row, column, item)
            limit = QTableWidgetItem(limit_text(grant.refund_limit_cents))
            limit.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            editable_cell = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsEditable
            limit.setFlags(editable_cell if open_ else Qt.ItemFlag.NoItemFlags)
            limit.setToolTip(
                f"{ROLE_LABELS[role]}: the most one refund gives back without an approval. "
                "Empty: no limit of the role's own (a cashier's: the site's setting)."
                if open_
                else tip
            )
            self.setItem(LIMIT_ROW, column, limit)
        self._filling = False
        self.dirtyChanged.emit(False)

    # -- editing -----------------------------------------------------------------------

    def grant_in_column(self, role: StaffRole) -> tuple[frozenset[Right], int | str | None]:
        column = ROLES.index(role)
        rights = frozenset(
            right
            for row, right in enumerate(RIGHTS)
            if self.item(row, column).checkState() == Qt.CheckState.Checked
        )
        return rights, parse_limit(self.item(LIMIT_ROW, column).text())

    def set_right(self, role: StaffRole, right: Right, on: bool) -> None:
        """Tick or untick one box, as a click does (tests, scripts)."""
        item = self.item(RIGHTS.index(right), ROLES.index(role))
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def set_limit(self, role: StaffRole, text: str) -> None:
        self.item(LIMIT_ROW, ROLES.index(role)).setText(text)

    def dirty_roles(self) -> list[StaffRole]:
        """The roles whose column differs from what was shown (the locked one never)."""
        if not self._editable:
            return []
        dirty = []
        for role, shown in self._shown.items():
            if role in LOCKED_ROLES:
                continue
            rights, limit = self.grant_in_column(role)
            if rights != shown.rights or limit != shown.refund_limit_cents:
                dirty.append(role)
        return dirty

    def _changed(self, _item: QTableWidgetItem) -> None:
        if not self._filling:
            self.dirtyChanged.emit(bool(self.dirty_roles()))
