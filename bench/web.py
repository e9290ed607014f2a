"""The web app's first screen under a real day's load: a day grid of 20 doctors with 400
appointments, in headless Chromium (Debian's, driven by Playwright) against the distributed
platform (gateway + patients + scheduling as processes on PostgreSQL + RabbitMQ).

Figures:
- time to interactive: from the navigation's start to the grid showing all 400 appointments
  and the page's main thread answering the next task (a `requestAnimationFrame` then a
  `setTimeout`), with a logged-in session restored from the refresh cookie (as a receptionist's
  morning reload: the page asks for a new access token first). Cold: a new browser profile each time (nothing cached); warm: the same profile
  again (scripts from the cache). Target ≤ 1 s, cold. The baseline, measured in the same run on
  the same page: a bare `fetch` of the same calendar answer with the same token and drawing 400
  plain boxes, i.e. what the data itself costs;
- the initial JavaScript: the gzip size of every script the first screen loads (target ≤ 350 KB).
Each figure lists the CPU milliseconds per page load of every process involved (gateway,
services, Chromium), read from /proc around the measured loads.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import statistics
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx

from bench.harness import Figure, Report
from bench.scheduling import token_claims
from bench.seeding import SeedItem, seed_appointments
from gateway.devcluster import Cluster

ROOT = Path(__file__).resolve().parents[1]
# The build the gateway serves (it reads the same variable).
BUILD = Path(os.environ.get("CLINIC_WEB_DIR") or ROOT / "web" / "dist")
OUT = ROOT / "bench" / "out"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
DOCTORS = 20
PER_DOCTOR = 20
MINUTES = 20
SAMPLES = 9
TTI_TARGET_MS = 1000
JS_TARGET_KB = 350
GRID_READY = f"document.querySelectorAll('.ec-event:not(.ec-bg-event)').length >= {DOCTORS * PER_DOCTOR}"
# When the grid is there: the next frame, then the next task. A main thread still busy delays both.
SETTLED = "() => new Promise((done) => requestAnimationFrame(() => setTimeout(() => done(performance.now()), 0)))"
# Where a load's time went: when the document, each script and each API call ended (ms from the
# navigation's start), the API calls with their start too.
TIMELINE = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const rows = [['document', 0, Math.round(nav.responseEnd)]];
  for (const e of performance.getEntriesByType('resource')) {
    const path = new URL(e.name).pathname;
    if (e.initiatorType === 'script' || e.initiatorType === 'link' || path.startsWith('/api/')) {
      rows.push([path, Math.round(e.startTime), Math.round(e.responseEnd)]);
    }
  }
  return rows;
}"""
BASELINE = """async ({url, token, count}) => {
  const started = performance.now();
  const answer = await (await fetch(url, {headers: {Authorization: `Bearer ${token}`}})).json();
  const box = document.createElement('div');
  const items = JSON.stringify(answer).length;  // the whole answer parsed and touched
  for (let i = 0; i < count; i++) {
    const cell = document.createElement('div');
    cell.textContent = `appointment ${i} ${items}`;
    box.appendChild(cell);
  }
  document.body.appendChild(box);
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  box.remove();
  return performance.now() - started;
}"""


def next_weekday(zone: ZoneInfo) -> dt.date:
    day = dt.datetime.now(zone).date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


async def setup(api: httpx.AsyncClient, headers: dict[str, str], day: dt.date) -> list[str]:
    specialization = (
        await api.post("/api/scheduling/specializations", json={"name": "Терапевт (бенч)"}, headers=headers)
    ).json()
    doctors = []
    for i in range(DOCTORS):
        response = await api.post(
            "/api/scheduling/doctors",
            json={"last_name": f"Врач{i:02d}", "first_name": "Бенч", "specialization_ids": [specialization["id"]]},
            headers=headers,
        )
        response.raise_for_status()
        doctor = response.json()["id"]
        response = await api.post(
            "/api/scheduling/schedules/bulk",
            json={
                "doctor_id": doctor,
                "date_from": day.isoformat(),
                "date_to": day.isoformat(),
                "weekdays": list(range(7)),
                "intervals": [{"start": "09:00", "end": "18:00"}],
            },
            headers=headers,
        )
        response.raise_for_status()
        doctors.append(doctor)
    return doctors


