"""Throughput with a native load generator: wrk (Debian's `wrk`), and the CPU every process spent.

A Python load generator tops out near 350 requests/s on this machine, below a bare FastAPI
insert, so every throughput figure of `make bench` is driven by wrk: the platform and its
baseline with the same script, connections and duration.

Requests come from a file of lines `METHOD<TAB>path<TAB>body` (body may be empty) that the Lua
script below reads at start; wrk's threads take lines in turn (thread i sends lines i, i + T,
i + 2T …), so distinct bookings stay distinct across threads. A thread that runs out of lines
starts again from its first (the answers then show as conflicts: `non_2xx`). When wrk is done
the script prints one JSON line with the latency percentiles wrk measured (p95 included, which
wrk's own summary leaves out) and the status counts.

Next to each run, `cpu_ms_per_op` gives the CPU milliseconds (user + system, from
`/proc/<pid>/stat`) each process spent per completed request: the gateway, each service,
PostgreSQL (every backend together), RabbitMQ (its Erlang VM) and wrk itself, so a regression
shows where it is.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

LUA = r"""
local lines = {}
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  requests = {}
  statuses = {}
  local file = assert(io.open(args[1], "r"))
  local total = tonumber(args[2])
  local n = 0
  for line in file:lines() do
    if n % total == id then
      local method, path, body = line:match("^([^\t]*)\t([^\t]*)\t?(.*)$")
      local headers = {}
      for name, value in pairs(wrk.headers) do headers[name] = value end
      if body == "" then body = nil end
      table.insert(requests, wrk.format(method, path, headers, body))
    end
    n = n + 1
  end
  file:close()
  position = 0
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local seen = thread:get("statuses")
    for status, count in pairs(seen) do
      counts[tostring(status)] = (counts[tostring(status)] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do table.insert(parts, string.format('"%s":%d', status, count)) end
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p95_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"errors":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status +
    summary.errors.timeout, table.concat(parts, ",")))
end
"""


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: str = ""

    def line(self) -> str:
        if "\t" in self.path or "\t" in self.body or "\n" in self.body:
            raise ValueError("a request line holds no tab or newline")
        return f"{self.method}\t{self.path}\t{self.body}"


@dataclass
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    statuses: dict[int, int]
    connections: int
    cpu_ms_per_op: dict[str, float] = field(default_factory=dict)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def ok(self) -> int:
        return sum(count for status, count in self.statuses.items() if 200 <= status < 300)

    @property
    def non_2xx(self) -> int:
        return self.requests - self.ok

    @property
    def cpu_ms_total(self) -> float:
        """CPU per request of everything but the load generator."""
        return round(sum(ms for name, ms in self.cpu_ms_per_op.items() if name != "wrk"), 3)

    def summary(self) -> dict[str, Any]:
        return {
            "connections": self.connections,
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "throughput_rps": round(self.throughput, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "max_ms": round(self.max_ms, 2),
            "statuses": self.statuses,
            "socket_errors": self.errors,
            "cpu_ms_per_op": self.cpu_ms_per_op,
            "cpu_ms_per_op_total": self.cpu_ms_total,
        }


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed: `apt-get install wrk` (make bench installs it when run as root)")
    return found


def parse_output(stdout: str, connections: int) -> WrkResult:
    """The JSON line the Lua `done` printed."""
    for line in stdout.splitlines():
        if line.startswith("WRK_JSON "):
            data = json.loads(line.removeprefix("WRK_JSON "))
            return WrkResult(
                requests=data["requests"],
                seconds=data["duration_us"] / 1e6,
                p50_ms=data["p50_us"] / 1000,
                p90_ms=data["p90_us"] / 1000,
                p95_ms=data["p95_us"] / 1000,
                p99_ms=data["p99_us"] / 1000,
                max_ms=data["max_us"] / 1000,
                errors=data["errors"],
                statuses={int(status): count for status, count in data["statuses"].items()},
                connections=connections,
            )
    raise RuntimeError(f"wrk printed no summary:\n{stdout}")


# --- CPU per process -------------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    # after the ")": state is field 3, utime field 14 and stime field 15 (1-based, man proc)
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except (FileNotFoundError, ProcessLookupError):
        return ""


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return None


def with_descendants(pids: Iterable[int]) -> list[int]:
    """`pids` and every process under them (a service's worker processes, CLINIC_WORKERS)."""
    parents = {int(e.name): _parent(int(e.name)) for e in Path("/proc").iterdir() if e.name.isdigit()}
    found = set(pids)
    grew = True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in found} - found
        found |= more
        grew = bool(more)
    return sorted(found)


def pids_named(*commands: str) -> list[int]:
    """Processes whose command name is one of `commands` (every PostgreSQL backend, RabbitMQ's VM)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _command(int(entry.name)) in commands:
            found.append(int(entry.name))
    return found


def infrastructure_pids() -> dict[str, list[int]]:
    """PostgreSQL's processes and RabbitMQ's Erlang VM on this machine."""
    return {"postgres": pids_named("postgres"), "rabbitmq": pids_named("beam.smp")}


class CpuMeter:
    """CPU seconds spent by groups of processes (each with its descendants: worker processes)
    between `start` and `stop`. PostgreSQL backends started meanwhile are picked up at `stop`
    (their whole life falls inside the run)."""

    def __init__(self, groups: Mapping[str, Iterable[int]]) -> None:
        self.groups = {name: with_descendants(pids) for name, pids in groups.items()}
        self._before: dict[int, float] = {}

    def start(self) -> None:
        self._before = {}
        for pids in self.groups.values():
            for pid in pids:
                seconds = _cpu_seconds(pid)
                if seconds is not None:
                    self._before[pid] = seconds

    def stop(self) -> dict[str, float]:
        """CPU seconds per group."""
        groups = dict(self.groups)
        if "postgres" in groups:
            groups["postgres"] = sorted(set(groups["postgres"]) | set(pids_named("postgres")))
        spent = {}
        for name, pids in groups.items():
            total = 0.0
            for pid in pids:
                now = _cpu_seconds(pid)
                if now is not None:
                    total += now - self._before.get(pid, 0.0)
            spent[name] = total
        return spent


def run_wrk(
    base_url: str,
    requests: list[Request],
    *,
    connections: int,
    seconds: float,
    headers: Mapping[str, str] | None = None,
    processes: Mapping[str, Iterable[int]] | None = None,
    threads: int = 2,
    timeout_seconds: float = 30,
) -> WrkResult:
    """Drive `base_url` with `requests` for `seconds`; the result with CPU ms per request of
    `processes` (name → pids) and of wrk itself."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "requests.lua"
        script.write_text(LUA)
        lines = Path(folder) / "requests.tsv"
        lines.write_text("\n".join(r.line() for r in requests) + "\n")
        threads = max(1, min(threads, connections))
        command = [wrk_binary(), f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
        command += [f"--timeout={round(timeout_seconds)}s", "-s", str(script)]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        command += [base_url, "--", str(lines), str(threads)]
        meter = CpuMeter(processes or {})
        meter.start()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        spent = meter.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout = process.stdout.read() if process.stdout else ""
        stderr = process.stderr.read() if process.stderr else ""
        if process.returncode != 0:
            raise RuntimeError(f"wrk failed ({process.returncode}): {stderr or stdout}")
    result = parse_output(stdout, connections)
    spent["wrk"] = usage.ru_utime + usage.ru_stime
    done = max(1, result.requests)
    result.cpu_ms_per_op = {name: round(seconds * 1000 / done, 3) for name, seconds in spent.items()}
    return result
