"""Fixtures of the profexam tests: the platform with patients and profexam, and API helpers."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from clinic_shared.testing.platform import Platform

# Every service keeps its tests/ on sys.path; a plain `import builders` could load another
# service's module, so ours is registered under a name no one else uses.
if "profexam_builders" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("profexam_builders", Path(__file__).with_name("builders.py"))
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["profexam_builders"] = _module
    _spec.loader.exec_module(_module)

API = "/api/profexam"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def platform_services() -> list[str]:
    return ["patients", "profexam"]


class ProfexamApi:
    """Short calls to the profexam API as admin (or with given headers)."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.client = platform.client
        self.headers = platform.admin_headers

    async def post(self, path: str, body: dict[str, Any], *, expect: int = 201) -> dict[str, Any]:
        response = await self.client.post(API + path, json=body, headers=self.headers)
        assert response.status_code == expect, response.text
        return response.json()  # type: ignore[no-any-return]

    async def get(self, path: str, **params: Any) -> dict[str, Any]:
        response = await self.client.get(API + path, params=params, headers=self.headers)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def organization(self, **overrides: Any) -> dict[str, Any]:
        return await self.post("/organizations", {"name": "ООО «Ромашка»", "inn": "7701234567", **overrides})

    async def contract(self, organization_id: str, *, valid_to: date | None = None) -> dict[str, Any]:
        valid_to = valid_to or date.today() + timedelta(days=365)
        body = {
            "number": "Д-1",
            "valid_from": (valid_to - timedelta(days=730)).isoformat(),
            "valid_to": valid_to.isoformat(),
        }
        return await self.post(f"/organizations/{organization_id}/contracts", body)

    async def exam(self, *, contract_valid_to: date | None = None, with_contract: bool = True) -> dict[str, Any]:
        organization = await self.organization()
        contract = await self.contract(organization["id"], valid_to=contract_valid_to) if with_contract else None
        body = {
            "organization_id": organization["id"],
            "contract_id": contract["id"] if contract else None,
            "name": "Периодический осмотр",
            "period_from": "2026-01-01",
            "period_to": "2026-12-31",
        }
        return await self.post("/exams", body)

    async def upload(
        self,
        exam_id: str,
        content: bytes,
        *,
        mapping: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        filename: str = "list.xlsx",
        **params: Any,
    ) -> httpx.Response:
        data = {"mapping": json.dumps(mapping)} if mapping is not None else {}
        query = {k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()}
        return await self.client.post(
            f"{API}/exams/{exam_id}/imports",
            files={"file": (filename, content, XLSX)},
            data=data,
            params=query,
            headers=headers or self.headers,
        )

    async def wait_for_import(self, import_id: str, *, timeout: float = 60.0) -> dict[str, Any]:
        """Poll GET /imports/{id} until the run is done or failed."""
        for _ in range(int(timeout / 0.1)):
            run = await self.get(f"/imports/{import_id}")
            if run["status"] in ("done", "failed"):
                return run
            await asyncio.sleep(0.1)
        raise AssertionError(f"import {import_id} still {run['status']} after {timeout} s")

    async def employees(self, exam_id: str) -> list[dict[str, Any]]:
        body = await self.get(f"/exams/{exam_id}/employees", limit=500)
        return body["items"]  # type: ignore[no-any-return]


@pytest.fixture
def api(platform: Platform) -> ProfexamApi:
    return ProfexamApi(platform)


@pytest.fixture
def exam(api: ProfexamApi) -> Callable[..., Awaitable[dict[str, Any]]]:
    """Create an organisation with a running contract and an exam under it."""
    return api.exam
