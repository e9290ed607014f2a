"""Demo directories for `make run` (CLINIC_DEMO_DATA): one lab, served by the in-process fake lab."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime
from lab.deps import settings_of
from lab.lab_tests.models import LabTest
from lab.lab_tests.service import test_search_key
from lab.labs.models import ExternalLab

log = get_logger(__name__)

# code, name, container, sample, study type, units, low, high, critical low, critical high
DEMO_TESTS = (
    ("HGB", "Гемоглобин", "EDTA", "кровь", "гематология", "г/л", 120.0, 160.0, 70.0, 200.0),
    ("WBC", "Лейкоциты", "EDTA", "кровь", "гематология", "10^9/л", 4.0, 9.0, 1.0, 30.0),
    ("GLU", "Глюкоза", "serum", "сыворотка", "биохимия", "ммоль/л", 3.3, 5.5, 2.2, 25.0),
    ("ALT", "АЛТ", "serum", "сыворотка", "биохимия", "Ед/л", 0.0, 40.0, None, None),
    ("CHOL", "Холестерин общий", "serum", "сыворотка", "биохимия", "ммоль/л", 3.0, 5.2, None, None),
    ("UA", "Общий анализ мочи", "urine", "моча", "клиника мочи", None, None, None, None, None),
)


async def seed_demo(runtime: ServiceRuntime) -> None:
    """First start with demo data on and no labs yet: add the demo lab and its tests."""
    if not settings_of(runtime).demo_data:
        return
    async with runtime.db.session() as session:
        if (await session.execute(select(func.count()).select_from(ExternalLab))).scalar_one():
            return
        lab = ExternalLab(id=uuid.uuid4(), name="Демо-лаборатория", code="DEMO", active=True)
        session.add(lab)
        await session.flush()
        for code, name, container, sample, study, units, low, high, critical_low, critical_high in DEMO_TESTS:
            session.add(
                LabTest(
                    id=uuid.uuid4(),
                    lab_id=lab.id,
                    code=code,
                    name=name,
                    search_key=test_search_key(code, name),
                    container_type=container,
                    sample_type=sample,
                    study_type=study,
                    units=units,
                    reference_low=low,
                    reference_high=high,
                    critical_low=critical_low,
                    critical_high=critical_high,
                    active=True,
                )
            )
    log.info("lab.demo.seeded", tests=len(DEMO_TESTS))