async def seed(cluster: Cluster, headers: dict[str, str], doctors: list[str], day: dt.date, zone: ZoneInfo) -> None:
    from scheduling.appointments.context import Actor
    from scheduling.appointments.schemas import PatientIn
    from scheduling.settings import SchedulingSettings

    env = cluster.envs["scheduling"]
    settings = SchedulingSettings(
        database_url=env["CLINIC_DATABASE_URL"],
        db_schema_prefix=env.get("CLINIC_DB_SCHEMA_PREFIX", ""),
        timezone=env.get("CLINIC_TIMEZONE", "Europe/Moscow"),
        db_pool_size=2,
    )
    items = []
    for d, doctor in enumerate(doctors):
        for k in range(PER_DOCTOR):
            start = dt.datetime.combine(day, dt.time(9), zone) + dt.timedelta(minutes=k * (MINUTES + 5))
            patient = PatientIn.model_validate(
                {"last_name": f"Пациент{d:02d}{k:02d}", "first_name": "Бенч", "mobile_phone": f"+7922{d:03d}{k:04d}"}
            )
            items.append(SeedItem(uuid.UUID(doctor), start, MINUTES, patient))
    claims = token_claims(headers)
    await seed_appointments(settings, items, actor=Actor(uuid.UUID(claims["sub"]), claims.get("username")))


def cpu_ms(pids: dict[str, int]) -> dict[str, float]:
    """CPU time (user + system) so far of each named process, in ms; Chromium summed over its processes."""
    tick = 1000 / _clock_ticks()
    times = {name: _process_ticks(pid) * tick for name, pid in pids.items()}
    times["chromium"] = sum(
        _process_ticks(int(entry.name)) * tick
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and _comm(int(entry.name)).startswith(("chromium", "chrome"))
    )
    return times


def _clock_ticks() -> int:
    return os.sysconf("SC_CLK_TCK")


def _comm(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "comm").read_text().strip()
    except OSError:
        return ""


def _process_ticks(pid: int) -> int:
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime


def per_load(before: dict[str, float], after: dict[str, float], loads: int) -> dict[str, float]:
    return {name: round((after[name] - before.get(name, 0)) / loads, 1) for name in after}


async def settle(pids: dict[str, int], *, quiet_ms: float = 25.0, longest_s: float = 30.0) -> None:
    """Wait until the platform's processes are idle (the seeding's events handled): less than
    `quiet_ms` of CPU among them in half a second, so that no figure carries the setup's work."""
    deadline = asyncio.get_running_loop().time() + longest_s
    before = cpu_ms(pids)
    while asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.5)
        now = cpu_ms(pids)
        if sum(now[name] - before[name] for name in pids) < quiet_ms:
            return
        before = now


async def measure(cluster: Cluster, headers: dict[str, str], day: dt.date) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    url = f"{cluster.base_url}/schedule?date={day.isoformat()}"
    pids = {name: process.pid for name, process in cluster.processes.items()}
    token = headers["Authorization"].split()[1]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # Log in once through the form; every sample restores that session from its cookie.
            # bypass_csp: the measuring probes are evaluated scripts, which the app's policy refuses.
            viewport = {"width": 1920, "height": 1080}
            context = await browser.new_context(base_url=cluster.base_url, viewport=viewport, bypass_csp=True)
            page = await context.new_page()
            await page.goto("/")
            await page.get_by_label("Логин").fill("admin")
            await page.get_by_label("Пароль").fill(cluster.admin_password)
            await page.get_by_role("button", name="Войти").click()
            await page.get_by_role("button", name="Выйти").wait_for()
            # The signed-in page waits on a blank page while the new profiles load: a second copy of
            # the app running in the same browser is not part of a cold load.
            await page.goto("about:blank")
            await settle(pids)

            timeline: list[Any] = []

            async def one_load(target: Any, scripts: list[str] | None = None) -> float:
                if scripts is not None:
                    target.on(
                        "response",
                        lambda r: scripts.append(urlsplit(r.url).path) if r.request.resource_type == "script" else None,
                    )
                await target.goto(url, wait_until="commit")
                try:
                    await target.wait_for_function(GRID_READY, timeout=30_000, polling="raf")
                except Exception:
                    OUT.mkdir(parents=True, exist_ok=True)
                    await target.screenshot(path=str(OUT / "web-grid-timeout.png"))
                    shown = await target.evaluate("document.querySelectorAll('.ec-event').length")
                    raise RuntimeError(f"the grid showed {shown} events, not {DOCTORS * PER_DOCTOR}") from None
                settled = float(await target.evaluate(SETTLED))
                if scripts is not None:
                    timeline[:] = [*await target.evaluate(TIMELINE), ["grid ready", 0, round(settled)]]
                return settled

            cold: list[float] = []
            scripts: list[str] = []
            before = cpu_ms(pids)
            for i in range(SAMPLES):
                await settle(pids)  # the last load's requests answered
                fresh = await browser.new_context(base_url=cluster.base_url, viewport=viewport, bypass_csp=True)
                # A session of its own (its refresh cookie): a refresh token is used once, so
                # profiles sharing one would end each other's session.
                login = await fresh.request.post(
                    "/api/auth/token", form={"username": "admin", "password": cluster.admin_password}
                )
                assert login.ok, await login.text()
                try:
                    cold.append(await one_load(await fresh.new_page(), scripts if i == 0 else None))
                finally:
                    await fresh.close()
            cold_cpu = per_load(before, cpu_ms(pids), SAMPLES)

            warm: list[float] = []
            await one_load(page)  # fills this profile's cache
            before = cpu_ms(pids)
            for _ in range(SAMPLES):
                warm.append(await one_load(page))
            warm_cpu = per_load(before, cpu_ms(pids), SAMPLES)

            calendar = f"/api/scheduling/calendar?date_from={day}&date_to={day}"
            baseline = []
            before = cpu_ms(pids)
            for _ in range(SAMPLES):
                baseline.append(
                    float(
                        await page.evaluate(BASELINE, {"url": calendar, "token": token, "count": DOCTORS * PER_DOCTOR})
                    )
                )
            baseline_cpu = per_load(before, cpu_ms(pids), SAMPLES)
            shown = await page.evaluate("document.querySelectorAll('.ec-event:not(.ec-bg-event)').length")
        finally:
            await browser.close()
    gz_bytes = 0
    for path in dict.fromkeys(scripts):
        twin = BUILD / (path.lstrip("/") + ".gz")
        gz_bytes += twin.stat().st_size if twin.exists() else (BUILD / path.lstrip("/")).stat().st_size
    return {
        "cold_ms": cold,
        "warm_ms": warm,
        "baseline_ms": baseline,
        "cpu_ms_per_load": {"cold": cold_cpu, "warm": warm_cpu, "baseline": baseline_cpu},
        "scripts": list(dict.fromkeys(scripts)),
        "cold_timeline": timeline,
        "initial_js_gzip_kb": round(gz_bytes / 1024, 1),
        "appointments_shown": shown,
    }


