"""Dates at the limits answer 422, never 500: every date and datetime input of scheduling.

`test_no_date_or_time_makes_a_server_error` takes every operation of scheduling's OpenAPI
document that has a parameter or a body field of format `date` or `date-time`, and sends it,
through the gateway and with otherwise valid input, values hypothesis draws: Python's own
extremes (years 1 and 9999, any offset from -14:00 to +14:00, naive times too), the bounds of
`clinic_shared.dates` and their neighbours, dates near today, anything in between; the dates
of one request are often drawn close together (date_from = date_to, a day or a year apart),
as periods are. Whatever pydantic accepts must answer below 500, and the client must keep
answering afterwards. Operations that change what they act on (restore, to-waitlist, booking
a waiting-list entry) get a fresh object for every example.

The regression tests below pin the values of the issue that answered 500 before the inputs
were bounded (422 naming the field).

`CLINIC_DATE_EXAMPLES` sets hypothesis' examples per operation (default 20).
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scheduling_test_builders import API, Builder

from clinic_shared.dates import MAX_DATE, MIN_DATE, RANGE_MESSAGE
from scheduling.app import create_app

pytestmark = pytest.mark.asyncio(loop_scope="module")
EXAMPLES = int(os.environ.get("CLINIC_DATE_EXAMPLES", "20"))
FORMATS = ("date", "date-time")
Input = tuple[str, str]  # (where: "query" | "path" | "body", name; body fields dotted: "patient.birth_date")


# --- the operations, from the OpenAPI document --------------------------------------------
def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _format_of(document: dict[str, Any], schema: dict[str, Any]) -> str | None:
    schema = _resolve(document, schema)
    if schema.get("format") in FORMATS:
        return str(schema["format"])
    return next(
        (f for option in schema.get("anyOf", []) if (f := _format_of(document, option)) is not None),
        None,
    )


def _body_inputs(document: dict[str, Any], schema: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Dotted names of the date and date-time fields of a body schema, nested objects included."""
    found: dict[str, str] = {}
    schema = _resolve(document, schema)
    for option in schema.get("anyOf", []):
        found |= _body_inputs(document, option, prefix)
    for name, prop in schema.get("properties", {}).items():
        kind = _format_of(document, prop)
        if kind is not None:
            found[prefix + name] = kind
        else:
            found |= _body_inputs(document, prop, f"{prefix}{name}.")
    return found


def date_inputs(document: dict[str, Any]) -> dict[tuple[str, str], dict[Input, str]]:
    """(METHOD, path) → {input: "date" | "date-time"} of every operation that takes one."""
    operations: dict[tuple[str, str], dict[Input, str]] = {}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            inputs: dict[Input, str] = {}
            for parameter in operation.get("parameters", []):
                kind = _format_of(document, parameter.get("schema", {}))
                if kind is not None:
                    inputs[(parameter["in"], parameter["name"])] = kind
            for content in operation.get("requestBody", {}).get("content", {}).values():
                for name, kind in _body_inputs(document, content.get("schema", {})).items():
                    inputs[("body", name)] = kind
            if inputs:
                operations[(method.upper(), path)] = inputs
    return operations


SERVICE_DOCUMENT = create_app().openapi()
OPERATIONS = date_inputs(SERVICE_DOCUMENT)


def required_inputs(document: dict[str, Any], method: str, path: str) -> set[Input]:
    """Inputs the operation cannot do without (required parameters; required body fields)."""
    operation = document["paths"][path][method.lower()]
    required = {(p["in"], p["name"]) for p in operation.get("parameters", []) if p.get("required")}
    for content in operation.get("requestBody", {}).get("content", {}).values():
        schema = _resolve(document, content["schema"])
        required |= {("body", name) for name in schema.get("required", [])}
    return required


