"""roles.version: a role's ETag, so PATCH/DELETE /api/auth/roles/{id} can honour If-Match (#15)

Revision ID: 9e4b1c7d2f60
Revises: 5c2d7e41a9b3
Create Date: 2026-12-08 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '9e4b1c7d2f60'
down_revision: str | None = '5c2d7e41a9b3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('roles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('roles', schema=None) as batch_op:
        batch_op.drop_column('version')
