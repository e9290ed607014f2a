"""encrypt_settings: the settings document (provider passwords, tokens) encrypted at rest

Revision ID: 5b1e0c7d9a42
Revises: 065fc6108db9
Create Date: 2026-11-29 09:00:00.000000+00:00

The column stays TEXT; a row saved before this revision is encrypted with the first key of
CLINIC_SECRETS_KEY (embedded mode: the key under the data dir). A fresh database has no row,
so it migrates without a key.
"""
from collections.abc import Sequence

from alembic import op

from clinic_shared.secretbox import decrypt_values, encrypt_clear_values

# revision identifiers, used by Alembic.
revision: str = '5b1e0c7d9a42'
down_revision: str | None = '065fc6108db9'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    encrypt_clear_values(op.get_bind(), 'notifier_settings', ['data'])


def downgrade() -> None:
    decrypt_values(op.get_bind(), 'notifier_settings', ['data'])
