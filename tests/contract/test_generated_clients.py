"""Clients generated from the merged document keep every operation and warn about nothing (#15).

The generators are the ones front ends use, pinned: `openapi-typescript` (through npx, from
the npm registry; Node 20+ is on the PATH, or in the venv from `make`'s Node bootstrap) and
`openapi-python-client` (through `uv tool run`, from PyPI)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from contract_document import operations

# Built from the code alone, without a platform (CI's distributed pass leaves it out).
pytestmark = pytest.mark.backend_free

OPENAPI_TYPESCRIPT = "openapi-typescript@7.13.0"
OPENAPI_PYTHON_CLIENT = "openapi-python-client==0.29.1"
ROOT = Path(__file__).resolve().parents[2]


def tool(name: str, *fallbacks: Path) -> str:
    """A command from the PATH or, failing that, from where `make` puts it."""
    found = shutil.which(name) or next((str(path) for path in fallbacks if path.exists()), None)
    assert found, f"{name} is needed: run the tests through make (it bootstraps it)"
    return found


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NO_COLOR": "1", "npm_config_update_notifier": "false"}
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600, env=environment)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def operation_ids(document: dict[str, Any]) -> set[str]:
    return {operation["operationId"] for _, _, operation in operations(document)}


@pytest.fixture(scope="module")
def typescript_client(document_file: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The TypeScript client generated once for this module's tests, with what the generator printed."""
    npx = tool("npx", Path(sys.prefix) / "bin" / "npx")
    folder = tmp_path_factory.mktemp("typescript")
    output = folder / "schema.d.ts"
    result = run([npx, "--yes", OPENAPI_TYPESCRIPT, str(document_file), "--output", str(output)], folder)
    return output, result.stdout + result.stderr


def test_the_typescript_client_has_every_operation_and_no_warning(
    document: dict[str, Any], typescript_client: tuple[Path, str]
) -> None:
    output, printed = typescript_client
    assert not re.search(r"warn|⚠|error", printed, re.IGNORECASE), printed
    declared = set(
        re.findall(r"^    (\w+): \{$", output.read_text().split("export interface operations {", 1)[1], re.M)
    )
    assert operation_ids(document) - declared == set()


def test_the_web_apps_client_is_generated_from_the_current_document(typescript_client: tuple[Path, str]) -> None:
    output, _ = typescript_client
    checked_in = ROOT / "web" / "src" / "api" / "schema.d.ts"
    assert output.read_text() == checked_in.read_text(), "web/src/api/schema.d.ts is out of date: run `make web-api`"


def test_the_python_client_has_every_operation_and_no_warning(
    document: dict[str, Any], document_file: Path, tmp_path: Path
) -> None:
    uv = tool("uv", ROOT / ".tools" / "bin" / "uv")
    command = [uv, "tool", "run", "--from", OPENAPI_PYTHON_CLIENT, "openapi-python-client", "generate"]
    result = run([*command, "--path", str(document_file), "--output-path", "client", "--meta", "none"], tmp_path)
    assert not re.search(r"warning|unable|skipp", result.stdout + result.stderr, re.IGNORECASE), result.stdout
    generated = {path.stem for path in (tmp_path / "client" / "api").rglob("*.py") if path.stem != "__init__"}
    assert operation_ids(document) - generated == set()
