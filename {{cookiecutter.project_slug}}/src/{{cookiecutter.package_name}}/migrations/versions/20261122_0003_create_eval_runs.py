"""Create eval_runs and eval_case_results.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "eval_runs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("suite", sa.String(length=100), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("git_sha", sa.String(length=64), nullable=True),
        sa.Column("model_config_sha256", sa.String(length=64), nullable=False),
        sa.Column("prompt_versions", sa.JSON(), nullable=False),
        sa.Column("pass_rate", sa.Float(), nullable=True),
        sa.Column("error_rate", sa.Float(), nullable=False),
        sa.Column("gate_passed", sa.Boolean(), nullable=False),
        sa.Column("exit_code", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eval_runs")),
    )
    with op.batch_alter_table("eval_runs") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_eval_runs_model_config_sha256"), ["model_config_sha256"]
        )
        batch_op.create_index(batch_op.f("ix_eval_runs_suite"), ["suite"])
    op.create_table(
        "eval_case_results",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.String(length=200), nullable=False),
        sa.Column("repeat", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("error_kind", sa.String(length=64), nullable=True),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=True),
        sa.Column("cost_usd", sa.Numeric(precision=14, scale=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["eval_runs.id"],
            name=op.f("fk_eval_case_results_run_id_eval_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eval_case_results")),
    )
    with op.batch_alter_table("eval_case_results") as batch_op:
        batch_op.create_index(batch_op.f("ix_eval_case_results_run_id"), ["run_id"])


def downgrade() -> None:
    with op.batch_alter_table("eval_case_results") as batch_op:
        batch_op.drop_index(batch_op.f("ix_eval_case_results_run_id"))
    op.drop_table("eval_case_results")
    with op.batch_alter_table("eval_runs") as batch_op:
        batch_op.drop_index(batch_op.f("ix_eval_runs_suite"))
        batch_op.drop_index(batch_op.f("ix_eval_runs_model_config_sha256"))
    op.drop_table("eval_runs")
