"""seat maps keep the venue's section ranks (best available)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 07:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("seat_maps") as batch:
        batch.add_column(sa.Column("section_ranks", sa.JSON(), server_default="{}", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("seat_maps") as batch:
        batch.drop_column("section_ranks")
