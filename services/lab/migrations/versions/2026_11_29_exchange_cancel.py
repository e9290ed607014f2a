"""exchange_cancel: the cancellation of an order the lab acknowledged is delivered like the order

Revision ID: 9c3e7a41d2b5
Revises: 5b8d2f0c6a17
Create Date: 2026-11-29 09:00:00.000000+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import clinic_shared.db


# revision identifiers, used by Alembic.
revision: str = "9c3e7a41d2b5"
down_revision: str | None = "5b8d2f0c6a17"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # All nullable, so SQLite adds them in place (no table copy under the lab_orders foreign key).
    with op.batch_alter_table("exchange_queue", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancel_state", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("cancel_attempts", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("cancel_next_attempt_at", clinic_shared.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("cancel_queued_at", clinic_shared.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("cancel_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("cancel_last_error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("cancel_refusal", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("cancel_done_at", clinic_shared.db.UTCDateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_exchange_queue_cancel_state_next_attempt_at",
        "exchange_queue",
        ["cancel_state", "cancel_next_attempt_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_exchange_queue_cancel_state_next_attempt_at", table_name="exchange_queue")
    with op.batch_alter_table("exchange_queue", schema=None) as batch_op:
        for column in (
            "cancel_done_at",
            "cancel_refusal",
            "cancel_last_error",
            "cancel_reason",
            "cancel_queued_at",
            "cancel_next_attempt_at",
            "cancel_attempts",
            "cancel_state",
        ):
            batch_op.drop_column(column)
