"""report cache: the last answer of each report and filters, with its fetch time

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 15:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import enturf_pos.models.column_types

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_cache",
        sa.Column("report", sa.String(length=40), nullable=False),
        sa.Column("filters_key", sa.String(length=500), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("fetched_at", enturf_pos.models.column_types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("report", "filters_key", name=op.f("pk_report_cache")),
    )
    with op.batch_alter_table("report_cache", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_cache_fetched_at"), ["fetched_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("report_cache", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_cache_fetched_at"))
    op.drop_table("report_cache")
