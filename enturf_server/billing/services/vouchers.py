"""Vouchers: admin CRUD, and redeeming a code inside the booking transaction.

A voucher's uses are its redemptions by bookings that are paid (also when refunded later)
or pending and not expired; `redeem_voucher` counts them with the voucher row locked
(`select_for_update`), so concurrent bookings cannot take the last use twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from enturf_core.money import Money
from enturf_core.pricing.terms import Voucher as PricingVoucher
from enturf_server.api.errors import Conflict, ServiceError
from enturf_server.audit.services import record
from enturf_server.billing.models import Voucher, VoucherKind, VoucherRedemption
from enturf_server.billing.selectors import voucher_uses
from enturf_server.catalog.models import Event, Ticket

# -- admin -------------------------------------------------------------------------------------

EDITABLE_FIELDS = (
    "code",
    "kind",
    "percent",
    "amount",
    "currency",
    "valid_from",
    "valid_until",
    "max_uses",
    "active",
)


def _check(voucher: Voucher) -> None:
    voucher.code = voucher.code.strip()
    if not voucher.code:
        raise ServiceError("A voucher needs a code.", code="invalid")
    check_rules(voucher)
    clash = Voucher.objects.filter(code__iexact=voucher.code).exclude(pk=voucher.pk).exists()
    if clash:
        raise Conflict(f"The code {voucher.code!r} is already used.", code="voucher_code_taken")


def check_rules(voucher: Voucher) -> None:
    """The kind, value and validity of a voucher (normalised in place), its code aside."""
    if voucher.kind == VoucherKind.PERCENT:
        if voucher.percent is None or not (Decimal(0) < voucher.percent <= Decimal(100)):
            raise ServiceError(
                "A percentage voucher needs a percent above 0 and at most 100.", code="invalid"
            )
        voucher.amount, voucher.currency = None, ""
    elif voucher.kind == VoucherKind.FIXED:
        if voucher.amount is None or voucher.amount <= 0:
            raise ServiceError("A fixed voucher needs an amount above 0.", code="invalid")
        if not voucher.currency:
            raise ServiceError("A fixed voucher needs a currency.", code="invalid")
        try:
            Money(voucher.amount, voucher.currency)
        except (TypeError, ValueError) as exc:
            raise ServiceError(f"Invalid amount or currency: {exc}", code="invalid") from None
        voucher.currency = voucher.currency.upper()
        voucher.percent = None
    else:
        raise ServiceError("The kind must be percent or fixed.", code="invalid")
    if voucher.valid_from and voucher.valid_until and voucher.valid_until <= voucher.valid_from:
        raise ServiceError("valid_until must be after valid_from.", code="invalid")


def _save(voucher: Voucher, *, events, tickets) -> Voucher:
    _check(voucher)
    try:
        with transaction.atomic():
            voucher.save()
            if events is not None:
                voucher.events.set(events)
            if tickets is not None:
                voucher.tickets.set(tickets)
    except IntegrityError:
        raise Conflict(
            f"The code {voucher.code!r} is already used.", code="voucher_code_taken"
        ) from None
    return voucher


def create_voucher(
    *,
    actor,
    data: dict[str, Any],
    events: Sequence[Event] = (),
    tickets: Sequence[Ticket] = (),
) -> Voucher:
    voucher = Voucher(**{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    voucher = _save(voucher, events=events, tickets=tickets)
    record(actor=actor, action="voucher.create", obj=voucher, details={"code": voucher.code})
    return voucher


def update_voucher(
    *,
    actor,
    voucher: Voucher,
    data: dict[str, Any],
    events: Sequence[Event] | None = None,
    tickets: Sequence[Ticket] | None = None,
) -> Voucher:
    with transaction.atomic():
        voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
        for name, value in data.items():
            if name in EDITABLE_FIELDS:
                setattr(voucher, name, value)
        voucher = _save(voucher, events=events, tickets=tickets)
        record(
            actor=actor,
            action="voucher.update",
            obj=voucher,
            details={"code": voucher.code, "fields": sorted(set(data) & set(EDITABLE_FIELDS))},
        )
    return voucher


def delete_voucher(*, actor, voucher: Voucher) -> None:
    """Delete an unused voucher; one that was used is deactivated instead (its history
    stays with the bookings)."""
    with transaction.atomic():
        voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if VoucherRedemption.objects.filter(voucher=voucher).exists():
            voucher.active = False
            voucher.save(update_fields=["active", "updated_at"])
            action = "voucher.deactivate"
        else:
            action = "voucher.delete"
        record(actor=actor, action=action, obj=voucher, details={"code": voucher.code})
        if action == "voucher.delete":
            voucher.delete()


# -- redeeming ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoucherUse:
    """A voucher locked for this booking transaction, ready for pricing."""

    voucher: Voucher
    pricing: PricingVoucher


def _refuse(message: str, code: str, voucher_code: str) -> ServiceError:
    return ServiceError(message, code=code, details={"voucher": voucher_code})


def redeem_voucher(
    *, code: str, event: Event, tickets: Sequence[Ticket], currency: str, now: datetime
) -> VoucherUse:
    """Check `code` for a booking of `tickets` and lock it; call inside the booking's
    transaction, then `record_redemption` once the booking exists. Refuses (400) a code
    that is unknown, inactive, not yet or no longer valid, used up, or not applicable."""
    code = code.strip()
    voucher = Voucher.objects.select_for_update().filter(code__iexact=code).order_by("pk").first()
    if voucher is None or not voucher.active:
        raise _refuse(f"The voucher code {code!r} is not valid.", "voucher_invalid", code)
    if voucher.valid_from is not None and now < voucher.valid_from:
        raise _refuse(f"The voucher {code!r} is not valid yet.", "voucher_not_yet_valid", code)
    if voucher.valid_until is not None and now >= voucher.valid_until:
        raise _refuse(f"The voucher {code!r} has expired.", "voucher_expired", code)
    event_ids = set(voucher.events.values_list("id", flat=True))
    if event_ids and event.pk not in event_ids:
        raise _refuse(
            f"The voucher {code!r} does not apply to this event.", "voucher_not_applicable", code
        )
    ticket_ids = {str(t) for t in voucher.tickets.values_list("id", flat=True)} or None
    if ticket_ids is not None and not any(str(t.pk) in ticket_ids for t in tickets):
        raise _refuse(
            f"The voucher {code!r} does not apply to these tickets.",
            "voucher_not_applicable",
            code,
        )
    if voucher.kind == VoucherKind.FIXED:
        if voucher.currency != currency:
            raise _refuse(
                f"The voucher {code!r} is in {voucher.currency}, this booking in {currency}.",
                "voucher_not_applicable",
                code,
            )
        pricing = PricingVoucher.fixed(
            voucher.code, Money(voucher.amount, voucher.currency), ticket_ids
        )
    else:
        pricing = PricingVoucher.percentage(voucher.code, voucher.percent, ticket_ids)
    # counted with the voucher row locked: a concurrent booking waits here and then sees
    # this one's redemption (READ COMMITTED reads the latest commit per statement)
    if voucher.max_uses is not None and voucher_uses(voucher=voucher, now=now) >= voucher.max_uses:
        raise _refuse(f"The voucher {code!r} has been used up.", "voucher_used_up", code)
    return VoucherUse(voucher=voucher, pricing=pricing)


def record_redemption(*, use: VoucherUse, booking, discount: Decimal) -> VoucherRedemption:
    return VoucherRedemption.objects.create(voucher=use.voucher, booking=booking, discount=discount)
