"""Labels of an order's samples, sized by the workstation's printer (LAB-5)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.errors import NotFound
from lab.containers import container_name
from lab.labels.zpl import LabelData, LabelSize, render_labels
from lab.orders.models import LabOrder
from lab.orders.repository import OrderRepository
from lab.preferences import service as preferences_service
from lab.text import short_name


async def label_size(session: AsyncSession, *, workstation_id: str | None) -> LabelSize:
    """The workstation's label size; the default 50 × 30 mm at 203 dpi without one."""
    printer = await preferences_service.find_printer(session, workstation_id=workstation_id)
    if printer is None:
        return LabelSize()
    return LabelSize(dpi=printer.dpi, width_mm=printer.label_width_mm, height_mm=printer.label_height_mm)


async def order_labels(
    session: AsyncSession, *, order: LabOrder, workstation_id: str | None, sample_id: uuid.UUID | None = None
) -> str:
    """ZPL of every sample of the order, or of one sample."""
    samples = list(await OrderRepository(session).samples(order.id))
    if sample_id is not None:
        samples = [s for s in samples if s.id == sample_id]
        if not samples:
            raise NotFound(f"Sample {sample_id} not found in order {order.id}.")
    name = short_name(order.patient_last_name, order.patient_first_name, order.patient_middle_name)
    labels = [
        LabelData(
            barcode=sample.barcode,
            patient_name=name,
            birth_date=order.patient_birth_date,
            order_number=order.number,
            container_type=container_name(sample.container_type),
        )
        for sample in samples
    ]
    size = await label_size(session, workstation_id=workstation_id or order.workstation_id)
    return render_labels(labels, size)
