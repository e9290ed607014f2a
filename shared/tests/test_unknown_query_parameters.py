"""Every route refuses query parameters it does not declare (clinic_shared.query)."""

from __future__ import annotations

from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI, Query
from pydantic import BaseModel, ConfigDict

from clinic_shared.errors import install_error_handlers
from clinic_shared.query import REFUSE_UNKNOWN_QUERY

ENGLISH = {"Accept-Language": "en"}  # the texts below are the English ones


class Window(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date_from: str | None = None
    date_to: str | None = None


async def paging(limit: int = 50, offset: int = 0) -> tuple[int, int]:
    return limit, offset


def app() -> FastAPI:
    application = FastAPI(dependencies=[REFUSE_UNKNOWN_QUERY])
    install_error_handlers(application)

    @application.get("/plain")
    async def plain(date: str | None = None, doctor: Annotated[str | None, Query(alias="doctor_id")] = None) -> dict:
        return {"date": date, "doctor": doctor}

    @application.get("/paged")
    async def paged(page: Annotated[tuple[int, int], Depends(paging)]) -> dict:
        return {"limit": page[0]}

    @application.get("/window")
    async def window(query: Annotated[Window, Query()]) -> dict:
        return query.model_dump()

    return application


@pytest.fixture
async def client() -> httpx.AsyncClient:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app()), base_url="http://t", headers=ENGLISH) as c:
        yield c


@pytest.mark.parametrize(
    "url",
    ["/plain?date=2026-12-07&doctor_id=x", "/paged?limit=5&offset=1", "/window?date_from=a&date_to=b", "/plain"],
)
async def test_declared_parameters_are_accepted(client: httpx.AsyncClient, url: str) -> None:
    assert (await client.get(url)).status_code == 200


@pytest.mark.parametrize(
    ("url", "unknown"),
    [
        ("/plain?date_from=2026-12-07", ["date_from"]),
        ("/plain?doctor=x", ["doctor"]),  # the Python name is not the parameter: its alias is
        ("/paged?limit=5&page=2&sort=name", ["page", "sort"]),
        ("/window?date_from=a&day=b", ["day"]),
    ],
)
async def test_unknown_parameters_are_422_naming_each(client: httpx.AsyncClient, url: str, unknown: list[str]) -> None:
    response = await client.get(url)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == unknown
    assert {e["message"] for e in response.json()["errors"]} == {"unknown query parameter"}
