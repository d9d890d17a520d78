"""Gap-free invoice numbers: one counter row per series and year, locked while issuing.

`next_number` must run inside the transaction that creates the invoice. The counter row
is locked (`SELECT ... FOR UPDATE`) until that transaction ends, so concurrent issuers
queue on it; the counter and the invoice commit or roll back together, so a number is
never lost (a rolled-back invoice gives its number back) and never handed out twice.
"""

from __future__ import annotations

import os
from datetime import datetime

from django.conf import settings
from django.db import transaction

from enturf_server.catalog.local_time import local
from enturf_server.invoicing.models import InvoiceKind, InvoiceSequence

DEFAULT_SERIES = {InvoiceKind.INVOICE: "INV", InvoiceKind.CREDIT_NOTE: "CRN"}
_SETTING = {
    InvoiceKind.INVOICE: "ENTURF_INVOICE_SERIES",
    InvoiceKind.CREDIT_NOTE: "ENTURF_CREDIT_NOTE_SERIES",
}
NUMBER_DIGITS = 6


def series_for(kind: InvoiceKind) -> str:
    """The series of `kind`: Django setting, else environment variable, else INV / CRN."""
    name = _SETTING[kind]
    value = getattr(settings, name, None) or os.environ.get(name) or DEFAULT_SERIES[kind]
    value = value.strip().upper()
    if not value or len(value) > 20 or not value.replace("_", "").isalnum():
        raise ValueError(f"{name} must be 1-20 letters or digits, not {value!r}")
    return value


def year_of(moment: datetime) -> int:
    """The numbering year: the calendar year of `moment` in the venue's time zone."""
    return local(moment).year


def format_number(series: str, year: int, number: int) -> str:
    return f"{series}-{year}-{number:0{NUMBER_DIGITS}d}"


def next_number(*, series: str, year: int) -> int:
    """Allocate the next number of `series` in `year`; call inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the issuing transaction")
    # create the counter once; a concurrent creator wins and this is a no-op
    InvoiceSequence.objects.bulk_create(
        [InvoiceSequence(series=series, year=year, last_number=0)], ignore_conflicts=True
    )
    sequence = InvoiceSequence.objects.select_for_update().get(series=series, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number
