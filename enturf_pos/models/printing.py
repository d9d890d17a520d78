"""What this counter printed: the print log (receipts, tickets, reports; reprints too)."""

from __future__ import annotations

import uuid

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from enturf_pos.models.base import Base
from enturf_pos.models.column_types import bool_false, created_now, uuid_pk


class PrintLogEntry(Base):
    """One print job at this counter and how it ended.

    `kind` is receipt, tickets or report; `sale_id` the local sale it printed (none for
    a report); `copy` whether it was a reprint marked COPY; `outcome` printed, failed
    or cancelled (the print dialog was closed), `message` why it failed."""

    __tablename__ = "print_log"

    id: Mapped[uuid_pk]
    created_at: Mapped[created_now] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    sale_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    copy: Mapped[bool_false]
    user: Mapped[str] = mapped_column(String(150), default="", server_default="")
    printer: Mapped[str] = mapped_column(String(300), default="", server_default="")
    pages: Mapped[int] = mapped_column(default=0, server_default="0")
    outcome: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(String(500), default="", server_default="")


class DrawerOpening(Base):
    """The cash drawer opened at this counter (its kick pulse sent through the receipt
    printer), for the audit: `reason` sale (a cash sale), refund (cash given back),
    no_sale (a manager's "open drawer") or test (Printers…); `user` who asked,
    `approved_by` the administrator who approved a no-sale opening; `shift_id` the shift
    open then; `outcome` printed (the printer took the pulse) or failed, `message` why."""

    __tablename__ = "drawer_openings"

    id: Mapped[uuid_pk]
    created_at: Mapped[created_now] = mapped_column(index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(300), default="", server_default="")
    user: Mapped[str] = mapped_column(String(150), default="", server_default="")
    approved_by: Mapped[str] = mapped_column(String(150), default="", server_default="")
    shift_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    sale_id: Mapped[uuid.UUID | None]
    printer: Mapped[str] = mapped_column(String(300), default="", server_default="")
    outcome: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(String(500), default="", server_default="")
