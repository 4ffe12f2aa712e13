"""Chain audit_events: seq, prev_hash and hash on every row.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

The service wrote no audit rows before this revision. Rows written by hand before it cannot be
chained after the fact without vouching for them, so the upgrade refuses a non-empty table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    rows = op.get_bind().execute(sa.text("SELECT COUNT(*) FROM audit_events")).scalar()
    if rows:
        msg = (
            f"audit_events holds {rows} unchained rows: export them, empty the table, upgrade,"
            " then re-record what must be kept (docs/security.md)"
        )
        raise RuntimeError(msg)
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.add_column(sa.Column("seq", sa.BigInteger(), nullable=False))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=False))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=False))
        batch_op.create_unique_constraint(batch_op.f("uq_audit_events_seq"), ["seq"])


def downgrade() -> None:
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_events_seq"), type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
