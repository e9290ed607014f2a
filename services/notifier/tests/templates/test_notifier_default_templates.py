"""Default texts (a schedule created without a template) are Russian and fit their types."""

from __future__ import annotations

import re

import notifier_builders as build
import pytest
from notifier_harness import API, Notifier

from notifier.schedules.kinds import SCHEDULE_TYPES
from notifier.schedules.service import check_template
from notifier.templates.defaults import DEFAULT_TEMPLATES
from notifier.templates.rendering import PARAMETER

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.mark.parametrize("schedule_type", SCHEDULE_TYPES)
def test_every_type_has_a_russian_default_text_and_subject(schedule_type: str) -> None:
    default = DEFAULT_TEMPLATES[schedule_type]
    for text in (default.template, default.subject):
        prose = PARAMETER.sub("", text)
        assert CYRILLIC.search(prose) and not LATIN_WORD.search(prose), text


@pytest.mark.parametrize("schedule_type", SCHEDULE_TYPES)
def test_every_default_text_uses_only_parameters_its_type_fills(schedule_type: str) -> None:
    default = DEFAULT_TEMPLATES[schedule_type]
    check_template(default.template, schedule_type=schedule_type, field="template")
    check_template(default.subject, schedule_type=schedule_type, field="subject")


async def test_a_schedule_without_a_template_gets_the_default_text(notifier: Notifier) -> None:
    body = build.schedule_body("lab_result_ready", minutes_after=0)
    del body["template"]

    created = await notifier.create_schedule(body)

    assert created["template"] == DEFAULT_TEMPLATES["lab_result_ready"].template
    preview = await notifier.client.post(
        f"{API}/schedules/{created['id']}/preview", json={"sample": {"Name1": "Вера"}}, headers=notifier.headers
    )
    assert preview.json()["text"] == "Вера, результаты ваших анализов готовы. Клиника Здоровье +7 (343) 000-00-00"


async def test_an_email_schedule_without_a_template_gets_the_default_subject_too(notifier: Notifier) -> None:
    body = build.schedule_body("days_before_birthday", channel="email")
    del body["template"]

    created = await notifier.create_schedule(body)

    assert (created["template"], created["subject"]) == (
        DEFAULT_TEMPLATES["days_before_birthday"].template,
        "С днём рождения!",
    )


async def test_the_default_texts_are_listed(notifier: Notifier) -> None:
    response = await notifier.client.get(f"{API}/default-templates", headers=notifier.headers)

    assert response.status_code == 200
    items = {item["type"]: item for item in response.json()["items"]}
    assert set(items) == set(SCHEDULE_TYPES)
    assert items["lab_result_ready"]["subject"] == "Результаты анализов готовы"
