"""exchange_queued_at: when an order was (last) queued for its lab; send retries keep it

Revision ID: 5b8d2f0c6a17
Revises: 84f06e3eddcd
Create Date: 2026-11-28 09:00:00.000000+00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import clinic_shared.db


# revision identifiers, used by Alembic.
revision: str = '5b8d2f0c6a17'
down_revision: str | None = '84f06e3eddcd'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, so SQLite adds it in place (no table copy under the lab_orders foreign key).
    with op.batch_alter_table('exchange_queue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queued_at', clinic_shared.db.UTCDateTime(timezone=True), nullable=True))
    # Existing rows: the best known queueing time is their creation.
    op.execute('UPDATE exchange_queue SET queued_at = created_at')


def downgrade() -> None:
    with op.batch_alter_table('exchange_queue', schema=None) as batch_op:
        batch_op.drop_column('queued_at')
