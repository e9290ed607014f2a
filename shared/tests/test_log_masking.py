"""Personal data never reaches the logs unmasked."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog

from clinic_shared.logging import configure_logging, get_logger, mask_personal_data

NAME = "Ivanova"
FIRST = "Anastasia"
PHONE = "+79161234567"
EMAIL = "anastasia.ivanova@example.com"
BIRTH = "1987-04-23"


def mask(**fields: Any) -> dict[str, Any]:
    return mask_personal_data(None, "info", {"event": "test", **fields})


def test_values_under_personal_keys_are_masked() -> None:
    masked = mask(last_name=NAME, first_name=FIRST, mobile_phone=PHONE, email=EMAIL, birth_date=BIRTH)

    for key in ("last_name", "first_name", "mobile_phone", "email", "birth_date"):
        assert masked[key] == "***", key


def test_personal_keys_are_matched_case_insensitively() -> None:
    masked = mask(Email=EMAIL, LAST_NAME=NAME)

    assert masked["Email"] == "***"
    assert masked["LAST_NAME"] == "***"


def test_secrets_are_masked() -> None:
    masked = mask(password="hunter2", token="eyJ.abc.def", authorization="Bearer xyz")

    assert masked["password"] == masked["token"] == masked["authorization"] == "***"


def test_personal_keys_inside_nested_structures_are_masked() -> None:
    masked = mask(patient={"first_name": FIRST, "contacts": [{"phone": PHONE}], "id": "p-1"})

    assert masked["patient"]["first_name"] == "***"
    assert masked["patient"]["contacts"][0]["phone"] == "***"
    assert masked["patient"]["id"] == "p-1"


def test_empty_personal_values_stay_visible_as_empty() -> None:
    masked = mask(email=None, mobile_phone="")

    assert masked["email"] is None
    assert masked["mobile_phone"] == ""


@pytest.mark.parametrize(
    "phone",
    ["+79161234567", "+7 (916) 123-45-67", "8 916 123 45 67", "8-916-123-45-67", "89161234567"],
)
def test_phone_numbers_inside_free_text_are_masked(phone: str) -> None:
    masked = mask(event=f"sms to {phone} failed")

    digits = "".join(c for c in phone if c.isdigit())
    assert phone not in masked["event"]
    assert digits[1:-2] not in "".join(c for c in masked["event"] if c.isdigit())


def test_emails_inside_free_text_are_masked() -> None:
    masked = mask(detail=f"bounce from <{EMAIL}>: mailbox full")

    assert EMAIL not in masked["detail"]
    assert "anastasia" not in masked["detail"]
    assert "mailbox full" in masked["detail"]


def test_sql_parameters_in_error_text_are_masked() -> None:
    text = f"(IntegrityError) duplicate key\n[SQL: INSERT INTO cards ...]\n[parameters: ('{NAME}', '{BIRTH}')]"

    masked = mask(error=text)

    assert NAME not in masked["error"]
    assert "[SQL: INSERT INTO cards ...]" in masked["error"]


@pytest.mark.parametrize(
    "value",
    [
        "2024-05-17",
        "2024-05-17T10:30:00+03:00",
        "2024-05-17T10:30:00.123456Z",
        "3f2a9b10-5c3d-4e8f-9a1b-2c3d4e5f6a7b",
        "0c9f3d2e8b7a41d6a5e4f3c2b1a09876",
        "order 12345 of 2024",
        "took 1234.5 ms",
        "card 000123",
        "2024-05-17T10:30:00.123456+00:00",
        "12345678-9abc-4def-8123-456789abcdef",
    ],
)
def test_dates_uuids_and_short_numbers_are_left_alone(value: str) -> None:
    assert mask(detail=value)["detail"] == value


def test_dates_under_neutral_keys_are_left_alone() -> None:
    masked = mask(date="2024-05-17", day=BIRTH)

    assert masked["date"] == "2024-05-17"
    assert masked["day"] == BIRTH


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """configure_logging changes process-wide state: put it back after the test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    structlog_config = structlog.get_config()
    noisy = {name: logging.getLogger(name).level for name in ("aiormq", "aio_pika", "sqlalchemy.engine", "httpx")}
    access_disabled = logging.getLogger("uvicorn.access").disabled
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.configure(**structlog_config)
    for name, noisy_level in noisy.items():
        logging.getLogger(name).setLevel(noisy_level)
    logging.getLogger("uvicorn.access").disabled = access_disabled


PII = (NAME, FIRST, PHONE, "916) 123-45-67", "123-45-67", EMAIL, BIRTH, "hunter2")


def assert_no_pii(output: str) -> None:
    for value in PII:
        assert value not in output, f"{value!r} leaked into the log: {output}"


def log_lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


@pytest.mark.usefixtures("restore_logging")
def test_structlog_output_has_no_personal_data(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")
    log = get_logger("clinic.test")

    log.info(
        f"card created for {EMAIL}, call +7 (916) 123-45-67",
        card_id="c-1",
        last_name=NAME,
        first_name=FIRST,
        mobile_phone=PHONE,
        birth_date=BIRTH,
        password="hunter2",
        patient={"email": EMAIL},
    )

    output = capsys.readouterr().err
    assert_no_pii(output)
    (line,) = log_lines(output)
    assert line["card_id"] == "c-1"
    assert line["level"] == "info"
    assert line["last_name"] == "***"


@pytest.mark.usefixtures("restore_logging")
def test_standard_library_log_records_are_masked(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")

    logging.getLogger("some.library").warning("could not reach %s at %s", EMAIL, "+7 (916) 123-45-67")

    output = capsys.readouterr().err
    assert_no_pii(output)
    (line,) = log_lines(output)
    assert line["logger"] == "some.library"
    assert "could not reach" in line["event"]


@pytest.mark.usefixtures("restore_logging")
def test_exception_tracebacks_are_masked(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")
    log = get_logger("clinic.test")

    try:
        raise ValueError(f"no patient with email {EMAIL} and phone {PHONE}")
    except ValueError:
        log.exception("lookup.failed")

    output = capsys.readouterr().err
    assert_no_pii(output)
    (line,) = log_lines(output)
    assert "ValueError" in line["exception"]


@pytest.mark.usefixtures("restore_logging")
def test_console_format_is_masked_too(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "console")

    get_logger("clinic.test").info("patient.found", last_name=NAME, email=EMAIL, note=f"call {PHONE}")

    output = capsys.readouterr().err
    assert "patient.found" in output
    assert_no_pii(output)


@pytest.mark.usefixtures("restore_logging")
def test_records_below_the_configured_level_are_dropped(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("WARNING", "json")

    get_logger("clinic.test").info("quiet")
    get_logger("clinic.test").warning("loud")

    assert [line["event"] for line in log_lines(capsys.readouterr().err)] == ["loud"]
