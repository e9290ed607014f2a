"""settings_version: a version counter on the lab settings (their ETag, #15); orders by updated_at

Revision ID: 6e2c9b7d4a31
Revises: 3f6a9d2e8b14
Create Date: 2026-12-10 09:00:00.000000+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "6e2c9b7d4a31"
down_revision: str | None = "3f6a9d2e8b14"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The settings row had no updated_at until first changed, so it gets a counter for its ETag.
    with op.batch_alter_table("lab_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    # GET /orders?updated_since= (clients that poll) reads orders by their last change.
    op.create_index("ix_lab_orders_updated_at", "lab_orders", ["updated_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_lab_orders_updated_at", table_name="lab_orders")
    with op.batch_alter_table("lab_settings", schema=None) as batch_op:
        batch_op.drop_column("version")
