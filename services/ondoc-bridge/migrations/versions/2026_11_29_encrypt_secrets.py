"""encrypt_secrets: ONDOC tokens and callback secrets encrypted at rest

Revision ID: 9d4f2a6b8c13
Revises: 7c3e9a51d2b4
Create Date: 2026-11-29 09:00:00.000000+00:00

The columns become TEXT (ciphertext is longer than the 500 characters a token may have; the
JSON list of callback secrets becomes one encrypted JSON text), then the row saved before this
revision is encrypted with the first key of CLINIC_SECRETS_KEY (embedded mode: the key under
the data dir). A fresh database has no row, so it migrates without a key.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from clinic_shared.secretbox import decrypt_values, encrypt_clear_values

# revision identifiers, used by Alembic.
revision: str = '9d4f2a6b8c13'
down_revision: str | None = '7c3e9a51d2b4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENCRYPTED = ['company_token', 'branch_token', 'callback_secrets']


def upgrade() -> None:
    with op.batch_alter_table('ondoc_config', schema=None) as batch_op:
        batch_op.alter_column('company_token', existing_type=sa.String(length=500), type_=sa.Text(), existing_nullable=True)
        batch_op.alter_column('branch_token', existing_type=sa.String(length=500), type_=sa.Text(), existing_nullable=True)
        batch_op.alter_column(
            'callback_secrets',
            existing_type=sa.JSON(),
            type_=sa.Text(),
            existing_nullable=False,
            postgresql_using='callback_secrets::text',
        )
    encrypt_clear_values(op.get_bind(), 'ondoc_config', ENCRYPTED)


def downgrade() -> None:
    decrypt_values(op.get_bind(), 'ondoc_config', ENCRYPTED)
    with op.batch_alter_table('ondoc_config', schema=None) as batch_op:
        batch_op.alter_column(
            'callback_secrets',
            existing_type=sa.Text(),
            type_=sa.JSON(),
            existing_nullable=False,
            postgresql_using='callback_secrets::json',
        )
        batch_op.alter_column('branch_token', existing_type=sa.Text(), type_=sa.String(length=500), existing_nullable=True)
        batch_op.alter_column('company_token', existing_type=sa.Text(), type_=sa.String(length=500), existing_nullable=True)
