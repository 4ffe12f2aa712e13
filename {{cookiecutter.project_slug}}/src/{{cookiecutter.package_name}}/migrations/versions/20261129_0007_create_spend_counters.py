"""Create spend_counters, the budget ledger shared by workers and replicas.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "spend_counters",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("spent_usd", sa.Numeric(precision=18, scale=9), nullable=False),
        sa.Column("reserved_usd", sa.Numeric(precision=18, scale=9), nullable=False),
        sa.PrimaryKeyConstraint("day", "scope", name=op.f("pk_spend_counters")),
    )


def downgrade() -> None:
    op.drop_table("spend_counters")