async def run(report: Report, cluster: Cluster, headers: dict[str, str]) -> None:
    if not (BUILD / "index.html").exists():
        raise RuntimeError("the web app is not built (make web)")
    zone = ZoneInfo(cluster.envs["scheduling"].get("CLINIC_TIMEZONE", "Europe/Moscow"))
    day = next_weekday(zone)
    async with httpx.AsyncClient(base_url=cluster.base_url, timeout=60) as api:
        doctors = await setup(api, headers, day)
    await seed(cluster, headers, doctors, day, zone)
    result = await measure(cluster, headers, day)
    cold, warm, baseline = (statistics.median(result[k]) for k in ("cold_ms", "warm_ms", "baseline_ms"))
    details = {
        "samples_cold_ms": [round(v) for v in result["cold_ms"]],
        "samples_warm_ms": [round(v) for v in result["warm_ms"]],
        "cpu_ms_per_load": result["cpu_ms_per_load"],
        "appointments_shown": result["appointments_shown"],
        "first_cold_load_timeline_ms": [f"{name}: {start}→{end}" for name, start, end in result["cold_timeline"]],
    }
    report.add(
        Figure(
            f"web: day grid of {DOCTORS} doctors × {DOCTORS * PER_DOCTOR} appointments, navigation → interactive, "
            "new browser profile (ms, median)",
            cold,
            "ms",
            baseline=baseline,
            baseline_name="bare fetch of the same calendar answer + 400 plain boxes, same page",
            target=f"≤ {TTI_TARGET_MS} ms",
            passed=cold <= TTI_TARGET_MS and result["appointments_shown"] >= DOCTORS * PER_DOCTOR,
            details=details,
        )
    )
    report.add(
        Figure(
            "web: the same, reloaded in a profile that has the scripts cached (ms, median)",
            warm,
            "ms",
            baseline=baseline,
            baseline_name="bare fetch of the same calendar answer + 400 plain boxes, same page",
            target=f"≤ {TTI_TARGET_MS} ms",
            passed=warm <= TTI_TARGET_MS,
        )
    )
    report.add(
        Figure(
            "web: initial JavaScript of the first screen, gzip (KB)",
            result["initial_js_gzip_kb"],
            "KB",
            target=f"≤ {JS_TARGET_KB} KB",
            passed=result["initial_js_gzip_kb"] <= JS_TARGET_KB,
            details={"scripts": result["scripts"]},
        )
    )
