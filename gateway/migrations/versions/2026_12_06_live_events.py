"""live_events: the retention table of the live stream (gateway/live)

Revision ID: 5c2d7e41a9b3
Revises: 8fba86187aa9
Create Date: 2026-12-06 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import clinic_shared.db


revision: str = '5c2d7e41a9b3'
down_revision: str | None = '8fba86187aa9'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('live_events',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('event_id', clinic_shared.db.GUID(length=36), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('aggregate_id', sa.String(length=100), nullable=False),
    sa.Column('aggregate_version', sa.BigInteger(), nullable=False),
    sa.Column('occurred_at', clinic_shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('received_at', clinic_shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_live_events')),
    sa.UniqueConstraint('event_id', name=op.f('uq_live_events_event_id'))
    )
    with op.batch_alter_table('live_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_events_received_at'), ['received_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('live_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_events_received_at'))

    op.drop_table('live_events')
