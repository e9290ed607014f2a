"""The merged OpenAPI document as the gateway serves it, and as built once for the whole session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from contract_document import build_document

from clinic_shared.testing.platform import Platform


@pytest.fixture
async def served_document(platform: Platform) -> dict[str, Any]:
    response = await platform.client.get("/api/openapi.json")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def document() -> dict[str, Any]:
    """Built without starting the platform; `served_document` is checked to be the same."""
    return build_document()


@pytest.fixture(scope="session")
def document_file(document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("openapi") / "openapi.json"
    path.write_text(json.dumps(document, ensure_ascii=False))
    return path
