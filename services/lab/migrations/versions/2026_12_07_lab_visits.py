"""lab_visits: the orders of one visit, announced together when all are done (LAB-9)

Revision ID: 3f6a9d2e8b14
Revises: 9c3e7a41d2b5
Create Date: 2026-12-07 09:00:00.000000+00:00

Every existing order joins the visit its key names (the appointment and patient, else the
charge, else the order itself — lab/visits/rules.py, copied here so this revision keeps doing
what it did). A visit whose orders are all done already counts as announced: its patient was
told through the per-order `lab_result.ready` before visits existed.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import clinic_shared.db

# revision identifiers, used by Alembic.
revision: str = "3f6a9d2e8b14"
down_revision: str | None = "9c3e7a41d2b5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def upgrade() -> None:
    op.create_table(
        "lab_visits",
        sa.Column("id", clinic_shared.db.GUID(length=36), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("patient_id", clinic_shared.db.GUID(length=36), nullable=False),
        sa.Column("appointment_id", clinic_shared.db.GUID(length=36), nullable=True),
        sa.Column("charge_id", clinic_shared.db.GUID(length=36), nullable=True),
        sa.Column("announced_completed", sa.Integer(), nullable=False),
        sa.Column("announcements", sa.Integer(), nullable=False),
        sa.Column("results_ready_at", clinic_shared.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", clinic_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", clinic_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab_visits")),
        sa.UniqueConstraint("key", name=op.f("uq_lab_visits_key")),
    )
    with op.batch_alter_table("lab_visits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lab_visits_appointment_id"), ["appointment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lab_visits_patient_id"), ["patient_id"], unique=False)
    # Nullable and without a foreign key, so SQLite adds it in place (no copy of lab_orders).
    with op.batch_alter_table("lab_orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visit_id", clinic_shared.db.GUID(length=36), nullable=True))
        batch_op.create_index(batch_op.f("ix_lab_orders_visit_id"), ["visit_id"], unique=False)
    _backfill(op.get_bind())


def _key(patient_id: uuid.UUID, order_id: uuid.UUID, appointment_id: uuid.UUID | None, charge_id: uuid.UUID | None) -> str:
    if appointment_id is not None:
        return f"appointment:{appointment_id.hex}:{patient_id.hex}"
    if charge_id is not None:
        return f"charge:{charge_id.hex}"
    return f"order:{order_id.hex}"


def _backfill(connection: sa.Connection) -> None:
    guid, moment = clinic_shared.db.GUID(), clinic_shared.db.UTCDateTime(timezone=True)
    orders = sa.table(
        "lab_orders",
        sa.column("id", guid),
        sa.column("patient_id", guid),
        sa.column("appointment_id", guid),
        sa.column("charge_id", guid),
        sa.column("status", sa.String()),
        sa.column("visit_id", guid),
    )
    visits = sa.table(
        "lab_visits",
        sa.column("id", guid),
        sa.column("key", sa.String()),
        sa.column("patient_id", guid),
        sa.column("appointment_id", guid),
        sa.column("charge_id", guid),
        sa.column("announced_completed", sa.Integer()),
        sa.column("announcements", sa.Integer()),
        sa.column("results_ready_at", moment),
        sa.column("version", sa.Integer()),
        sa.column("created_at", moment),
        sa.column("updated_at", moment),
    )
    rows = connection.execute(
        sa.select(orders.c.id, orders.c.patient_id, orders.c.appointment_id, orders.c.charge_id, orders.c.status)
    ).all()
    if not rows:
        return
    now = datetime.now(UTC)
    by_key: dict[str, dict] = {}
    assignments: list[dict] = []
    for row in rows:
        key = _key(row.patient_id, row.id, row.appointment_id, row.charge_id)
        visit = by_key.get(key)
        if visit is None:
            visit = by_key[key] = {
                "id": uuid.uuid4(),
                "key": key,
                "patient_id": row.patient_id,
                "appointment_id": row.appointment_id,
                "charge_id": row.charge_id if row.appointment_id is None else None,
                "statuses": [],
            }
        visit["statuses"].append(row.status)
        assignments.append({"order_id": row.id, "visit": visit["id"]})
    values = []
    for visit in by_key.values():
        statuses = visit.pop("statuses")
        completed = statuses.count("completed")
        settled = all(status in ("completed", "cancelled") for status in statuses)
        values.append(
            visit
            | {
                "announced_completed": completed if settled else 0,
                "announcements": 0,
                "results_ready_at": None,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    for start in range(0, len(values), BATCH):
        connection.execute(visits.insert(), values[start : start + BATCH])
    assign = (
        orders.update()
        .where(orders.c.id == sa.bindparam("order_id", type_=guid))
        .values(visit_id=sa.bindparam("visit", type_=guid))
    )
    for start in range(0, len(assignments), BATCH):
        connection.execute(assign, assignments[start : start + BATCH])


def downgrade() -> None:
    with op.batch_alter_table("lab_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lab_orders_visit_id"))
        batch_op.drop_column("visit_id")
    with op.batch_alter_table("lab_visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lab_visits_patient_id"))
        batch_op.drop_index(batch_op.f("ix_lab_visits_appointment_id"))
    op.drop_table("lab_visits")