# --- values ---------------------------------------------------------------------------------
TODAY = datetime.now(UTC).date()
DAY = timedelta(days=1)
EDGE_DATES = [
    date.min,
    date.min + DAY,
    date.max,
    date.max - DAY,
    MIN_DATE,
    MIN_DATE - DAY,
    MAX_DATE,
    MAX_DATE + DAY,
    TODAY,
    TODAY + DAY,
]
DATES = st.one_of(
    st.sampled_from(EDGE_DATES),
    st.sampled_from([date.min, date.max]),  # the very ends, often: a day more or less overflows
    st.dates(date.min, date.min + 40 * DAY),  # Python's first days …
    st.dates(date.max - 40 * DAY, date.max),  # … and its last: where arithmetic overflows
    st.dates(MIN_DATE - 10 * DAY, MIN_DATE + 10 * DAY),
    st.dates(MAX_DATE - 10 * DAY, MAX_DATE + 10 * DAY),
    st.dates(TODAY - 60 * DAY, TODAY + 60 * DAY),
    st.dates(),
)
OFFSETS = st.one_of(
    st.sampled_from([timezone(timedelta(hours=14)), timezone(timedelta(hours=-14)), UTC]),
    st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes))),
    st.none(),  # naive: refused where an offset is required, and must still be a 422
)
TIMES = st.sampled_from([time.min, time.max, time(12, 0)]) | st.times()
# How far apart the dates of one request are: the same date, a day, a period's length.
SPREADS = st.sampled_from([0, 0, 1, -1, 13, 61, 62, 365, 366, -365])


