"""Dates and instants as API input, bounded to the years a clinic works with: 1900 … 2199.

Python's `date` and `datetime` stop at years 1 and 9999. A service that adds a day to
9999-12-31, takes the end of that day, or converts 0001-01-01T00:00+14:00 to UTC raises
OverflowError, which answers 500. Guarding every computation would never be finished, so
every date and datetime a request carries is checked once, at the edge, by the types below:
outside MIN_DATE … MAX_DATE it is the usual 422 problem naming the field ("must be between
1900-01-01 and 2199-12-31").

Why these bounds: 1900 keeps the birth dates of every living patient; 2199 is far beyond
any booking horizon, schedule or report period. Both are centuries inside Python's range,
so whatever a service does with an accepted value (a period of a year or two, the end of a
day, any UTC offset, a time zone conversion) stays representable.

A datetime is checked on its calendar date as written, before any conversion, so the check
itself cannot overflow. `ApiDateTime` keeps what pydantic's `datetime` accepts (naive or
aware, as sent); `ApiAwareDateTime` is for inputs that already required an offset.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)
RANGE_MESSAGE = f"must be between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}"
ERROR_TYPE = "date_out_of_range"


def in_clinic_range(day: date) -> bool:
    """Whether a calendar date lies in MIN_DATE … MAX_DATE (inclusive)."""
    return MIN_DATE <= day <= MAX_DATE


def checked_date(value: date) -> date:
    """The date itself, or a validation error (pydantic turns it into a 422 naming the field)."""
    # A datetime is a date too: look at its calendar date, never at the instant in another zone.
    day = value.date() if isinstance(value, datetime) else value
    if not in_clinic_range(day):
        raise PydanticCustomError(ERROR_TYPE, RANGE_MESSAGE)
    return value


class _ClinicRange:
    """Pydantic metadata: refuse values outside the clinic range; say the range in the schema."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(checked_date, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        what = "a time on a date" if json_schema.get("format") == "date-time" else "a date"
        json_schema.setdefault("description", f"{what} between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}")
        return json_schema


CLINIC_RANGE = _ClinicRange()

ApiDate = Annotated[date, CLINIC_RANGE]
"""A calendar date in 1900-01-01 … 2199-12-31."""

ApiDateTime = Annotated[datetime, CLINIC_RANGE]
"""A datetime (naive or aware, as pydantic's `datetime` takes it) on a date in the clinic range."""

ApiAwareDateTime = Annotated[AwareDatetime, CLINIC_RANGE]
"""A datetime with a UTC offset, on a date (as written) in the clinic range."""
