"""API date types (clinic_shared.dates): bounded to 1900 … 2199 so no service arithmetic overflows."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Annotated
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI, Query
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from clinic_shared.dates import (
    MAX_DATE,
    MIN_DATE,
    RANGE_MESSAGE,
    ApiAwareDateTime,
    ApiDate,
    ApiDateTime,
    checked_date,
    in_clinic_range,
)
from clinic_shared.errors import install_error_handlers

DATES = TypeAdapter(ApiDate)
DATETIMES = TypeAdapter(ApiDateTime)
AWARE = TypeAdapter(ApiAwareDateTime)
# Every offset Python allows (pydantic accepts less): the widest a client could send.
OFFSETS = st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)).map(
    lambda delta: timezone(timedelta(minutes=int(delta.total_seconds() // 60)))
)
ZONES = ["Europe/Moscow", "Asia/Kamchatka", "Pacific/Kiritimati", "Pacific/Niue", "America/Sao_Paulo", "UTC"]


def refusal(adapter: TypeAdapter[object], value: object) -> dict[str, object]:
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python(value)
    [error] = caught.value.errors()
    return dict(error)


def test_the_bounds_are_accepted_and_the_days_beyond_refused() -> None:
    assert DATES.validate_python(MIN_DATE) == MIN_DATE
    assert DATES.validate_python(MAX_DATE) == MAX_DATE
    for outside in (MIN_DATE - timedelta(days=1), MAX_DATE + timedelta(days=1), date.min, date.max):
        error = refusal(DATES, outside)
        assert error["type"] == "date_out_of_range"
        assert error["msg"] == RANGE_MESSAGE == "must be between 1900-01-01 and 2199-12-31"


def test_text_is_parsed_first_then_bounded() -> None:
    assert DATES.validate_python("2026-03-01") == date(2026, 3, 1)
    assert refusal(DATES, "9999-12-31")["type"] == "date_out_of_range"
    assert refusal(DATES, "0001-01-01")["type"] == "date_out_of_range"
    assert refusal(DATES, "2026-02-30")["type"] == "date_from_datetime_parsing"


@pytest.mark.parametrize(
    "text", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+14:00", "1899-12-31T23:59:59-14:00", "2200-01-01T00:00Z"]
)
def test_datetimes_outside_the_range_are_refused_whatever_the_offset(text: str) -> None:
    assert refusal(AWARE, text)["msg"] == RANGE_MESSAGE
    assert refusal(DATETIMES, text)["msg"] == RANGE_MESSAGE


def test_a_datetime_is_judged_by_its_date_as_written() -> None:
    """The check never converts: 2199-12-31 late at -14:00 is already 2200 in UTC, and accepted."""
    late = AWARE.validate_python("2199-12-31T23:59:59-14:00")
    early = AWARE.validate_python("1900-01-01T00:00:00+14:00")
    assert late.astimezone(UTC).year == 2200 and early.astimezone(UTC).year == 1899


def test_naive_and_aware_keep_their_usual_meaning() -> None:
    assert DATETIMES.validate_python("2026-03-01T10:00").tzinfo is None
    assert refusal(AWARE, "2026-03-01T10:00")["type"] == "timezone_aware"
    assert AWARE.validate_python("2026-03-01T10:00+03:00").utcoffset() == timedelta(hours=3)


def test_checked_date_is_a_plain_function() -> None:
    assert in_clinic_range(date(2026, 1, 1)) and not in_clinic_range(date(2200, 1, 1))
    assert checked_date(date(1900, 1, 1)) == date(1900, 1, 1)
    with pytest.raises(ValueError, match="must be between"):
        checked_date(datetime(9999, 12, 31, 23, 59))


@given(st.dates())
def test_a_date_is_accepted_exactly_when_it_is_in_range(day: date) -> None:
    try:
        DATES.validate_python(day)
    except ValidationError:
        assert not in_clinic_range(day)
    else:
        assert in_clinic_range(day)


@given(st.dates(min_value=MIN_DATE, max_value=MAX_DATE), st.sampled_from(ZONES), OFFSETS)
def test_what_services_do_with_an_accepted_date_never_overflows(day: date, zone: str, offset: timezone) -> None:
    """Periods of a few years either way, the end of a day, any offset or zone, to UTC and back."""
    tz = ZoneInfo(zone)
    for moment in (datetime.combine(day, time.min), datetime.combine(day, time.max)):
        for aware in (moment.replace(tzinfo=offset), moment.replace(tzinfo=tz)):
            instant = AWARE.validate_python(aware).astimezone(UTC)
            assert (instant + timedelta(days=800)).astimezone(tz) > (instant - timedelta(days=800)).astimezone(tz)
    assert day + timedelta(days=800) > day - timedelta(days=800)


@given(st.datetimes(timezones=st.just(UTC) | OFFSETS))
def test_an_aware_datetime_is_accepted_exactly_when_its_date_is_in_range(moment: datetime) -> None:
    try:
        AWARE.validate_python(moment)
    except ValidationError as exc:
        assert exc.errors()[0]["type"] == "date_out_of_range"
        assert not in_clinic_range(moment.date())
    else:
        assert in_clinic_range(moment.date())


class Booking(BaseModel):
    start: ApiAwareDateTime
    birth_date: ApiDate | None = None


def range_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/days")
    async def days(day: Annotated[ApiDate, Query(alias="date")]) -> dict[str, str]:
        return {"date": day.isoformat()}

    @app.post("/bookings")
    async def book(data: Booking) -> dict[str, str]:
        return {"start": data.start.isoformat()}

    return app


async def test_the_api_answers_a_422_problem_naming_the_field() -> None:
    transport = httpx.ASGITransport(app=range_app())
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers={"Accept-Language": "en"}
    ) as client:
        query = await client.get("/days", params={"date": "9999-12-31"})
        body = await client.post("/bookings", json={"start": "0001-01-01T00:00:00+14:00", "birth_date": "1899-12-31"})
        fine = await client.get("/days", params={"date": "2199-12-31"})

    assert query.status_code == 422 and query.headers["content-type"] == "application/problem+json"
    assert query.json()["errors"] == [{"field": "date", "code": "date_out_of_range", "message": RANGE_MESSAGE}]
    assert body.status_code == 422
    assert sorted(e["field"] for e in body.json()["errors"]) == ["birth_date", "start"]
    assert fine.status_code == 200


def test_the_schema_tells_the_range() -> None:
    schema = Booking.model_json_schema()
    assert "2199-12-31" in schema["properties"]["start"]["description"]
    assert schema["properties"]["start"]["format"] == "date-time"
