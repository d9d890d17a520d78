"""card attempts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import enturf_pos.models.column_types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "card_attempts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", enturf_pos.models.column_types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", enturf_pos.models.column_types.UTCDateTime(), nullable=False),
        sa.Column("sale_id", sa.Uuid(), nullable=False),
        sa.Column("amount", enturf_pos.models.column_types.DecimalText(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("payment_intent", sa.String(length=255), server_default="", nullable=False),
        sa.Column("card_brand", sa.String(length=40), server_default="", nullable=False),
        sa.Column("card_last4", sa.String(length=4), server_default="", nullable=False),
        sa.Column("note", sa.String(length=300), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_attempts")),
    )
    with op.batch_alter_table("card_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_card_attempts_created_at"), ["created_at"])
        batch_op.create_index(batch_op.f("ix_card_attempts_sale_id"), ["sale_id"])
        batch_op.create_index(batch_op.f("ix_card_attempts_state"), ["state"])


def downgrade() -> None:
    with op.batch_alter_table("card_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_card_attempts_state"))
        batch_op.drop_index(batch_op.f("ix_card_attempts_sale_id"))
        batch_op.drop_index(batch_op.f("ix_card_attempts_created_at"))
    op.drop_table("card_attempts")