def _shifted(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return day


@st.composite
def request_values(draw: st.DrawFn, inputs: dict[Input, str], required: set[Input]) -> dict[Input, str | None]:
    """A text value per input (None: left out), the dates of one request often close together."""
    anchor = draw(DATES)
    values: dict[Input, str | None] = {}
    for key, kind in sorted(inputs.items()):
        if key not in required and draw(st.integers(0, 4)) == 0:
            values[key] = None
            continue
        day = _shifted(anchor, draw(SPREADS)) if draw(st.integers(0, 2)) else draw(DATES)
        if kind == "date":
            values[key] = day.isoformat()
        else:
            values[key] = datetime.combine(day, draw(TIMES), tzinfo=draw(OFFSETS)).isoformat()
    return values


# --- otherwise valid requests ---------------------------------------------------------------
@dataclass
class Call:
    """One request through the gateway, before its date inputs are filled in."""

    method: str
    url: str
    params: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def filled(self, values: dict[Input, str | None]) -> Call:
        params, body = dict(self.params), _deep_copy(self.body)
        for (where, name), value in values.items():
            if value is None:
                continue
            if where == "query":
                params[name] = value
            elif where == "body":
                assert body is not None, name
                *parents, leaf = name.split(".")
                target = body
                for parent in parents:
                    target = target.setdefault(parent, {})
                target[leaf] = value
            else:
                raise AssertionError(f"no date {where} input is expected: {name}")
        return Call(self.method, self.url, params, body, self.headers)


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    return value


class Env:
    """What the requests act on: doctors working tomorrow, a widget key, appointments, entries."""

    def __init__(self, build: Builder) -> None:
        self.build = build
        self.admin = build.headers
        self.ids: dict[str, str] = {}
        self.widget: dict[str, str] = {}
        self._free_minute = 24 * 60
        self._fresh_doctor = ""

    async def prepare(self) -> None:
        build = self.build
        tomorrow = build.day(1)
        self.ids["doctor"] = (await build.working_doctor(tomorrow, online_booking=True))["id"]
        self.ids["schedule_doctor"] = (await build.doctor())["id"]
        self.ids["appointment"] = (await self.fresh_appointment())["id"]
        self.widget = {"X-Api-Key": (await build.post("/online/api-keys", {"label": "date limits"}))["key"]}

    async def fresh_appointment(self) -> dict[str, Any]:
        """A new primary appointment tomorrow (doctors working all day, ten minutes each)."""
        if self._free_minute + 10 > 24 * 60:
            doctor = await self.build.doctor()
            await self.build.schedule(
                day=self.build.day(1), doctor_id=doctor["id"], intervals=(("00:00", "24:00"),), breaks=()
            )
            self._fresh_doctor, self._free_minute = doctor["id"], 0
        clock = f"{self._free_minute // 60:02d}:{self._free_minute % 60:02d}"
        self._free_minute += 10
        return await self.build.book(self._fresh_doctor, self.build.day(1), clock, 10)  # type: ignore[no-any-return]

    async def deleted_appointment(self) -> str:
        appointment = await self.fresh_appointment()
        response = await self.build.edit("DELETE", f"/appointments/{appointment['id']}", headers=self.admin)
        assert response.status_code == 204, response.text
        return str(appointment["id"])

    async def waitlist_entry(self) -> str:
        entry = await self.build.post("/waitlist", {"patient": self.build.patient(), "doctor_id": self.ids["doctor"]})
        return str(entry["id"])


def _patient() -> dict[str, Any]:
    return {"last_name": "Граничный", "first_name": "Тест", "mobile_phone": "+7 922 555-44-33"}


async def _appointments_search(env: Env) -> Call:
    return Call("GET", "/appointments", {"doctor_id": env.ids["doctor"]}, headers=env.admin)


async def _export(env: Env) -> Call:
    return Call("GET", "/appointments/export.xlsx", {"doctor_id": env.ids["doctor"]}, headers=env.admin)


async def _book(env: Env) -> Call:
    return Call(
        "POST", "/appointments", body={"doctor_id": env.ids["doctor"], "patient": _patient()}, headers=env.admin
    )


async def _patch(env: Env) -> Call:
    url = f"/appointments/{env.ids['appointment']}"
    # Not about concurrent edits: any version will do (the edit needs one, or it is 428).
    return Call("PATCH", url, body={"patient": _patient()}, headers={**env.admin, "If-Match": "*"})


async def _copy(env: Env) -> Call:
    return Call("POST", f"/appointments/{env.ids['appointment']}/copy", body={}, headers=env.admin)


async def _restore(env: Env) -> Call:
    return Call("POST", f"/appointments/{await env.deleted_appointment()}/restore", body={}, headers=env.admin)


async def _to_waitlist(env: Env) -> Call:
    appointment = await env.fresh_appointment()
    url = f"/appointments/{appointment['id']}/to-waitlist"
    return Call("POST", url, body={}, headers={**env.admin, "If-Match": "*"})


async def _waitlist(env: Env) -> Call:
    return Call("GET", "/waitlist", headers=env.admin)


async def _waitlist_create(env: Env) -> Call:
    body = {"patient": _patient(), "doctor_id": env.ids["doctor"]}
    return Call("POST", "/waitlist", body=body, headers=env.admin)


async def _waitlist_book(env: Env) -> Call:
    return Call("POST", f"/waitlist/{await env.waitlist_entry()}/book", body={}, headers=env.admin)


async def _schedules(env: Env) -> Call:
    return Call("GET", "/schedules", {"doctor_id": env.ids["doctor"]}, headers=env.admin)


async def _schedule_create(env: Env) -> Call:
    body = {"doctor_id": env.ids["schedule_doctor"], "intervals": [{"start": "09:00", "end": "18:00"}]}
    return Call("POST", "/schedules", body=body, headers=env.admin)


async def _schedule_bulk(env: Env) -> Call:
    body = {
        "doctor_id": env.ids["schedule_doctor"],
        "intervals": [{"start": "09:00", "end": "18:00"}],
        "weekdays": [0, 1, 2, 3, 4, 5, 6],
        "replace_existing": True,
    }
    return Call("POST", "/schedules/bulk", body=body, headers=env.admin)


async def _calendar(env: Env) -> Call:
    return Call("GET", "/calendar", {"doctor_id": env.ids["doctor"]}, headers=env.admin)


async def _free_slots(env: Env) -> Call:
    return Call("GET", "/free-slots", {"doctor_id": env.ids["doctor"]}, headers=env.admin)


async def _online_free_slots(env: Env) -> Call:
    return Call("GET", "/online/free-slots", {"doctor_id": env.ids["doctor"]}, headers=env.widget)


async def _online_book(env: Env) -> Call:
    body = {"doctor_id": env.ids["doctor"], "patient": _patient()}
    return Call("POST", "/online/appointments", body=body, headers=env.widget)


async def _day_list(env: Env) -> Call:
    return Call("GET", f"/doctors/{env.ids['doctor']}/day-list.html", headers=env.admin)


# Every operation with a date input, and how to make an otherwise valid request of it.
CALLS: dict[tuple[str, str], Callable[[Env], Awaitable[Call]]] = {
    ("GET", "/appointments"): _appointments_search,
    ("GET", "/appointments/export.xlsx"): _export,
    ("POST", "/appointments"): _book,
    ("PATCH", "/appointments/{appointment_id}"): _patch,
    ("POST", "/appointments/{appointment_id}/copy"): _copy,
    ("POST", "/appointments/{appointment_id}/restore"): _restore,
    ("POST", "/appointments/{appointment_id}/to-waitlist"): _to_waitlist,
    ("GET", "/waitlist"): _waitlist,
    ("POST", "/waitlist"): _waitlist_create,
    ("POST", "/waitlist/{entry_id}/book"): _waitlist_book,
    ("GET", "/schedules"): _schedules,
    ("POST", "/schedules"): _schedule_create,
    ("POST", "/schedules/bulk"): _schedule_bulk,
    ("GET", "/calendar"): _calendar,
    ("GET", "/free-slots"): _free_slots,
    ("GET", "/online/free-slots"): _online_free_slots,
    ("POST", "/online/appointments"): _online_book,
    ("GET", "/doctors/{doctor_id}/day-list.html"): _day_list,
}


@pytest.fixture(scope="module")
def module_settings() -> dict[str, Any]:
    """The widget's rate limits out of the way: a 429 would hide what the dates do."""
    unlimited = 1_000_000
    return {
        "public_requests_per_minute": unlimited,
        "public_bookings_per_hour": unlimited,
        "public_key_requests_per_minute": unlimited,
    }


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def env(build: Builder) -> Env:
    prepared = Env(build)
    await prepared.prepare()
    return prepared


async def send(env: Env, call: Call) -> Any:
    return await env.build.client.request(
        call.method, API + call.url, params=call.params, json=call.body, headers=call.headers
    )


async def still_answers(env: Env) -> None:
    """The same client keeps working after whatever the previous request did."""
    response = await env.build.client.get(f"{API}/settings", headers=env.admin)
    assert response.status_code == 200, response.text


# --- the property ---------------------------------------------------------------------------
async def test_every_operation_with_a_date_input_is_walked() -> None:
    """A new date or datetime input must join the walk (and `CALLS` must not go stale)."""
    assert set(OPERATIONS) == set(CALLS)
    # The list, at least (a change of paths must not silently shrink the walk).
    assert len(OPERATIONS) >= 18


async def test_the_gateway_serves_the_same_date_inputs(build: Builder) -> None:
    """The walk reads the service's own document; the gateway's merged one has the same inputs."""
    response = await build.client.get("/api/openapi.json")
    assert response.status_code == 200
    served = {
        (method, path.removeprefix(API)): inputs
        for (method, path), inputs in date_inputs(response.json()).items()
        if path.startswith(API + "/")
    }
    assert served == OPERATIONS


@pytest.mark.parametrize("operation", sorted(OPERATIONS), ids=lambda op: f"{op[0]} {op[1]}")
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_no_date_or_time_makes_a_server_error(env: Env, operation: tuple[str, str], data: st.DataObject) -> None:
    method, path = operation
    inputs = OPERATIONS[operation]
    values = data.draw(request_values(inputs, required_inputs(SERVICE_DOCUMENT, method, path)), label="values")
    call = (await CALLS[operation](env)).filled(values)

    response = await send(env, call)

    assert response.status_code < 500, f"{method} {call.url} {call.params} {call.body}: {response.text}"
    assert response.status_code != 429, "a rate limit would hide the answer to the dates"
    if response.status_code == 422:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"], response.text
    await still_answers(env)


# --- the values of the issue ----------------------------------------------------------------
LIMIT_INSTANTS = ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+14:00"]
LIMIT_DATES = ["9999-12-31", "0001-01-01"]


def assert_refused(response: Any, *fields: str) -> None:
    """422 problem details naming exactly these fields, each with the range."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert {e["field"] for e in errors} == set(fields), errors
    assert all(e["message"] == RANGE_MESSAGE for e in errors), errors


@pytest.mark.parametrize("instant", LIMIT_INSTANTS)
@pytest.mark.parametrize(
    "operation",
    [
        ("POST", "/appointments"),
        ("PATCH", "/appointments/{appointment_id}"),
        ("POST", "/appointments/{appointment_id}/copy"),
        ("POST", "/online/appointments"),
        ("POST", "/appointments/{appointment_id}/restore"),
        ("POST", "/waitlist/{entry_id}/book"),
    ],
    ids=lambda op: f"{op[0]} {op[1]}",
)
async def test_an_appointment_start_at_the_limits_is_422_naming_start(
    env: Env, operation: tuple[str, str], instant: str
) -> None:
    call = (await CALLS[operation](env)).filled({("body", "start"): instant})
    assert_refused(await send(env, call), "start")
    await still_answers(env)


@pytest.mark.parametrize("day", LIMIT_DATES)
@pytest.mark.parametrize(
    "operation",
    [
        ("GET", "/appointments"),
        ("GET", "/appointments/export.xlsx"),
        ("GET", "/calendar"),
        ("GET", "/free-slots"),
        ("GET", "/online/free-slots"),
        ("GET", "/schedules"),
    ],
    ids=lambda op: f"{op[0]} {op[1]}",
)
async def test_a_period_at_the_limits_is_422_naming_both_dates(env: Env, operation: tuple[str, str], day: str) -> None:
    call = (await CALLS[operation](env)).filled({("query", "date_from"): day, ("query", "date_to"): day})
    assert_refused(await send(env, call), "date_from", "date_to")
    await still_answers(env)


@pytest.mark.parametrize("day", [*LIMIT_DATES, "0001-06-15", "9999-06-15"])
async def test_a_schedule_in_year_1_or_9999_is_422_naming_its_dates(env: Env, day: str) -> None:
    single = (await CALLS[("POST", "/schedules")](env)).filled({("body", "date"): day})
    bulk = (await CALLS[("POST", "/schedules/bulk")](env)).filled(
        {("body", "date_from"): day, ("body", "date_to"): day}
    )
    assert_refused(await send(env, single), "date")
    assert_refused(await send(env, bulk), "date_from", "date_to")
    await still_answers(env)


@pytest.mark.parametrize("day", LIMIT_DATES)
async def test_a_day_list_at_the_limits_is_422_naming_date(env: Env, day: str) -> None:
    call = (await CALLS[("GET", "/doctors/{doctor_id}/day-list.html")](env)).filled({("query", "date"): day})
    assert_refused(await send(env, call), "date")
    await still_answers(env)


@pytest.mark.parametrize("operation", [("POST", "/appointments"), ("POST", "/online/appointments")])
async def test_a_birth_date_before_1900_is_422_naming_it(env: Env, operation: tuple[str, str]) -> None:
    start = env.build.at(env.build.day(1), "10:00")
    call = (await CALLS[operation](env)).filled(
        {("body", "start"): start, ("body", "patient.birth_date"): "0001-01-01"}
    )
    assert_refused(await send(env, call), "patient.birth_date")


@pytest.mark.parametrize(
    ("operation", "values"),
    [
        (("GET", "/appointments"), {("query", "date_from"): MIN_DATE, ("query", "date_to"): MAX_DATE}),
        (("GET", "/calendar"), {("query", "date_from"): MAX_DATE - 61 * DAY, ("query", "date_to"): MAX_DATE}),
        (("GET", "/free-slots"), {("query", "date_from"): MAX_DATE, ("query", "date_to"): MAX_DATE}),
        (("GET", "/free-slots"), {("query", "date_from"): MIN_DATE, ("query", "date_to"): MIN_DATE}),
        (("GET", "/doctors/{doctor_id}/day-list.html"), {("query", "date"): MAX_DATE}),
        (("GET", "/doctors/{doctor_id}/day-list.html"), {("query", "date"): MIN_DATE}),
    ],
    ids=lambda value: value[1] if isinstance(value, tuple) else "",
)
async def test_the_bounds_themselves_are_accepted(
    env: Env, operation: tuple[str, str], values: dict[Input, date]
) -> None:
    call = (await CALLS[operation](env)).filled({key: day.isoformat() for key, day in values.items()})
    response = await send(env, call)
    assert response.status_code == 200, response.text
