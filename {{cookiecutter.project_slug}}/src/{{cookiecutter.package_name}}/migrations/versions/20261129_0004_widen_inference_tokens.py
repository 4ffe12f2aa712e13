"""Widen inference_records token counts to 64 bits; add server_request_id.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inference_records") as batch_op:
        for column in ("input_tokens", "output_tokens"):
            batch_op.alter_column(
                column, existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=False
            )
        batch_op.add_column(sa.Column("server_request_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inference_records") as batch_op:
        batch_op.drop_column("server_request_id")
        for column in ("input_tokens", "output_tokens"):
            batch_op.alter_column(
                column, existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=False
            )
