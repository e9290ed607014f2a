"""Errors a Russian UI can show (#15 item 3): a stable code, the public path, and texts in the
client's language, Russian unless it prefers English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from contract_document import build_document
from message_sources import SOURCES, error_classes, raised_codes, texts

from clinic_shared.problems import PROBLEM_TYPES, known_message, negotiate
from clinic_shared.testing.platform import Platform

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


@pytest.fixture(scope="module")
def every_catalogue() -> None:
    """Importing every service's app registers its catalogue and its problem types."""
    build_document()


@pytest.mark.parametrize("service", sorted(SOURCES))
def test_every_text_a_client_can_be_shown_has_its_russian_translation(every_catalogue: None, service: str) -> None:
    missing = sorted({str(text) for text in texts(service, error_classes()) if not known_message(text.template)})
    assert missing == [], f"{len(missing)} texts without a Russian translation in {service}/…/messages_ru.py"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "ru"),
        ("", "ru"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("en;q=0.5,ru;q=0.9", "ru"),
        ("de-DE,de;q=0.9", "ru"),
        ("de,en;q=0.7", "en"),
        ("en;q=0", "ru"),
        ("*", "ru"),
        ("en;q=abc", "ru"),
    ],
)
def test_the_language_is_negotiated_from_accept_language(header: str | None, language: str) -> None:
    assert negotiate(header) == language


async def test_an_error_is_in_russian_by_default_with_its_code_and_public_path(platform: Platform) -> None:
    response = await platform.client.post(
        "/api/patients/cards", json={"first_name": "Мария"}, headers={**platform.admin_headers, "Accept-Language": ""}
    )
    body = response.json()
    assert response.status_code == 422 and response.headers["content-language"] == "ru"
    assert body["code"] == "validation-failed" and body["type"] == "/problems/validation-failed"
    assert body["title"] == "Ошибка в данных"
    assert body["instance"] == "/api/patients/cards"
    assert {"field": "last_name", "code": "missing", "message": "обязательное поле"} in body["errors"]


async def test_an_error_is_in_english_when_the_client_prefers_it(platform: Platform) -> None:
    response = await platform.client.post(
        "/api/patients/cards", json={"first_name": "Mary"}, headers={**platform.admin_headers, "Accept-Language": "en"}
    )
    body = response.json()
    assert response.headers["content-language"] == "en"
    assert body["title"] == "Validation failed"
    assert {"field": "last_name", "code": "missing", "message": "Field required"} in body["errors"]


async def test_a_domain_error_detail_is_translated(platform: Platform) -> None:
    nobody = await platform.headers_with([])
    response = await platform.client.get("/api/patients/cards", headers={**nobody, "Accept-Language": "ru"})
    body = response.json()
    assert response.status_code == 403 and body["code"] == "forbidden"
    assert body["title"] == "Недостаточно прав"
    assert not re.search(r"[A-Za-z]{4,}", body["detail"].replace("patients.read", "")), body["detail"]


async def test_the_gateways_own_errors_speak_the_clients_language_too(platform: Platform) -> None:
    response = await platform.client.get("/api/patients/cards", headers={"Accept-Language": "ru"})
    body = response.json()
    assert response.status_code == 401 and body["code"] == "unauthorized"
    assert body["title"] == "Требуется вход"


def test_docs_list_every_problem_type(every_catalogue: None) -> None:
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", API_DOC.read_text(), re.M))
    assert sorted(set(PROBLEM_TYPES) - documented) == []
    assert sorted(documented - set(PROBLEM_TYPES)) == []


def test_every_code_raised_in_the_source_is_a_registered_problem_type(every_catalogue: None) -> None:
    errors = error_classes()
    raised = {code for service in SOURCES for code in raised_codes(service, errors)}
    assert sorted(raised - set(PROBLEM_TYPES)) == []
