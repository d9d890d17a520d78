"""The grid of rights by role (objectName ``roleRights``): a check box per right (rows)
and role (columns), the role's refund limit in the last but one row, and a Save button
per role in the last (``roleSave_<role>``) that sends that role's column
(`PUT /api/v1/roles/{role}/`). The administrator's column is locked: every right, always.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)

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
SAVE_ROW = LIMIT_ROW + 1
NO_LIMIT = "no limit"


def _header(role: StaffRole) -> str:
    """Two lines, so five roles fit beside the rights' names on a 1366-pixel screen."""
    return (
        ROLE_LABELS[role].replace(" ", "\n", 1) if " " in ROLE_LABELS[role] else ROLE_LABELS[role]
    )


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
    if amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount > 10_000_000:
        return "A refund limit is an amount of 0.00 or more, in cents at most."
    return int(amount * 100)


class RoleRightsGrid(QTableWidget):
    saveRequested = Signal(object, object, object)  # StaffRole, frozenset[Right], int | None

    def __init__(self, parent=None) -> None:
        super().__init__(len(RIGHTS) + 2, len(ROLES), parent)
        self.setObjectName("roleRights")
        self.setAccessibleName("Rights by role")
        self.setHorizontalHeaderLabels([_header(r) for r in ROLES])
        self.setVerticalHeaderLabels(
            [RIGHT_LABELS[r] for r in RIGHTS] + ["Refund limit (per booking)", ""]
        )
        for column, role in enumerate(ROLES):
            self.horizontalHeaderItem(column).setToolTip(ROLE_LABELS[role])
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(28)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.save_buttons: dict[StaffRole, QPushButton] = {}
        self._shown: dict[StaffRole, Grant] = {}
        self._filling = False
        for column, role in enumerate(ROLES):
            button = QPushButton("Save", objectName=f"roleSave_{role.value}")
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, r=role: self._save(r))
            self.setCellWidget(SAVE_ROW, column, button)
            self.save_buttons[role] = button
        self.itemChanged.connect(self._changed)
        self._editable = True

    # -- showing -----------------------------------------------------------------------

    def show_grants(self, grants: dict[StaffRole, Grant], *, editable: bool, why: str = "") -> None:
        """The grants as they are (unsaved ticks are dropped); `editable` False: read-only,
        `why` in the tooltips."""
        self._filling = True
        self._editable = editable
        self._shown = dict(grants)
        for column, role in enumerate(ROLES):
            grant = grants[role]
            locked = role in LOCKED_ROLES
            for row, right in enumerate(RIGHTS):
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.UserRole, right.value)
                item.setCheckState(
                    Qt.CheckState.Checked if right in grant.rights else Qt.CheckState.Unchecked
                )
                flags = Qt.ItemFlag.ItemIsUserCheckable
                if not locked and editable:
                    flags |= Qt.ItemFlag.ItemIsEnabled
                item.setFlags(flags)
                item.setToolTip(self._tip(role, RIGHT_LABELS[right], locked, editable, why))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.setItem(row, column, item)
            limit = QTableWidgetItem(limit_text(grant.refund_limit_cents))
            limit.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            flags = Qt.ItemFlag.ItemIsSelectable
            if not locked and editable:
                flags |= Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsEditable
            limit.setFlags(flags)
            limit.setToolTip(
                self._tip(role, "the refund limit", locked, editable, why)
                + (
                    ""
                    if locked
                    else "\nEmpty: no limit of the role's own (the cashier's: the site's setting)."
                )
            )
            self.setItem(LIMIT_ROW, column, limit)
            button = self.save_buttons[role]
            button.setEnabled(False)
            button.setVisible(not locked)
            button.setToolTip(why if not editable else f"Save the {ROLE_LABELS[role]}'s rights")
        self._filling = False

    @staticmethod
    def _tip(role: StaffRole, what: str, locked: bool, editable: bool, why: str) -> str:
        if locked:
            return "An administrator always has every right (nobody can lock the venue out)."
        if not editable:
            return why or "Read only."
        return f"{ROLE_LABELS[role]}: {what}"

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

    def _changed(self, item: QTableWidgetItem) -> None:
        if self._filling or not self._editable:
            return
        role = ROLES[item.column()]
        if role in LOCKED_ROLES or role not in self._shown:
            return
        rights, limit = self.grant_in_column(role)
        shown = self._shown[role]
        dirty = rights != shown.rights or limit != shown.refund_limit_cents
        self.save_buttons[role].setEnabled(dirty)

    def _save(self, role: StaffRole) -> None:
        rights, limit = self.grant_in_column(role)
        self.saveRequested.emit(role, rights, limit)

    def saving(self, role: StaffRole, busy: bool) -> None:
        self.save_buttons[role].setEnabled(not busy)
