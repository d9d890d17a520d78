"""Vouchers made in bulk: up to 500 codes with the rules of one voucher (percent or fixed,
validity, uses, events and tickets), in one transaction with bulk inserts, tagged with a
batch to find them again.

Codes are a prefix and 12 characters drawn by `secrets` from 31 that are not easily
confused (no 0/O, 1/I/L): about 59 bits each, so a code cannot be guessed from another one
of the batch. Codes already taken (case-insensitively) are drawn again before the insert;
the unique index settles a race.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.functions import Upper
from django.utils import timezone

from enturf_server.api.errors import Conflict, ServiceError
from enturf_server.audit.services import record
from enturf_server.billing.models import Voucher
from enturf_server.billing.services.vouchers import EDITABLE_FIELDS, check_rules
from enturf_server.catalog.models import Event, Ticket

MAX_COUNT = 500
MAX_LINKS = 50_000  # voucher-event and voucher-ticket rows one batch may insert
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_LENGTH = 12


def new_code(prefix: str) -> str:
    return prefix + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))


def _fresh_codes(prefix: str, count: int) -> list[str]:
    """`count` new codes, none already taken (drawn again until so)."""
    codes: set[str] = set()
    while len(codes) < count:
        drawn = {new_code(prefix) for _ in range(count - len(codes))} - codes
        taken = set(
            Voucher.objects.annotate(upper=Upper("code"))
            .filter(upper__in=[c.upper() for c in drawn])
            .values_list("upper", flat=True)
        )
        codes |= {c for c in drawn if c.upper() not in taken}
    return sorted(codes)


def _batch_tag(prefix: str, now: datetime) -> str:
    head = prefix.rstrip("-") or "batch"
    return f"{head}-{timezone.localtime(now):%Y%m%d}-{secrets.token_hex(3)}"


def create_vouchers_in_bulk(
    *,
    actor,
    count: int,
    data: dict[str, Any],
    prefix: str = "",
    batch: str = "",
    events: Sequence[Event] = (),
    tickets: Sequence[Ticket] = (),
) -> tuple[str, list[Voucher]]:
    """Create `count` vouchers (1..500) with the rules in `data`; (batch, vouchers)."""
    if not 1 <= count <= MAX_COUNT:
        raise ServiceError(f"Make 1 to {MAX_COUNT} codes at once.", code="invalid")
    links = count * (len(events) + len(tickets))
    if links > MAX_LINKS:
        raise ServiceError(
            f"{count} codes limited to {len(events)} events and {len(tickets)} tickets would "
            f"make {links} links; at most {MAX_LINKS}: make fewer codes or name fewer events "
            "and tickets (none means all).",
            code="too_many_links",
        )
    now = timezone.now()
    prefix = prefix.strip().upper()
    template = Voucher(code="X", **{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    check_rules(template)  # the rules of a single voucher, refused with the same reasons
    batch = batch.strip() or _batch_tag(prefix, now)
    if Voucher.objects.filter(batch=batch).exists():
        raise Conflict(f"The batch {batch!r} already exists.", code="voucher_batch_taken")
    fields = {f: getattr(template, f) for f in EDITABLE_FIELDS if f != "code"}
    try:
        with transaction.atomic():
            made = Voucher.objects.bulk_create(
                [Voucher(code=code, batch=batch, **fields) for code in _fresh_codes(prefix, count)]
            )
            through_events = Voucher.events.through
            through_tickets = Voucher.tickets.through
            through_events.objects.bulk_create(
                [through_events(voucher_id=v.pk, event_id=e.pk) for v in made for e in events]
            )
            through_tickets.objects.bulk_create(
                [through_tickets(voucher_id=v.pk, ticket_id=t.pk) for v in made for t in tickets]
            )
            record(
                actor=actor,
                action="voucher.bulk_create",
                details={
                    "batch": batch,
                    "count": len(made),
                    "prefix": prefix,
                    "kind": template.kind,
                    "codes": [v.code for v in made],
                },
            )
    except IntegrityError:  # a code drawn here was taken meanwhile: nothing was made
        raise Conflict(
            "A code was taken while the batch was made; nothing was created, try again.",
            code="voucher_code_taken",
        ) from None
    return batch, made
