"""Distributed mode on one machine (`make up` / `make down`): every service its own process.

The gateway and each installed service run as separate uvicorn processes against PostgreSQL
(a schema per service, made by its migrations) and RabbitMQ. Logs go to
`var/cluster/logs/<name>.log`; `make down` stops everything `make up` started. The e2e tests
use `start_cluster` to run the same processes on their own ports, schemas and exchange.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from clinic_shared.auth import generate_keypair
from gateway.embedded import installed_services
from gateway.settings import KNOWN_SERVICES

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
# Services that call others with no user in the loop sign their own short-lived tokens.
SIGNS_OWN_CALLS = frozenset({"ondoc"})
STATE_DIR = Path(os.environ.get("CLINIC_DATA_DIR", "var")) / "cluster"


@dataclass
class Cluster:
    """Processes of one running cluster."""

    base_url: str
    state_dir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    admin_password: str = ""
    envs: dict[str, dict[str, str]] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)

    def stop(self, timeout: float = 15.0) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def restart(self, name: str, *, kill: bool = False) -> None:
        """Stop one process (SIGKILL when `kill`) and start it again with the same command."""
        process = self.processes[name]
        if kill:
            process.kill()
        else:
            process.terminate()
        process.wait(15)
        self.processes[name] = _spawn(name, process.args, self.envs[name], self.state_dir)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _spawn(name: str, command: list[str], env: dict[str, str], state_dir: Path) -> subprocess.Popen[bytes]:
    log_dir = state_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = (log_dir / f"{name}.log").open("ab")
    return subprocess.Popen(command, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)


def start_cluster(
    *,
    state_dir: Path,
    database_url: str,
    amqp_url: str,
    gateway_port: int,
    service_ports: dict[str, int] | None = None,
    extra_env: dict[str, str] | None = None,
    services: list[str] | None = None,
    wait_seconds: float = 120.0,
) -> Cluster:
    """Start the gateway and the services; return once `/api/health` is green."""
    names = installed_services(services)
    ports = service_ports or {name: free_port() for name in names}
    private_key = os.environ.get("CLINIC_JWT_PRIVATE_KEY")
    public_key = os.environ.get("CLINIC_JWT_PUBLIC_KEY")
    if not private_key:
        private_key, public_key = generate_keypair()
    admin_password = os.environ.get("CLINIC_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
    env = {
        **os.environ,
        "CLINIC_DATABASE_URL": database_url,
        "CLINIC_AMQP_URL": amqp_url,
        "CLINIC_JWT_PUBLIC_KEY": public_key or "",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    cluster = Cluster(
        base_url=f"http://127.0.0.1:{gateway_port}",
        state_dir=state_dir,
        admin_password=admin_password,
        ports={**ports, "gateway": gateway_port},
    )
    try:
        for name in names:
            command = [sys.executable, "-m", "clinic_shared.runner", KNOWN_SERVICES[name], "--port", str(ports[name])]
            service_env = env | {f"CLINIC_{peer.upper()}_URL": f"http://127.0.0.1:{ports[peer]}" for peer in names}
            if name in SIGNS_OWN_CALLS:
                service_env["CLINIC_JWT_PRIVATE_KEY"] = private_key
            cluster.envs[name] = service_env
            cluster.processes[name] = _spawn(name, command, service_env, state_dir)
        gateway_env = env | {
            "CLINIC_JWT_PRIVATE_KEY": private_key,
            "CLINIC_ADMIN_PASSWORD": admin_password,
            "CLINIC_PORT": str(gateway_port),
            "CLINIC_SERVICES": json.dumps(names),
            **{f"CLINIC_{name.upper()}_URL": f"http://127.0.0.1:{ports[name]}" for name in names},
        }
        cluster.envs["gateway"] = gateway_env
        cluster.processes["gateway"] = _spawn("gateway", [sys.executable, "-m", "gateway"], gateway_env, state_dir)
        wait_healthy(cluster, wait_seconds)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def wait_healthy(cluster: Cluster, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    last = "no answer"
    while time.monotonic() < deadline:
        for name, process in cluster.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}; see {cluster.state_dir}/logs/{name}.log")
        try:
            response = httpx.get(f"{cluster.base_url}/api/health", timeout=2)
            if response.status_code == 200:
                return
            last = response.text
        except httpx.HTTPError as exc:
            last = type(exc).__name__
        time.sleep(0.5)
    raise TimeoutError(f"the cluster did not become healthy in {wait_seconds:.0f}s: {last}")


def _up() -> None:
    pid_file = STATE_DIR / "pids.json"
    if pid_file.exists():
        sys.exit(f"A cluster seems to be running (see {pid_file}); run `make down` first.")
    database_url = os.environ.get("CLINIC_DATABASE_URL") or DEFAULT_DATABASE_URL
    amqp_url = os.environ.get("CLINIC_AMQP_URL") or DEFAULT_AMQP_URL
    gateway_port = int(os.environ.get("CLINIC_PORT", "8000"))
    names = installed_services()
    ports = {name: 8101 + i for i, name in enumerate(KNOWN_SERVICES) if name in names}
    print(f"Starting gateway + {', '.join(names)} on PostgreSQL and RabbitMQ …", flush=True)
    cluster = start_cluster(
        state_dir=STATE_DIR,
        database_url=database_url,
        amqp_url=amqp_url,
        gateway_port=gateway_port,
        service_ports=ports,
    )
    pid_file.write_text(json.dumps({name: p.pid for name, p in cluster.processes.items()}))
    (STATE_DIR / "admin-password").write_text(cluster.admin_password)
    (STATE_DIR / "admin-password").chmod(0o600)
    print(f"\n  Up: {cluster.base_url}/api  (docs: {cluster.base_url}/api/docs)")
    print(
        f"  Login: admin / {'$CLINIC_ADMIN_PASSWORD' if 'CLINIC_ADMIN_PASSWORD' in os.environ else cluster.admin_password}"
    )
    print(f"  Logs:  tail -F {STATE_DIR}/logs/*.log\n  Stop:  make down\n")


def _down() -> None:
    pid_file = STATE_DIR / "pids.json"
    if not pid_file.exists():
        print("Nothing to stop.")
        return
    pids: dict[str, int] = json.loads(pid_file.read_text())
    for pid in pids.values():
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 15
    for name, pid in pids.items():
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.2)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)
        print(f"stopped {name}")
    pid_file.unlink()


def _status() -> None:
    pid_file = STATE_DIR / "pids.json"
    if not pid_file.exists():
        print("Not running.")
        return
    for name, pid in json.loads(pid_file.read_text()).items():
        print(f"{name:12} pid {pid:7} {'running' if _alive(pid) else 'DEAD'}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the platform as separate local processes.")
    parser.add_argument("command", choices=["up", "down", "status"])
    {"up": _up, "down": _down, "status": _status}[parser.parse_args().command]()


if __name__ == "__main__":
    main()
