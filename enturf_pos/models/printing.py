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
