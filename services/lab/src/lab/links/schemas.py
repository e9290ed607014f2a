"""Bodies of /test-service-links."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from clinic_shared.clinic_time import ClinicDateTime

ServiceIds = Annotated[list[uuid.UUID], Field(min_length=1, max_length=500)]


class LinkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    test_id: uuid.UUID
    service_id: uuid.UUID


class BulkLinkCreate(BaseModel):
    """One test, many services (tick services in the price list)."""

    model_config = ConfigDict(extra="forbid")

    test_id: uuid.UUID
    service_ids: ServiceIds
    replace: bool = Field(default=False, description="also unlink the test's services not listed")


class TestServicesCreate(BaseModel):
    """POST /tests/{id}/services: add services from the price list to one test."""

    __test__ = False  # not a pytest class, despite the name
    model_config = ConfigDict(extra="forbid")

    service_ids: ServiceIds
    replace: bool = False


class LinkRead(BaseModel):
    id: uuid.UUID
    test_id: uuid.UUID
    test_code: str
    test_name: str
    lab_id: uuid.UUID
    service_id: uuid.UUID
    service_code: str | None = Field(description="from the scheduling price list, when it could be asked")
    service_name: str | None
    created_at: ClinicDateTime
