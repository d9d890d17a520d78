"""Refunds and cancellations of the booking lookup (a mixin of `BookingLookupDialog`).

*Refund* gives back the ticked tickets (all ticked: the whole booking) after one
confirmation; above the counter's limit an administrator approves in place and the same
refund (its id) is sent again. Everything runs on the window's task runner; the server
decides every refund (services/sales/refund_service.py).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from enturf_core.money import Money
from enturf_pos.services.printing.drawer_log import DrawerReason
from enturf_pos.services.sales import booking_lookup, refund_service
from enturf_pos.services.sales.booking_records import BookingDetail
from enturf_pos.services.session.secret_store import Secret
from enturf_pos.ui.cashier.supervisor_dialog import SupervisorDialog

if TYPE_CHECKING:
    from enturf_pos.ui.cashier.booking_lookup import BookingLookupDialog

UNEXPECTED = "Something went wrong on this counter; it was logged. Please try again."


class BookingRefunds:
    """Its state (`busy`, `last_refund`, the pending refund) is set up by the dialog."""

    busy: bool
    refund_refusal: str  # why this user may not refund ("" when they may: `rights_gate`)
    last_refund: refund_service.RefundResult | None
    _pending_refund: tuple[tuple[uuid.UUID, ...] | None, uuid.UUID] | None
    _limit_amount: Money | None

    def _chosen_lines(self: BookingLookupDialog) -> tuple[uuid.UUID, ...] | None:
        """The ticked lines; None when they are all that is left (the whole booking)."""
        assert self.booking is not None
        chosen = self.lines.chosen()
        left = [line for line in self.booking.lines if line.refundable]
        if chosen and len(chosen) == len(left):
            return None
        return tuple(line.id for line in chosen)

    def refund(self: BookingLookupDialog) -> None:
        booking = self.booking
        if booking is None or self.busy:
            return
        if self.refund_refusal:  # taken away while the lookup was open
            self.show_message(self.refund_refusal, error=True)
            return
        if not booking.has_refundable_lines:
            self.show_message("This booking has nothing left to refund.", error=True)
            return
        if not self._is_online():
            signed_in = bool(self._ctx.secrets.get(Secret.USER_TOKEN))
            message = refund_service.NEEDS_SERVER if signed_in else refund_service.NOT_SIGNED_IN
            self.show_message(message, error=True)
            return
        if booking.summary.source != booking_lookup.SERVER:
            self.show_message(
                f"Booking {booking.code} is not on the server yet, and refunds need it. "
                "Sync now (F5), then look it up again.",
                error=True,
            )
            return
        lines = self._chosen_lines()
        if lines == ():
            self.show_message("Tick the tickets to refund first.", error=True)
            return
        # money leaves the drawer or goes back to a card: ask once (Esc / No keeps it)
        confirm = QMessageBox(
            QMessageBox.Icon.Question,
            "Refund",
            f"{self.refund_button.text()} of booking {booking.code}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        confirm.setObjectName("refundConfirm")
        confirm.setDefaultButton(QMessageBox.StandardButton.No)
        yes = confirm.button(QMessageBox.StandardButton.Yes)
        yes.setText("Refund")
        yes.setObjectName("refundConfirmButton")
        confirm.button(QMessageBox.StandardButton.No).setText("Keep")
        yes.clicked.connect(lambda: self._start_refund(booking, lines))
        confirm.finished.connect(confirm.deleteLater)
        confirm.open()

    def _start_refund(
        self: BookingLookupDialog,
        booking: BookingDetail,
        lines: tuple[uuid.UUID, ...] | None,
        override: refund_service.Override | None = None,
    ) -> None:
        if self.busy or self.booking is None or self.booking.id != booking.id:
            return
        if self.refund_refusal:  # taken away while the confirmation or approval was open
            self.show_message(self.refund_refusal, error=True)
            return
        # the same request after a broken connection keeps its id: the server replays it
        if self._pending_refund is not None and self._pending_refund[0] == lines:
            refund_id = self._pending_refund[1]
        else:
            refund_id = uuid.uuid4()
        self._pending_refund = (lines, refund_id)
        ctx, user, reason = self._ctx, self._user, self.reason.text().strip()
        self.busy = True
        self._update_buttons()
        self.show_message("Refunding on the server…")
        self._runner.run(
            lambda: refund_service.refund(
                ctx=ctx,
                booking=booking,
                line_ids=None if lines is None else list(lines),
                user=user,
                refund_id=refund_id,
                reason=reason,
                override=override,
            ),
            self._refunded,
            self._failed,
        )

    def _refunded(self: BookingLookupDialog, result: refund_service.RefundResult) -> None:
        self.busy = False
        if result.code == refund_service.RefundError.LIMIT_EXCEEDED:
            self._limit_amount = result.amount
        # above the limit an administrator approves in place: the same refund (id) again
        ask = self._limit_amount is not None and result.code in (
            refund_service.RefundError.LIMIT_EXCEEDED,
            refund_service.RefundError.APPROVAL_REFUSED,
        )
        if not result.may_have_acted and not ask:
            self._pending_refund, self._limit_amount = None, None
        if ask:
            self._ask_supervisor(result.message)
        self.last_refund = result
        if result.ok:
            self.reason.clear()
            self.show_message(result.message, done=True)
            if self.booking is not None and result.cash is not None:  # cash leaves the drawer
                self._printing.open_drawer(
                    DrawerReason.REFUND,
                    note=f"{self.booking.code} {result.cash.format()}",
                    sale_id=self.booking.id,
                )
            if self.booking is not None and result.refund_id is not None:
                self._print_refund_slip(self.booking, result.refund_id)
        else:
            self.show_message(result.message, error=True)
        self._update_buttons()
        if self.booking is not None and result.reachable:
            self.load(self.booking.id, keep_message=True)

    def _ask_supervisor(self: BookingLookupDialog, message: str) -> None:
        booking, pending, amount = self.booking, self._pending_refund, self._limit_amount
        if booking is None or pending is None or amount is None:
            return
        dialog = SupervisorDialog(
            self,
            title="Approval",
            text=f"{message}\nSomeone whose refund limit covers it enters their username and "
            f"password to approve the refund of {amount.format()}.",
            action=f"Approve refund · {amount.format()}",
        )
        dialog.approved.connect(
            lambda username, password: self._start_refund(
                booking, pending[0], refund_service.Override(username, password, amount)
            )
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _failed(self: BookingLookupDialog, _exc: Exception) -> None:
        self.busy = False
        self.show_message(UNEXPECTED, error=True)
        self._update_buttons()

    def cancel_booking(self: BookingLookupDialog) -> None:
        booking = self.booking
        if booking is None or self.busy or not booking.cancellable:
            return
        ctx = self._ctx
        self.busy = True
        self._update_buttons()
        self._runner.run(
            lambda: refund_service.cancel(ctx=ctx, booking=booking),
            self._cancelled,
            self._failed,
        )

    def _cancelled(self: BookingLookupDialog, result: refund_service.CancelResult) -> None:
        self.busy = False
        self.show_message(result.message, error=not result.ok, done=result.ok)
        self._update_buttons()
        if self.booking is not None:
            self.load(self.booking.id, keep_message=True)
