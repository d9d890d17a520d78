"""Card payments taken at this counter: one row per attempt, written before the gateway
hears of it, so a crash at any step can be reconciled (`services.payments.card_payments`)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from enturf_pos.models.base import Base
from enturf_pos.models.column_types import created_now, updated_now, uuid_pk


class CardAttempt(Base):
    """A card payment for the sale `sale_id` (the booking id, `metadata[booking]`).

    `id` is the local id the gateway knows the payment by (`metadata[local_id]`,
    idempotency keys `<id>:create`, `<id>:capture`...). `state`: ``open`` until it is
    settled, then ``captured`` (the sale stands) or ``canceled`` (no money taken).
    Only gateway ids, brand and last four digits are kept, never card data."""

    __tablename__ = "card_attempts"

    id: Mapped[uuid_pk]
    created_at: Mapped[created_now] = mapped_column(index=True)
    updated_at: Mapped[updated_now]
    sale_id: Mapped[uuid.UUID] = mapped_column(index=True)
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(20), default="open", index=True)
    payment_intent: Mapped[str] = mapped_column(String(255), default="", server_default="")
    card_brand: Mapped[str] = mapped_column(String(40), default="", server_default="")
    card_last4: Mapped[str] = mapped_column(String(4), default="", server_default="")
    note: Mapped[str] = mapped_column(String(300), default="", server_default="")
