"""concurrency: sex endings get a version (their ETag), cards an index on updated_at (updated_since)

Revision ID: 4e7a1c2b9d63
Revises: bf68caf549c6
Create Date: 2026-12-08 09:00:00.000000+00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '4e7a1c2b9d63'
down_revision: str | None = 'bf68caf549c6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('sex_endings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cards_updated_at'), ['updated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cards_updated_at'))

    with op.batch_alter_table('sex_endings', schema=None) as batch_op:
        batch_op.drop_column('version')
