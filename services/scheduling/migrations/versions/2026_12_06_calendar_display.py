"""calendar display settings (SCH-19): the calendar's colours, non-working time, users' views

The clinic-wide part extends the one settings row: colours of working time, breaks and
non-working time, and whether non-working time is shown (the existing row gets the defaults).
Each user's own view (doctors shown, 1/3/7 days, their own non-working-time choice) is a row
of `user_calendar_views`, made on the user's first save. Day types keep their own colour in
their directory (`day_types.colour`).

Revision ID: c8d2e3f4a516
Revises: b7c1d2e3f405
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import clinic_shared.db

revision: str = "c8d2e3f4a516"
down_revision: str | None = "b7c1d2e3f405"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("booking_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("working_time_colour", sa.String(length=7), nullable=False, server_default="#FFFFFF")
        )
        batch_op.add_column(sa.Column("break_colour", sa.String(length=7), nullable=False, server_default="#FFD8A8"))
        batch_op.add_column(
            sa.Column("non_working_time_colour", sa.String(length=7), nullable=False, server_default="#E9ECEF")
        )
        batch_op.add_column(sa.Column("show_non_working_time", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "user_calendar_views",
        sa.Column("user_id", clinic_shared.db.GUID(length=36), nullable=False),
        sa.Column("doctor_ids", sa.JSON(), nullable=False),
        sa.Column("days_shown", sa.Integer(), nullable=False),
        sa.Column("show_non_working_time", sa.Boolean(), nullable=True),
        sa.Column("updated_at", clinic_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_calendar_views")),
    )


def downgrade() -> None:
    op.drop_table("user_calendar_views")
    with op.batch_alter_table("booking_settings", schema=None) as batch_op:
        batch_op.drop_column("show_non_working_time")
        batch_op.drop_column("non_working_time_colour")
        batch_op.drop_column("break_colour")
        batch_op.drop_column("working_time_colour")
