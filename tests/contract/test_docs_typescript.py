"""The TypeScript in docs/api.md compiles against the client generated from the document (#15):
`web/src/api/schema.d.ts` (`make web-api`) and `openapi-fetch`, with the web app's TypeScript.

`make test` installs web/node_modules (`npm ci`) before it runs the tests."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

# Built from the code alone, without a platform (CI's distributed pass leaves it out).
pytestmark = pytest.mark.backend_free

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
TSC = WEB / "node_modules" / ".bin" / "tsc"
DOCS = ROOT / "docs" / "api.md"
COMPILER_OPTIONS = {
    "target": "ES2022",
    "lib": ["ES2023", "DOM", "DOM.Iterable"],
    "module": "ESNext",
    "moduleResolution": "bundler",
    "strict": True,
    "noUnusedLocals": True,
    "noUnusedParameters": True,
    "isolatedModules": True,
    "skipLibCheck": True,
    "noEmit": True,
    "types": [],
}
MISSING_DOCTOR = """import createClient from "openapi-fetch";
import type { paths } from "./api/schema";

const api = createClient<paths>({ baseUrl: "http://127.0.0.1:8000" });
await api.POST("/api/scheduling/appointments", { body: { start: "2026-12-07T09:00:00+03:00", overbook: false } });
"""


def typescript_blocks() -> list[str]:
    return re.findall(r"^```ts\n(.*?)^```$", DOCS.read_text(), re.MULTILINE | re.DOTALL)


def type_check(directory: Path, sources: list[str]) -> subprocess.CompletedProcess[str]:
    """`tsc` over the sources, each a module beside `./api/schema` (the web app's generated client)."""
    if not TSC.exists():
        pytest.skip("web/node_modules is absent (no tsc): `make test` or `cd web && npm ci` installs it")
    (directory / "api").mkdir()
    (directory / "api" / "schema.d.ts").symlink_to(WEB / "src" / "api" / "schema.d.ts")
    (directory / "node_modules").symlink_to(WEB / "node_modules")
    files = []
    for number, source in enumerate(sources):
        files.append(f"example{number}.ts")
        (directory / files[-1]).write_text(source)
    (directory / "tsconfig.json").write_text(json.dumps({"compilerOptions": COMPILER_OPTIONS, "files": files}))
    command = [str(TSC), "-p", "tsconfig.json", "--pretty", "false"]
    return subprocess.run(command, cwd=directory, capture_output=True, text=True, timeout=300)


def test_the_api_guide_books_from_a_generated_typescript_client() -> None:
    blocks = typescript_blocks()
    assert any('api.POST("/api/scheduling/appointments"' in block for block in blocks), blocks


def test_the_api_guides_typescript_compiles_against_the_generated_client(tmp_path: Path) -> None:
    result = type_check(tmp_path, typescript_blocks())
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_booking_without_its_doctor_does_not_compile(tmp_path: Path) -> None:
    """The check sees the generated types: a body the schema refuses is an error."""
    result = type_check(tmp_path, [MISSING_DOCTOR])
    assert result.returncode != 0
    assert "doctor_id" in result.stdout, result.stdout + result.stderr
