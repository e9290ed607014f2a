"""appointment numbers from a PostgreSQL sequence

A counter row is locked by every booking until its transaction ends, which serialises all
bookings of the clinic. A sequence hands out numbers without a lock (gaps after a refused
booking are fine: numbers must be unique, not gapless). SQLite keeps the counter row:
its writers are serialised anyway.

Revision ID: 7b1e2c3d4f50
Revises: dcd66950e2a9
Create Date: 2026-11-27 18:35:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = "7b1e2c3d4f50"
down_revision: str | None = "dcd66950e2a9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE SEQUENCE IF NOT EXISTS appointment_number_seq")
    # Continue after what the counter row already handed out.
    op.execute(
        "SELECT setval('appointment_number_seq', "
        "GREATEST(1, COALESCE((SELECT value FROM counters WHERE name = 'appointment_number'), 0)), "
        "COALESCE((SELECT value FROM counters WHERE name = 'appointment_number'), 0) > 0)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP SEQUENCE IF EXISTS appointment_number_seq")
