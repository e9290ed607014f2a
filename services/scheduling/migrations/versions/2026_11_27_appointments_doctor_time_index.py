"""appointments: (doctor_id, start_at, end_at, deleted) index instead of (doctor_id, start_at)

The free-time search merges a month of appointments per doctor in SQL (window functions
ordered by doctor, start, end) and reads only those columns and `deleted`. With all four in
the index PostgreSQL reads them from the index alone, already in that order, with no sort
and no table access. It replaces the (doctor_id, start_at) index, whose lookups it serves
just as well (same leading columns), so bookings maintain no extra index.

Revision ID: 5c0f3a9e2b71
Revises: 7b1e2c3d4f50
Create Date: 2026-11-27 20:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5c0f3a9e2b71"
down_revision: str | None = "7b1e2c3d4f50"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_appointments_doctor_id_start_at_end_at_deleted",
        "appointments",
        ["doctor_id", "start_at", "end_at", "deleted"],
    )
    op.drop_index("ix_appointments_doctor_id_start_at", table_name="appointments")


def downgrade() -> None:
    op.create_index("ix_appointments_doctor_id_start_at", "appointments", ["doctor_id", "start_at"])
    op.drop_index("ix_appointments_doctor_id_start_at_end_at_deleted", table_name="appointments")
