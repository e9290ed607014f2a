"""organization_access: users limited to chosen organisations (PRO-8, «Права пользователей. Профосмотр»)

Revision ID: 9d2b6f3e1a58
Revises: 3e8a5d1c7f42
Create Date: 2026-12-06 09:20:00.000000+00:00

No user has an entry yet, so everyone keeps seeing every organisation until one is set.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import clinic_shared.db


# revision identifiers, used by Alembic.
revision: str = '9d2b6f3e1a58'
down_revision: str | None = '3e8a5d1c7f42'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('user_access',
    sa.Column('user_id', clinic_shared.db.GUID(length=36), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('updated_at', clinic_shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', clinic_shared.db.GUID(length=36), nullable=True),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user_access'))
    )
    op.create_table('user_access_organizations',
    sa.Column('user_id', clinic_shared.db.GUID(length=36), nullable=False),
    sa.Column('organization_id', clinic_shared.db.GUID(length=36), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_user_access_organizations_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_access.user_id'], name=op.f('fk_user_access_organizations_user_id_user_access'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'organization_id', name=op.f('pk_user_access_organizations'))
    )
    with op.batch_alter_table('user_access_organizations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_access_organizations_organization_id'), ['organization_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('user_access_organizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_access_organizations_organization_id'))

    op.drop_table('user_access_organizations')
    op.drop_table('user_access')
