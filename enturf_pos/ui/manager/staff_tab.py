"""The Staff tab of the manager window (objectName ``staffTab``, right `manage_staff`).

Two pages (``staffPages``). The staff (``staffTable``: name, username, role, active, last login on this
counter) with what can be done to the one selected: add (``staffAddButton``), change
role (``staffRoleButton``), deactivate / reactivate (``staffActiveButton``), reset the
password (``staffPasswordButton``). The rights of each role (``roleRights``,
`role_rights_grid`); ``roleRightsSave`` saves each changed role.

Every change is made on the server at once (`services/session/staff_admin.py`), on the
tab's task runner; offline the list is this counter's and the buttons say why they are
off (``staffStatus`` too). The server's refusals show in the dialog that asked.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from enturf_core.staff_rights import ROLE_LABELS, Right, staff_role
from enturf_pos.services import venue_time
from enturf_pos.services.session import staff_admin
from enturf_pos.services.session.auth_service import CurrentUser
from enturf_pos.services.session.pos_context import PosContext
from enturf_pos.services.session.staff_admin import StaffMember, StaffResult
from enturf_pos.ui import form_widgets as fw
from enturf_pos.ui.main_window_base import table_view
from enturf_pos.ui.manager.role_rights_grid import RoleRightsGrid
from enturf_pos.ui.manager.staff_dialogs import (
    StaffAddDialog,
    StaffDialog,
    StaffPasswordDialog,
    StaffRoleDialog,
)
from enturf_pos.ui.table_models import Column, RowRole, RowTableModel
from enturf_pos.ui.task_runner import TaskRunner

UNEXPECTED = "Something went wrong on this counter; it was logged. Please try again."


def _role_label(role: str) -> str:
    known = staff_role(role)
    return ROLE_LABELS[known] if known is not None else role


def _seen(value: object) -> str:
    return venue_time.text(value, "%d %b %Y") if value is not None else ""


class StaffModel(RowTableModel[StaffMember]):
    columns = (
        Column("Name", lambda m: m.name),
        Column("Username", lambda m: m.username),
        Column("Role", lambda m: m.role, text=_role_label),
        Column("Active", lambda m: m.active, text=lambda v: "Yes" if v else "No"),
        Column("Last here", lambda m: m.last_seen, text=_seen),
    )

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        inactive = index.isValid() and not self.row_at(index.row()).active
        if role == Qt.ItemDataRole.ForegroundRole and inactive:
            return Qt.GlobalColor.gray
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.column() == 4:
            return "Their last online login on this counter (blank: never here)"
        return super().data(index, role)


class StaffTab(QWidget):
    def __init__(
        self, ctx: PosContext, user: CurrentUser, notify: Callable[[str, bool], None]
    ) -> None:
        """`notify(text, error)`: the window's message line."""
        super().__init__()
        self.setObjectName("staffTab")
        self._ctx, self._user, self._notify = ctx, user, notify
        self.runner = TaskRunner(self)
        self.online = False
        self._why_offline = ""
        self.loaded = False
        self._saving = False  # the grants read next follow a save: shown as saved
        self.dialog: StaffDialog | None = None

        self.model = StaffModel(parent=self)
        self.table = table_view(
            "staffTable", self.model, "Staff", stretch_column=0, sort_column=None
        )
        self.status = QLabel("", objectName="staffStatus")
        self.status.setWordWrap(True)
        self.add_button = QPushButton("&Add staff…", objectName="staffAddButton")
        self.role_button = QPushButton("Change &role…", objectName="staffRoleButton")
        self.active_button = QPushButton("Deactivate", objectName="staffActiveButton")
        self.password_button = QPushButton("Reset &password…", objectName="staffPasswordButton")
        self.grid = RoleRightsGrid()
        self.save_rights = QPushButton("Save rights", objectName="roleRightsSave")
        self.save_rights.setEnabled(False)
        self.grid_status = QLabel("", objectName="roleRightsStatus")
        self.grid_status.setWordWrap(True)

        # two pages (``staffPages``): each needs the whole width and height of a 1366x768
        # screen (fourteen rights by five roles; the staff's five columns)
        left = QWidget(objectName="staffPeoplePage")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 8, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.status)
        row = QHBoxLayout()
        for button in (self.add_button, self.role_button, self.active_button, self.password_button):
            row.addWidget(button)
        row.addStretch(1)
        left_layout.addLayout(row)
        right = QWidget(objectName="staffRightsPage")
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 8, 0, 0)
        right_layout.addWidget(self.grid, 1)
        right_layout.addWidget(self.grid_status)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_rights)
        right_layout.addLayout(save_row)
        self.pages = QTabWidget(objectName="staffPages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(left, "People")
        self.pages.addTab(right, "Rights by role")
        self.people_page, self.rights_page = left, right
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.pages)

        self.add_button.clicked.connect(self.add_staff)
        self.role_button.clicked.connect(self.change_role)
        self.active_button.clicked.connect(self.toggle_active)
        self.password_button.clicked.connect(self.reset_password)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.grid.dirtyChanged.connect(self.save_rights.setEnabled)
        self.save_rights.clicked.connect(self.save_grants)
        self._update_buttons()

    # -- loading -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the staff and grants again (the server's when it answers)."""
        ctx = self._ctx
        self.runner.run(lambda: staff_admin.list_staff(ctx=ctx), self._listed, self._crashed)
        self.runner.run(lambda: staff_admin.list_grants(ctx=ctx), self._grants, self._crashed)

    def _listed(self, result: staff_admin.StaffList) -> None:
        selected = self.selected()
        self.loaded = True
        self.online = result.online
        self._why_offline = "" if result.online else result.message
        self.model.set_rows(result.members)
        fw.show_message(self.status, result.message or None)
        if selected is not None:
            self.select(selected.username)
        self._update_buttons()

    def _grants(self, result: staff_admin.GrantList) -> None:
        if self.grid.dirty_roles() and result.online and not self._saving:
            return  # rights ticked and not saved yet stay as typed
        self._saving = False
        editable = result.online and self._user.can(Right.MANAGE_STAFF)
        self.grid.show_grants(result.grants, editable=editable, why=result.message)
        fw.show_message(self.grid_status, None if editable else result.message)
        self.save_rights.setToolTip(
            "Send the changed roles' rights to the server" if editable else result.message
        )

    def _crashed(self, _exc: Exception) -> None:
        self._notify(UNEXPECTED, True)

    # -- selection and buttons -------------------------------------------------------------

    def selected(self) -> StaffMember | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(RowRole) if rows else None

    def select(self, username: str) -> bool:
        proxy = self.table.model()
        for row in range(proxy.rowCount()):
            member = proxy.index(row, 0).data(RowRole)
            if member.username == username:
                self.table.selectRow(row)
                return True
        return False

    def _update_buttons(self, *_args: object) -> None:
        member = self.selected()
        why = self._why_offline
        self.add_button.setEnabled(self.online)
        self.add_button.setToolTip(why or "A new staff member with a role and a password")
        for button, tip in (
            (self.role_button, "Change the selected member's role"),
            (self.password_button, "Give the selected member a new password"),
            (self.active_button, "Stop or allow the selected member's logins"),
        ):
            button.setEnabled(self.online and member is not None)
            button.setToolTip(why or (tip if member is not None else "Select a member first"))
        self.active_button.setText(
            "Reactivate" if member is not None and not member.active else "Deactivate"
        )

    # -- changes ---------------------------------------------------------------------------

    def _open(self, dialog: StaffDialog, change: Callable[[dict], StaffResult]) -> None:
        self.dialog = dialog

        def submitted(values: dict) -> None:
            self.runner.run(
                lambda: change(values),
                lambda result: self._changed(dialog, result),
                lambda _exc: dialog.show_error(UNEXPECTED),
            )

        dialog.submitted.connect(submitted)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _changed(self, dialog: StaffDialog | None, result: StaffResult) -> None:
        if not result.ok:
            if dialog is not None and dialog.isVisible():
                dialog.show_error(result.message)
            else:
                self._notify(result.message, True)
            return
        if dialog is not None:
            dialog.done_ok()
        self.dialog = None
        self._notify(result.message, False)
        self.refresh()

    def add_staff(self) -> None:
        ctx = self._ctx
        self._open(StaffAddDialog(self), lambda values: staff_admin.add_staff(ctx=ctx, **values))

    def change_role(self) -> None:
        member, ctx = self.selected(), self._ctx
        if member is None:
            return
        dialog = StaffRoleDialog(self, name=member.name, role=member.role)
        self._open(
            dialog,
            lambda values: staff_admin.change_role(ctx=ctx, member=member, role=values["role"]),
        )

    def reset_password(self) -> None:
        member, ctx = self.selected(), self._ctx
        if member is None:
            return
        dialog = StaffPasswordDialog(self, name=member.name)
        self._open(
            dialog,
            lambda values: staff_admin.reset_password(
                ctx=ctx, member=member, password=values["password"]
            ),
        )

    def toggle_active(self) -> None:
        member = self.selected()
        if member is None:
            return
        if member.active:
            confirm = QMessageBox(
                QMessageBox.Icon.Question,
                "Deactivate",
                f"Deactivate {member.name}? Their sessions end at once and they cannot log in "
                "until reactivated.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                self,
            )
            confirm.setObjectName("staffDeactivateConfirm")
            confirm.setDefaultButton(QMessageBox.StandardButton.No)
            yes = confirm.button(QMessageBox.StandardButton.Yes)
            yes.setText("Deactivate")
            yes.setObjectName("staffDeactivateConfirmButton")
            yes.clicked.connect(lambda: self._set_active(member, False))
            confirm.finished.connect(confirm.deleteLater)
            confirm.open()
            return
        self._set_active(member, True)

    def _set_active(self, member: StaffMember, active: bool) -> None:
        ctx = self._ctx
        self.runner.run(
            lambda: staff_admin.set_active(ctx=ctx, member=member, active=active),
            lambda result: self._changed(None, result),
            self._crashed,
        )

    def save_grants(self) -> None:
        """Each changed role, one `PUT /roles/{role}/` each; a limit that is not an amount
        says what to fix and nothing is sent."""
        changes = []
        for role in self.grid.dirty_roles():
            rights, limit = self.grid.grant_in_column(role)
            if isinstance(limit, str):
                fw.show_message(self.grid_status, f"{ROLE_LABELS[role]}: {limit}")
                return
            changes.append((role, rights, limit))
        if not changes:
            return
        ctx = self._ctx
        self.save_rights.setEnabled(False)
        self._saving = True
        fw.show_message(self.grid_status, None)
        self.runner.run(
            lambda: [
                staff_admin.save_grant(ctx=ctx, role=role, rights=rights, refund_limit_cents=limit)
                for role, rights, limit in changes
            ],
            self._grants_saved,
            self._crashed,
        )

    def _grants_saved(self, results: list[StaffResult]) -> None:
        refused = [r.message for r in results if not r.ok]
        self._notify(" ".join(refused) or " ".join(r.message for r in results), bool(refused))
        fw.show_message(self.grid_status, " ".join(refused) or None)
        self.save_rights.setEnabled(bool(refused))
        ctx = self._ctx
        self.runner.run(lambda: staff_admin.list_grants(ctx=ctx), self._grants, self._crashed)
