"""Reprints of the booking lookup (a mixin of `BookingLookupDialog`): a booking's
receipt or tickets again, marked COPY, through the window's print controller, and the
refund slip after a refund; what printed (or why not) shows in the lookup's message.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from enturf_pos.services.printing import ticket_reprint
from enturf_pos.services.printing.refund_slip import refund_slip_for, render_refund_slip
from enturf_pos.services.printing.ticket_pdf import render_tickets
from enturf_pos.services.sales import booking_lookup
from enturf_pos.services.sales.booking_records import BookingDetail
from enturf_pos.ui.printing.controller import PrintResult

if TYPE_CHECKING:
    from enturf_pos.ui.cashier.booking_lookup import BookingLookupDialog

PRINTABLE = ("paid", "partially_refunded")  # a booking whose tickets may be printed


class BookingReprints:
    """Its state (the print jobs asked for, the last results) is set up by the dialog."""

    _print_jobs: set[int]
    _slip_jobs: set[int]  # refund slips: their outcome adds to the message
    last_print: PrintResult | None
    last_slip: PrintResult | None

    def reprint(self: BookingLookupDialog, kind: str) -> None:
        """Print a booking's receipt or tickets again, marked COPY, through the window's
        print controller (this counter's printer for that document; the print log records
        the reprint). Tickets of any paid booking come from the server, which records the
        reprint too; a sale of this counter not on the server yet prints from the local
        record (also offline). Receipts: sales of this counter only."""
        booking = self.booking
        if booking is None:
            return
        on_server = booking.summary.source == booking_lookup.SERVER and self._is_online()
        if kind == "tickets" and on_server and booking.state in PRINTABLE:
            self._server_reprint(booking)
            return
        if not booking.local_sale:
            self.show_message(
                ticket_reprint.NEEDS_SERVER
                if kind == "tickets"
                else "Only the receipts of this counter's sales are reprinted here.",
                error=True,
            )
            return
        jobs = self._printing.print_sale(booking.id, {kind}, reprint=True)
        self._print_jobs.update(job.id for job in jobs)
        self.show_message(f"Reprinting the {kind} of {booking.code} (COPY)…")

    def _server_reprint(self: BookingLookupDialog, booking: BookingDetail) -> None:
        ctx = self._ctx
        self.busy = True
        self._update_buttons()
        self.show_message(f"Getting the tickets of {booking.code} from the server…")

        def got(result: ticket_reprint.ReprintResult) -> None:
            self.busy = False
            self._update_buttons()
            if not result.ok:
                self.show_message(result.message, error=True)
                return
            tickets, layout = result.tickets, self._printing.settings.ticket_layout
            job = self._printing.print_pdf(
                "tickets",
                f"Tickets {result.code}",
                lambda: render_tickets(tickets, layout),
                sale_id=booking.id,
                copy=True,
            )
            self._print_jobs.add(job.id)
            self.show_message(f"Reprinting {result.message[:-1]} (COPY)…")

        self._runner.run(
            lambda: ticket_reprint.server_tickets(ctx=ctx, booking_id=booking.id), got, self._failed
        )

    def _print_refund_slip(
        self: BookingLookupDialog, booking: BookingDetail, refund_id: uuid.UUID
    ) -> None:
        """The refund slip on the receipt printer (80 mm, like the receipt)."""
        ctx = self._ctx
        job = self._printing.print_pdf(
            "receipt",
            f"Refund slip {booking.code}",
            lambda: render_refund_slip(refund_slip_for(ctx, refund_id=refund_id, booking=booking)),
            sale_id=booking.id,
        )
        self._slip_jobs.add(job.id)

    def _printed(self: BookingLookupDialog, result: PrintResult) -> None:
        if result.job.id in self._slip_jobs:  # the refund's instructions stay on screen
            self._slip_jobs.discard(result.job.id)
            self.last_slip = result
            text = self.message.text()
            if result.ok:
                self.show_message(f"{text} Refund slip printed.", done=True)
            else:
                why = result.message or "the refund slip was not printed"
                self.show_message(f"{text} ({why})", error=True)
            return
        if result.job.id not in self._print_jobs:
            return  # another window's job
        self._print_jobs.discard(result.job.id)
        self.last_print = result
        if result.ok:
            where = f"saved as {result.output}" if result.output else f"on {result.printer}"
            self.show_message(f"{result.title} printed {where}.", done=True)
        else:
            self.show_message(result.message or f"{result.title} was not printed.", error=True)
