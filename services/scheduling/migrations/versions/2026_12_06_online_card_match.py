"""website bookings matched to cards (OND-4): the review flag, and the projection's match indexes

A website booking whose name, birth date and phone are exactly one card's is linked to it; one
left primary because several cards match or one matches only partly carries
`appointments.card_match` ("ambiguous" | "partial") until a receptionist links a card. The
patients projection is searched by phone or birth date for that, hence the two indexes.

Revision ID: b7c1d2e3f405
Revises: 9d2e4f6a8b13
Create Date: 2026-12-06 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7c1d2e3f405"
down_revision: str | None = "9d2e4f6a8b13"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("card_match", sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f("ix_appointments_card_match"), ["card_match"], unique=False)
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patients_birth_date"), ["birth_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_patients_mobile_phone"), ["mobile_phone"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patients_mobile_phone"))
        batch_op.drop_index(batch_op.f("ix_patients_birth_date"))
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointments_card_match"))
        batch_op.drop_column("card_match")
