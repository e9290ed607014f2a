"""employee_card_number: employees keep the card's human number; stored phones normalised

Revision ID: 7c1f4e2a9b30
Revises: 2488b41a4630
Create Date: 2026-12-06 09:00:00.000000+00:00

`card_number` is nullable and not filled here (a migration cannot ask patients): rows written
before this revision get their number from the next `patient.updated` event of their card, or
from the first export of their exam, which asks patients for the numbers it lacks and stores
them (cells stay empty while patients cannot tell).

Phones imported from Excel used to be stored as typed; they become E.164 digits like the card's
("8 843 555 12 12" → "78435551212") with CLINIC_PHONE_REGION (default RU), as the service now
does. A value that is no phone (none should be: patients refused such cards) is left as it was.
"""
import os
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import clinic_shared.db
from clinic_shared.phones import InvalidPhone, normalize_phone

# revision identifiers, used by Alembic.
revision: str = '7c1f4e2a9b30'
down_revision: str | None = '2488b41a4630'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def upgrade() -> None:
    # Nullable, so SQLite adds it in place (no table copy).
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('card_number', sa.String(length=20), nullable=True))
    _normalise_phones()


def _normalise_phones() -> None:
    import phonenumbers

    region = os.environ.get('CLINIC_PHONE_REGION', 'RU').strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        return  # the service refuses to start with such a region anyway
    employees = sa.table(
        'employees',
        sa.column('id', clinic_shared.db.GUID(length=36)),
        sa.column('phone', sa.String(length=32)),
    )
    bind = op.get_bind()
    last = None
    while True:
        query = sa.select(employees.c.id, employees.c.phone).where(employees.c.phone.is_not(None))
        if last is not None:
            query = query.where(employees.c.id > last)
        rows = bind.execute(query.order_by(employees.c.id).limit(BATCH)).all()
        if not rows:
            return
        changed = []
        for row_id, phone in rows:
            try:
                clean = normalize_phone(phone, region)
            except InvalidPhone:
                continue
            if clean != phone:
                changed.append({'row_id': row_id, 'clean': clean})
        if changed:
            bind.execute(
                employees.update().where(employees.c.id == sa.bindparam('row_id')).values(phone=sa.bindparam('clean')),
                changed,
            )
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_column('card_number')
