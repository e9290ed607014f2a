"""Demo directories and schedules for embedded mode (`demo_data`): loaded once per database.

Two buildings, ten doctors of several specializations, cabinets, a price list, statuses with
colours ("Пришёл" marks processed), deletion reasons, record types, day types, and work
schedules for the next 14 days (weekdays 09:00–18:00, break 13:00–14:00).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.logging import get_logger
from scheduling.directories import models as m
from scheduling.localtime import clinic_today
from scheduling.schedules.models import WorkSchedule
from scheduling.seeds import claim_seed

log = get_logger(__name__)
DEMO_SEED = "demo_data"
SCHEDULE_DAYS = 14

BUILDINGS = (
    ("Корпус на Ленина", "г. Казань, ул. Ленина, д. 10", "+7 843 200-00-01"),
    ("Корпус на Гагарина", "г. Казань, ул. Гагарина, д. 25", "+7 843 200-00-02"),
)
DEPARTMENTS = ("Терапевтическое отделение", "Хирургическое отделение", "Стоматологическое отделение")
SPECIALIZATIONS = (
    "Терапевт",
    "Педиатр",
    "Кардиолог",
    "Невролог",
    "Хирург",
    "Стоматолог",
    "Офтальмолог",
    "Оториноларинголог",
    "Гинеколог",
)
# (name, building index, department index)
CABINETS = (("101", 0, 0), ("102", 0, 0), ("103", 0, 0), ("104", 0, 1), ("201", 1, 1), ("202", 1, 2), ("203", 1, 0))
# (last, first, middle, specializations, building index, department index, degree, online)
DOCTORS = (
    ("Смирнова", "Анна", "Сергеевна", ("Терапевт",), 0, 0, None, True),
    ("Кузнецов", "Дмитрий", "Иванович", ("Кардиолог", "Терапевт"), 0, 0, "к.м.н.", True),
    ("Попова", "Елена", "Викторовна", ("Педиатр",), 0, 0, None, True),
    ("Васильев", "Игорь", "Петрович", ("Невролог",), 0, 0, None, False),
    ("Петрова", "Ольга", "Николаевна", ("Офтальмолог",), 0, 0, None, True),
    ("Соколов", "Михаил", "Андреевич", ("Хирург",), 1, 1, "к.м.н.", False),
    ("Михайлова", "Татьяна", "Александровна", ("Гинеколог",), 1, 1, None, True),
    ("Новиков", "Алексей", "Владимирович", ("Стоматолог",), 1, 2, None, True),
    ("Фёдорова", "Наталья", "Олеговна", ("Оториноларинголог",), 1, 0, None, False),
    ("Морозов", "Сергей", "Евгеньевич", ("Терапевт",), 1, 0, "д.м.н.", True),
)
# (code, name, group, price, minutes)
SERVICES = (
    ("A01", "Приём терапевта первичный", "Консультации", "1800", 30),
    ("A02", "Приём терапевта повторный", "Консультации", "1500", 20),
    ("A03", "Приём кардиолога", "Консультации", "2500", 30),
    ("A04", "ЭКГ с расшифровкой", "Диагностика", "900", 15),
    ("A05", "Приём педиатра", "Консультации", "1700", 30),
    ("A06", "Приём невролога", "Консультации", "2200", 30),
    ("A07", "Приём офтальмолога", "Консультации", "2000", 30),
    ("A08", "Проверка остроты зрения", "Диагностика", "600", 15),
    ("A09", "Приём хирурга", "Консультации", "2000", 30),
    ("A10", "Перевязка", "Процедуры", "700", 15),
    ("A11", "Приём гинеколога", "Консультации", "2300", 30),
    ("A12", "УЗИ органов малого таза", "Диагностика", "2500", 30),
    ("A13", "Консультация стоматолога", "Стоматология", "1200", 30),
    ("A14", "Лечение кариеса", "Стоматология", "4500", 60),
    ("A15", "Приём оториноларинголога", "Консультации", "2000", 30),
)
STATUSES = (
    ("Записан", "#2F80ED", False),
    ("Подтверждён", "#27AE60", False),
    ("Пришёл", "#F48FB1", True),
    ("На приёме", "#9B51E0", False),
    ("Завершён", "#828282", False),
    ("Не пришёл", "#EB5757", False),
)
COMMUNICATION_STATUSES = ("Не звонили", "Дозвонились", "Не дозвонились", "Отправлено SMS", "Отправлено Email")
KINDS = ("Первичный приём", "Повторный приём", "Консультация", "Профосмотр")
INFO_SOURCES = ("Сайт клиники", "Рекомендация знакомых", "Реклама", "ONDOC", "Повторное обращение")
DELETION_REASONS = ("Пациент отменил запись", "Болезнь врача", "Ошибка записи", "Перенос по просьбе пациента")
DAY_TYPES = (("Обычный", "#FFFFFF"), ("Дежурный", "#FFF2CC"), ("Сокращённый", "#E2F0D9"), ("Выездной", "#DDEBF7"))


async def load_demo(session: AsyncSession, *, tz: ZoneInfo) -> bool:
    """Load the demo data unless this database has it already; True when loaded now."""
    if not await claim_seed(session, DEMO_SEED):
        return False
    buildings = [m.Building(id=uuid.uuid4(), name=n, address=a, phone=p) for n, a, p in BUILDINGS]
    departments = [m.Department(id=uuid.uuid4(), name=n) for n in DEPARTMENTS]
    specializations = {n: m.Specialization(id=uuid.uuid4(), name=n) for n in SPECIALIZATIONS}
    session.add_all([*buildings, *departments, *specializations.values()])
    # The tables have no ORM relationships between them: flush parents before children.
    await session.flush()
    session.add_all(
        m.Cabinet(id=uuid.uuid4(), name=n, building_id=buildings[b].id, department_id=departments[d].id)
        for n, b, d in CABINETS
    )
    doctors = [
        m.Doctor(
            id=uuid.uuid4(),
            last_name=last,
            first_name=first,
            middle_name=middle,
            specializations=[specializations[s] for s in specs],
            building_id=buildings[b].id,
            department_id=departments[d].id,
            academic_degree=degree,
            online_booking=online,
        )
        for last, first, middle, specs, b, d, degree, online in DOCTORS
    ]
    session.add_all(doctors)
    session.add_all(
        m.PriceService(id=uuid.uuid4(), code=code, name=name, group=group, price=Decimal(price), duration_minutes=mins)
        for code, name, group, price, mins in SERVICES
    )
    session.add_all(m.AppointmentStatus(id=uuid.uuid4(), name=n, colour=c, sets_processed=p) for n, c, p in STATUSES)
    session.add_all(m.CommunicationStatus(id=uuid.uuid4(), name=n) for n in COMMUNICATION_STATUSES)
    session.add_all(m.AppointmentKind(id=uuid.uuid4(), name=n) for n in KINDS)
    session.add_all(m.InfoSource(id=uuid.uuid4(), name=n) for n in INFO_SOURCES)
    session.add_all(m.DeletionReason(id=uuid.uuid4(), name=n) for n in DELETION_REASONS)
    day_types = [m.DayType(id=uuid.uuid4(), name=n, colour=c) for n, c in DAY_TYPES]
    session.add_all(day_types)
    session.add(m.RecordType(id=uuid.uuid4(), code="referral", name="По направлению", system=False))
    await session.flush()
    today = clinic_today(tz)
    for offset in range(SCHEDULE_DAYS):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        session.add_all(
            WorkSchedule(
                id=uuid.uuid4(),
                doctor_id=doctor.id,
                work_date=day,
                intervals=[{"start": "09:00", "end": "18:00"}],
                breaks=[{"start": "13:00", "end": "14:00"}],
                day_type_id=day_types[0].id,
                version=1,
                created_by_username="demo",
                updated_by_username="demo",
            )
            for doctor in doctors
        )
    await session.flush()
    log.info("scheduling.demo.loaded", doctors=len(doctors), services=len(SERVICES))
    return True
