"""Audit the locked dependencies for known vulnerabilities (pip-audit over `uv export`).

    .venv/bin/python scripts/audit.py            # export uv.lock, run pip-audit, judge the report
    .venv/bin/python scripts/audit.py --report pip-audit.json   # judge a report made elsewhere

Exit codes: 0 clean; 1 a vulnerability with a fixed version exists (upgrade it); 3 the
vulnerability database could not be consulted for some or all packages, so nothing is known.

Why the judging: pip-audit's PyPI service reports "No known vulnerabilities found" and exits 0
when every package was skipped because the JSON API did not answer (a PyPI mirror without it,
no internet): a green build that audited nothing. Skipped packages make this script fail loudly.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CLEAN, VULNERABLE, UNREACHABLE = 0, 1, 3


def export_requirements(target: Path) -> None:
    """Every third-party package pinned in uv.lock (the workspace's own packages left out)."""
    uv = ROOT / ".tools" / "bin" / "uv"
    command = [str(uv) if uv.exists() else "uv", "export", "--frozen", "--no-hashes", "--all-packages"]
    command += ["--no-emit-workspace", "--all-groups", "--quiet", "-o", str(target)]
    subprocess.run(command, cwd=ROOT, check=True)


def run_pip_audit(requirements: Path, service: str, timeout: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "pip_audit", "-r", str(requirements), "--no-deps", "--disable-pip"]
    command += ["--progress-spinner", "off", "--format", "json", "-s", service, "--timeout", str(timeout)]
    done = subprocess.run(command, capture_output=True, text=True)
    try:
        report: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"dependencies": [], "error": f"pip-audit failed (exit {done.returncode}): {last}"}
    return report


def judge(report: dict[str, Any]) -> tuple[int, list[str]]:
    """The exit code and the lines to print for a pip-audit JSON report."""
    if "error" in report:
        return UNREACHABLE, [f"AUDIT NOT DONE: {report['error']}"]
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    fixable = [(d, v) for d in dependencies for v in d.get("vulns", []) if v.get("fix_versions")]
    unfixed = [(d, v) for d in dependencies for v in d.get("vulns", []) if not v.get("fix_versions")]
    lines = [
        f"VULNERABLE: {d['name']} {d.get('version', '?')}: {v['id']} fixed in {', '.join(v['fix_versions'])}"
        for d, v in fixable
    ]
    lines += [f"known, no fix yet: {d['name']} {d.get('version', '?')}: {v['id']}" for d, v in unfixed]
    if fixable:
        return VULNERABLE, lines
    if not dependencies or skipped:
        lines.append(
            f"AUDIT NOT DONE: the vulnerability database could not be consulted for {len(skipped)} of "
            f"{len(dependencies)} packages (e.g. {skipped[0]['skip_reason'] if skipped else 'no packages'}); "
            "run where pypi.org's JSON API or api.osv.dev is reachable (-s osv)."
        )
        return UNREACHABLE, lines
    lines.append(f"clean: {len(dependencies)} packages audited, no vulnerability with a fix")
    return CLEAN, lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--report", type=Path, help="judge this pip-audit JSON report instead of running pip-audit")
    parser.add_argument("--service", default="pypi", choices=["pypi", "osv"], help="pip-audit's database")
    parser.add_argument("--timeout", type=int, default=15)
    args = parser.parse_args()
    if args.report:
        report = json.loads(args.report.read_text())
    else:
        with tempfile.TemporaryDirectory() as tmp:
            requirements = Path(tmp) / "requirements.txt"
            export_requirements(requirements)
            report = run_pip_audit(requirements, args.service, args.timeout)
    code, lines = judge(report)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
