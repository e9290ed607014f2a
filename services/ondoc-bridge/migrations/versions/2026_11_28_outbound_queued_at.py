"""outbound_queued_at: when an outbound item's pending state was queued (retries keep it)

Revision ID: 7c3e9a51d2b4
Revises: 194d1f39d1ef
Create Date: 2026-11-28 09:00:00.000000+00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import clinic_shared.db


# revision identifiers, used by Alembic.
revision: str = '7c3e9a51d2b4'
down_revision: str | None = '194d1f39d1ef'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbound_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queued_at', clinic_shared.db.UTCDateTime(timezone=True), nullable=True))
    # Existing rows: the best known queueing time is their last change.
    op.execute('UPDATE outbound_items SET queued_at = updated_at')
    with op.batch_alter_table('outbound_items', schema=None) as batch_op:
        batch_op.alter_column('queued_at', existing_type=clinic_shared.db.UTCDateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('outbound_items', schema=None) as batch_op:
        batch_op.drop_column('queued_at')
