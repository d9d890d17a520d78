"""The counter's print log: every receipt, ticket and report print job and its outcome.

Written by the print controller (`enturf_pos.ui.printing`) after each job, off the UI
thread; read by the print log dialog. Local only: it says what came out of this
counter's printers (a reprint is marked COPY on paper and `copy` here)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select

from enturf_pos.models import LocalSale, PrintLogEntry
from enturf_pos.services import people
from enturf_pos.services.session.pos_context import PosContext


class PrintKind(StrEnum):
    RECEIPT = "receipt"
    TICKETS = "tickets"
    REPORT = "report"
    DRAWER = "drawer"  # the cash drawer's kick pulse (ESC/POS receipt printer)


class PrintOutcome(StrEnum):
    PRINTED = "printed"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class PrintLogRow:
    id: uuid.UUID
    at: datetime
    kind: str
    title: str
    sale_id: uuid.UUID | None
    booking_code: str
    copy: bool
    user: str
    printer: str
    pages: int
    outcome: str
    message: str


def record(
    *,
    ctx: PosContext,
    kind: str,
    title: str,
    sale_id: uuid.UUID | None,
    copy: bool,
    user: str,
    printer: str,
    outcome: PrintOutcome,
    pages: int = 0,
    message: str = "",
) -> uuid.UUID:
    entry = PrintLogEntry(
        kind=str(kind)[:20],
        title=title[:200],
        sale_id=sale_id,
        copy=copy,
        user=user[:150],
        printer=printer[:300],
        pages=pages,
        outcome=str(outcome),
        message=message[:500],
    )
    with ctx.db.transaction() as session:
        session.add(entry)
        session.flush()
        return entry.id


def entries(
    *, ctx: PosContext, sale_id: uuid.UUID | None = None, limit: int = 200
) -> list[PrintLogRow]:
    """The latest jobs first (of one sale when `sale_id` is given)."""
    query = (
        select(PrintLogEntry, LocalSale.code)
        .outerjoin(LocalSale, LocalSale.id == PrintLogEntry.sale_id)
        .order_by(PrintLogEntry.created_at.desc())
        .limit(limit)
    )
    if sale_id is not None:
        query = query.where(PrintLogEntry.sale_id == sale_id)
    with ctx.db.transaction() as session:
        found = session.execute(query).all()
        names = people.display_names(session, (e.user for e, _code in found))
        return [
            PrintLogRow(
                id=e.id,
                at=e.created_at,
                kind=e.kind,
                title=e.title,
                sale_id=e.sale_id,
                booking_code=code or "",
                copy=e.copy,
                user=names[e.user],
                printer=e.printer,
                pages=e.pages,
                outcome=e.outcome,
                message=e.message,
            )
            for e, code in found
        ]


def was_printed(*, ctx: PosContext, sale_id: uuid.UUID, kind: str) -> bool:
    """Whether this sale's receipt (or tickets) already came out of a printer here."""
    query = select(PrintLogEntry.id).where(
        PrintLogEntry.sale_id == sale_id,
        PrintLogEntry.kind == str(kind),
        PrintLogEntry.outcome == PrintOutcome.PRINTED.value,
    )
    with ctx.db.transaction() as session:
        return session.scalar(query.limit(1)) is not None
