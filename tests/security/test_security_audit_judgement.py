"""scripts/audit.py turns a pip-audit report into a verdict CI can trust: it fails on a fixable
vulnerability, and on an audit that could not consult the database (never a false green)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit.py"


def verdict(tmp_path: Path, report: dict[str, Any]) -> tuple[int, str]:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report))
    done = subprocess.run([sys.executable, str(SCRIPT), "--report", str(path)], capture_output=True, text=True)
    return done.returncode, done.stdout


def test_a_vulnerability_with_a_fix_fails_naming_the_package_and_the_fixed_version(tmp_path: Path) -> None:
    report = {
        "dependencies": [
            {"name": "jinja2", "version": "3.1.2", "vulns": [{"id": "GHSA-h5c8", "fix_versions": ["3.1.3"]}]},
            {"name": "httpx", "version": "0.28.1", "vulns": []},
        ]
    }
    code, out = verdict(tmp_path, report)
    assert code == 1
    assert "jinja2 3.1.2: GHSA-h5c8 fixed in 3.1.3" in out


def test_an_audit_whose_packages_were_all_skipped_fails_as_not_done(tmp_path: Path) -> None:
    report = {"dependencies": [{"name": "httpx", "skip_reason": "Dependency not found on PyPI"}], "fixes": []}
    code, out = verdict(tmp_path, report)
    assert code == 3
    assert "AUDIT NOT DONE" in out


def test_a_known_vulnerability_without_a_fix_is_reported_but_does_not_fail(tmp_path: Path) -> None:
    report = {"dependencies": [{"name": "pkg", "version": "1.0", "vulns": [{"id": "PYSEC-1", "fix_versions": []}]}]}
    code, out = verdict(tmp_path, report)
    assert code == 0
    assert "known, no fix yet: pkg 1.0: PYSEC-1" in out


def test_a_fully_audited_clean_lock_passes(tmp_path: Path) -> None:
    code, out = verdict(tmp_path, {"dependencies": [{"name": "httpx", "version": "0.28.1", "vulns": []}]})
    assert code == 0
    assert "1 packages audited" in out
