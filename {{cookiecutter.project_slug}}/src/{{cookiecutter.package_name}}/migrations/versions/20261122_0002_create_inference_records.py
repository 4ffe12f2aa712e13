"""Create inference_records.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inference_records",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("task", sa.String(length=100), nullable=True),
        sa.Column("alias", sa.String(length=100), nullable=False),
        sa.Column("deployment", sa.String(length=100), nullable=False),
        sa.Column("served_model", sa.String(length=200), nullable=False),
        sa.Column("prompt_version", sa.String(length=100), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("input_tokens", sa.Integer(), nullable=False),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Numeric(precision=14, scale=8), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inference_records")),
    )
    with op.batch_alter_table("inference_records") as batch_op:
        batch_op.create_index(batch_op.f("ix_inference_records_call_id"), ["call_id"])
        batch_op.create_index(batch_op.f("ix_inference_records_created_at"), ["created_at"])
        batch_op.create_index(batch_op.f("ix_inference_records_request_id"), ["request_id"])


def downgrade() -> None:
    with op.batch_alter_table("inference_records") as batch_op:
        batch_op.drop_index(batch_op.f("ix_inference_records_request_id"))
        batch_op.drop_index(batch_op.f("ix_inference_records_created_at"))
        batch_op.drop_index(batch_op.f("ix_inference_records_call_id"))
    op.drop_table("inference_records")
