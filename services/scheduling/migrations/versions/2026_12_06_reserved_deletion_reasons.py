"""reserved deletion reasons (OND-5) and the patient's own cancellation text

Cancellations by a patient (from ONDOC, from the website widget) always go through, even when
a deletion reason is required: they carry one of two reserved reasons, created here and never
deletable, plus the patient's own words in `appointments.deletion_comment`.

Revision ID: 9d2e4f6a8b13
Revises: 5c0f3a9e2b71
Create Date: 2026-12-06 03:50:00
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import clinic_shared.db

revision: str = "9d2e4f6a8b13"
down_revision: str | None = "5c0f3a9e2b71"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESERVED = (
    ("ondoc_patient", "Отменена пациентом в ONDOC"),
    ("online_patient", "Отменена пациентом на сайте"),
)


def upgrade() -> None:
    with op.batch_alter_table("deletion_reasons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("reserved", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_unique_constraint(batch_op.f("uq_deletion_reasons_code"), ["code"])
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deletion_comment", sa.String(length=500), nullable=True))
    table = sa.table(
        "deletion_reasons",
        sa.column("id", clinic_shared.db.GUID(length=36)),
        sa.column("name", sa.String(length=200)),
        sa.column("code", sa.String(length=50)),
        sa.column("reserved", sa.Boolean()),
        sa.column("active", sa.Boolean()),
        sa.column("created_at", clinic_shared.db.UTCDateTime(timezone=True)),
        sa.column("updated_at", clinic_shared.db.UTCDateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        table,
        [
            {
                "id": uuid.uuid4(),
                "name": name,
                "code": code,
                "reserved": True,
                "active": True,
                "created_at": now,
                "updated_at": now,
            }
            for code, name in RESERVED
        ],
    )


def downgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE appointments SET deletion_reason_id = NULL WHERE deletion_reason_id IN "
            "(SELECT id FROM deletion_reasons WHERE reserved)"
        )
    )
    op.execute(sa.text("DELETE FROM deletion_reasons WHERE reserved"))
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_column("deletion_comment")
    with op.batch_alter_table("deletion_reasons", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_deletion_reasons_code"), type_="unique")
        batch_op.drop_column("reserved")
        batch_op.drop_column("code")
