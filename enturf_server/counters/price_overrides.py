"""A supervisor's price override on a counter sale: the administrator's approval of each
line sold at another price than the server's, verified and used once inside the sale's
transaction (`check_overrides`), and the audit trail of what counted and what did not
(`audit_overrides`). See docs/offline-selling.md "Supervisor override"."""

from __future__ import annotations

from dataclasses import dataclass, field

from enturf_server.accounts import approvals
from enturf_server.accounts.models import Approval, Device, User
from enturf_server.audit.services import record
from enturf_server.counters.sale import CounterSale
from enturf_server.sales.models import Booking
from enturf_server.sales.pricing import PricedTickets

PRICE_OVERRIDE = "price_override"  # the approval kind of a supervisor's price override


@dataclass
class Overrides:
    approved: dict[str, Approval] = field(default_factory=dict)  # line id -> approval
    refused: dict[str, str] = field(default_factory=dict)  # line id -> why it did not count


def check_overrides(
    sale: CounterSale, priced: PricedTickets, mismatch: dict[str, str], device: Device
) -> Overrides:
    """The supervisor's approvals of the lines whose price differs from the server's,
    each verified (and recorded, used once) inside the sale's transaction."""
    out = Overrides()
    for line, ticket in zip(sale.lines, priced.tickets, strict=True):
        line_id = str(line.id)
        if line.override is None or line_id not in mismatch:
            continue
        if line.tax_rate != ticket.tax_rate:
            out.refused[line_id] = (
                f"The line's tax rate {line.tax_rate} % is not the ticket's {ticket.tax_rate} %; "
                "a price override changes the price only."
            )
            continue
        if not line.override.approval:
            out.refused[line_id] = "No administrator's approval was signed at the counter."
            continue
        try:
            out.approved[line_id] = approvals.verify(
                proof=line.override.approval,
                kind=PRICE_OVERRIDE,
                subject=line_id,
                figures={"price": str(line.price), "server_price": mismatch[line_id]},
                device=device,
            )
        except approvals.ApprovalRefused as exc:
            out.refused[line_id] = f"{exc.message} ({exc.code})"
    return out


def audit_overrides(
    sale: CounterSale,
    overrides: Overrides,
    mismatch: dict[str, str],
    booking: Booking,
    actor: User,
    device: Device,
) -> None:
    for line in sale.lines:
        line_id = str(line.id)
        details = {
            "code": booking.code,
            "line": line_id,
            "cashier": actor.username,
            "price": str(line.price),
            "server_price": mismatch.get(line_id),
            "reason": line.override.reason if line.override is not None else "",
        }
        if line_id in overrides.approved:
            approval = overrides.approved[line_id]
            record(
                actor=approval.approver,
                action="sale.price_override",
                obj=booking,
                device=device,
                details={**details, "approval": str(approval.pk)},
            )
        elif line_id in overrides.refused:
            record(
                actor=actor,
                action="sale.price_override_refused",
                obj=booking,
                device=device,
                details={**details, "refusal": overrides.refused[line_id]},
            )
