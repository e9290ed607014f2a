"""Template parameters and previews (NOT-4)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.errors import NotFound, ValidationFailed
from notifier.config.service import load_config
from notifier.context import NotifierContext
from notifier.planning import rules
from notifier.projections import service as projections
from notifier.schedules import service as schedule_service
from notifier.schedules.schemas import PreviewRead, PreviewRequest
from notifier.templates.catalogue import PARAMETERS, parameter, sample_values
from notifier.templates.rendering import render
from notifier.templates.schemas import TemplateParameterRead
from notifier.templates.sms import sms_info
from notifier.templates.values import RenderData, template_values


def list_parameters() -> list[TemplateParameterRead]:
    """Every parameter with its description and the message kinds that fill it."""
    return [
        TemplateParameterRead(
            name=p.name, token=p.token, description=p.description, example=p.example, provided_by=list(p.provided_by)
        )
        for p in PARAMETERS
    ]


async def preview(
    session: AsyncSession, *, schedule_id: uuid.UUID, request: PreviewRequest, context: NotifierContext
) -> PreviewRead:
    """Render a schedule's template for a real appointment or patient, or for sample values."""
    schedule = await schedule_service.get_schedule(session, schedule_id)
    config = await load_config(session, fakes=context.settings.notifier_fakes)
    values: dict[str, str | None]
    if request.appointment_id is not None:
        appointment = (await projections.appointments_by_id(session, [request.appointment_id])).get(
            request.appointment_id
        )
        if appointment is None:
            raise NotFound(f"The notifier knows no appointment {request.appointment_id}.", field="appointment_id")
        patient_id = appointment.patient_id or request.patient_id
        patient = (await projections.patients_by_id(session, [patient_id])).get(patient_id) if patient_id else None
        card = (await projections.latest_discount_cards(session, [patient_id])).get(patient_id) if patient_id else None
        values = template_values(RenderData(config, patient, appointment, card), context.tz)
    elif request.patient_id is not None:
        patient = (await projections.patients_by_id(session, [request.patient_id])).get(request.patient_id)
        if patient is None:
            raise NotFound(f"The notifier knows no patient {request.patient_id}.", field="patient_id")
        card = (await projections.latest_discount_cards(session, [patient.id])).get(patient.id)
        birthday = None
        if patient.birth_date is not None:
            birthday = rules.birthday_in_year(patient.birth_date, context.now().astimezone(context.tz).year)
        values = template_values(RenderData(config, patient, None, card, birthday=birthday), context.tz)
    else:
        values = {**sample_values(), "ClinicName": config.clinic_name or sample_values()["ClinicName"]}
    for name, value in (request.sample or {}).items():
        known = parameter(name)
        if known is None:
            raise ValidationFailed.field(f"sample.{name}", "is not a template parameter", "unknown_parameter")
        values[known.name] = value
    text = render(schedule.template, values)
    subject = render(schedule.subject, values) if schedule.subject else None
    info = sms_info(text)
    return PreviewRead(
        text=text,
        subject=subject,
        channel=schedule.channel,  # type: ignore[arg-type]  # a text column holding only the schema's values (the service writes no other)
        encoding=info.encoding,
        length=info.length,
        characters=info.characters,
        segments=info.segments,
        values={k: v for k, v in values.items() if v not in (None, "")},
    )
