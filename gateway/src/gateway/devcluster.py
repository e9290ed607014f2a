"""Distributed mode on one machine (`make up` / `make down`): every service its own process.

The gateway and each installed service run as separate uvicorn processes against PostgreSQL
(a schema per service, made by its migrations) and RabbitMQ. Logs go to
`var/cluster/logs/<name>.log`; `make down` stops everything `make up` started. The e2e tests
use `start_cluster` to run the same processes on their own ports, schemas and exchange.

With `fakes=True` (`make up` always) the outside world runs as processes too — the fake ONDOC,
a fake SMS provider speaking SMSC's protocol and an SMTP sink — and once the gateway is healthy
the notifier and the ONDOC bridge are pointed at them through their settings APIs, as an
administrator would, so every flow can be clicked through on the real wire protocols.
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
from clinic_shared.secretbox import generate_key
from gateway.embedded import installed_services
from gateway.service_keys import load_or_create, own_call_rights, service_keys
from gateway.settings import KNOWN_SERVICES

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
# Services that keep credentials encrypted in their tables get CLINIC_SECRETS_KEY (clinic_shared.secretbox).
STORES_SECRETS = frozenset({"ondoc", "notifier"})
STATE_DIR = Path(os.environ.get("CLINIC_DATA_DIR", "var")) / "cluster"
# The fakes of the outside world: which service needs each, and the ports `make up` gives them.
FAKES_FOR = {"fake-ondoc": "ondoc", "fake-sms": "notifier", "smtp-sink": "notifier"}
MAKE_UP_FAKE_PORTS = {"fake-ondoc": 8090, "fake-sms": 8091, "smtp-sink": 2525, "smtp-sink-view": 8092}
FAKE_FROM_ADDRESS = "notifier@clinic.local"


@dataclass
class Cluster:
    """Processes of one running cluster."""

    base_url: str
    state_dir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    admin_password: str = ""
    envs: dict[str, dict[str, str]] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    # where the fakes listen ("fake-ondoc", "fake-sms", "smtp-sink", "smtp-sink-view"), when started
    fakes: dict[str, str] = field(default_factory=dict)
    # every gateway process's URL, the first one (base_url) included
    gateway_urls: list[str] = field(default_factory=list)

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
        self.processes[name] = _spawn(name, process.args, self.envs[name], self.state_dir)  # type: ignore[arg-type]  # the stored command line is a list of texts


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
    fakes: bool = False,
    fake_ports: dict[str, int] | None = None,
    admin_password: str | None = None,
    secrets_key: str | None = None,
    service_private_keys: dict[str, str] | None = None,
    gateway_ports: list[int] | None = None,
) -> Cluster:
    """Start the gateway and the services; return once `/api/health` is green.

    `fakes`: also start the fakes the started services talk to (see `FAKES_FOR`; on
    `fake_ports`, free ones by default) and configure the services to use them.
    `service_private_keys`: the own keys of the services that sign their own calls (fresh ones
    for those not given; see gateway.service_keys).
    `gateway_ports`: more gateway processes, one per port, like replicas behind a load balancer
    (started once the first is healthy, so only the first applies the migrations)."""
    names = installed_services(services)
    ports = service_ports or {name: free_port() for name in names}
    private_key = os.environ.get("CLINIC_JWT_PRIVATE_KEY")
    public_key = os.environ.get("CLINIC_JWT_PUBLIC_KEY")
    if not private_key:
        private_key, public_key = generate_keypair()
    admin_password = admin_password or os.environ.get("CLINIC_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
    secrets_key = secrets_key or os.environ.get("CLINIC_SECRETS_KEY") or generate_key()
    own_keys = service_keys(own_call_rights(names), private_keys=service_private_keys)
    # Private keys go only to their own process, never through the shared environment.
    inherited = {
        k: v for k, v in os.environ.items() if k not in ("CLINIC_JWT_PRIVATE_KEY", "CLINIC_SERVICE_PRIVATE_KEY")
    }
    env = {
        **inherited,
        "CLINIC_DATABASE_URL": database_url,
        "CLINIC_AMQP_URL": amqp_url,
        "CLINIC_JWT_PUBLIC_KEY": public_key or "",
        "CLINIC_SERVICE_KEYS": own_keys.trust_json(),
        "PYTHONUNBUFFERED": "1",
        # The fakes (ONDOC, SMSC, SMTP sink, a lab) listen on 127.0.0.1: the services may call private addresses.
        "CLINIC_OUTBOUND_ALLOW_PRIVATE": "true",
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
            if name in own_keys.private_keys:
                service_env["CLINIC_SERVICE_PRIVATE_KEY"] = own_keys.private_keys[name]
            if name in STORES_SECRETS:
                service_env["CLINIC_SECRETS_KEY"] = secrets_key
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
        wanted = [fake for fake, needs in FAKES_FOR.items() if needs in names] if fakes else []
        fake_setup = _start_fakes(cluster, wanted, env, fake_ports or {}) if wanted else None
        wait_healthy(cluster, wait_seconds)
        cluster.gateway_urls.append(cluster.base_url)
        for number, port in enumerate(gateway_ports or [], start=2):
            name = f"gateway-{number}"
            cluster.envs[name] = gateway_env | {"CLINIC_PORT": str(port)}
            cluster.processes[name] = _spawn(name, [sys.executable, "-m", "gateway"], cluster.envs[name], state_dir)
            cluster.ports[name] = port
            cluster.gateway_urls.append(f"http://127.0.0.1:{port}")
            wait_healthy(cluster, wait_seconds, base_url=cluster.gateway_urls[-1])
        if fake_setup is not None:
            _wait_listening(cluster, wait_seconds)
            configure_services_for_fakes(cluster, fake_setup)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def wait_healthy(cluster: Cluster, wait_seconds: float, *, base_url: str | None = None) -> None:
    """Until `/api/health` of the gateway at `base_url` (the first by default) is green."""
    base_url = base_url or cluster.base_url
    deadline = time.monotonic() + wait_seconds
    last = "no answer"
    while time.monotonic() < deadline:
        for name, process in cluster.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}; see {cluster.state_dir}/logs/{name}.log")
        try:
            response = httpx.get(f"{base_url}/api/health", timeout=2)
            if response.status_code == 200:
                return
            last = response.text
        except httpx.HTTPError as exc:
            last = type(exc).__name__
        time.sleep(0.5)
    raise TimeoutError(f"the cluster did not become healthy in {wait_seconds:.0f}s: {last}")


@dataclass(frozen=True)
class FakeCredentials:
    """What the fakes accept, fresh for every cluster; the services' settings get the same."""

    ondoc_company_token: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    ondoc_branch_token: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    ondoc_callback_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    sms_login: str = "clinic"
    sms_password: str = field(default_factory=lambda: secrets.token_urlsafe(12))


def fake_commands(
    wanted: list[str], ports: dict[str, int], credentials: FakeCredentials, callback_url: str
) -> dict[str, list[str]]:
    """The command line of each wanted fake. Values go as `--name=value`: a generated secret may
    begin with "-", which argparse would take for an option after a separate `--name`."""
    commands: dict[str, list[str]] = {}
    if "fake-ondoc" in wanted:
        commands["fake-ondoc"] = [
            *(sys.executable, "-m", "ondoc_bridge.fake_ondoc", f"--port={ports['fake-ondoc']}"),
            f"--callback-url={callback_url}",
            f"--company-token={credentials.ondoc_company_token}",
            f"--branch-token={credentials.ondoc_branch_token}",
            f"--callback-secret={credentials.ondoc_callback_secret}",
        ]
    if "fake-sms" in wanted:
        commands["fake-sms"] = [
            *(sys.executable, "-m", "notifier.fake_sms", f"--port={ports['fake-sms']}"),
            f"--login={credentials.sms_login}",
            f"--password={credentials.sms_password}",
        ]
    if "smtp-sink" in wanted:
        commands["smtp-sink"] = [
            *(sys.executable, "-m", "notifier.fake_smtp", f"--port={ports['smtp-sink']}"),
            f"--http-port={ports['smtp-sink-view']}",
        ]
    return commands


def _start_fakes(
    cluster: Cluster, wanted: list[str], env: dict[str, str], fake_ports: dict[str, int]
) -> FakeCredentials:
    """Spawn the fakes (logs next to the services'); their addresses go to `cluster.fakes`."""
    credentials = FakeCredentials()
    ports = {name: fake_ports.get(name) or free_port() for name in [*wanted, "smtp-sink-view"]}
    commands = fake_commands(wanted, ports, credentials, f"{cluster.base_url}/api/ondoc/callbacks")
    if "fake-ondoc" in commands:
        cluster.fakes["fake-ondoc"] = f"http://127.0.0.1:{ports['fake-ondoc']}"
    if "fake-sms" in commands:
        cluster.fakes["fake-sms"] = f"http://127.0.0.1:{ports['fake-sms']}"
    if "smtp-sink" in commands:
        cluster.fakes["smtp-sink"] = f"smtp://127.0.0.1:{ports['smtp-sink']}"
        cluster.fakes["smtp-sink-view"] = f"http://127.0.0.1:{ports['smtp-sink-view']}"
    for name, command in commands.items():
        cluster.ports[name] = ports[name]
        cluster.envs[name] = env
        cluster.processes[name] = _spawn(name, command, env, cluster.state_dir)
    if "smtp-sink" in commands:
        cluster.ports["smtp-sink-view"] = ports["smtp-sink-view"]
    return credentials


def _wait_listening(cluster: Cluster, wait_seconds: float) -> None:
    """Wait until every fake accepts connections (they start beside the services)."""
    deadline = time.monotonic() + wait_seconds
    for name in cluster.fakes:
        owner = "smtp-sink" if name == "smtp-sink-view" else name
        while True:
            if cluster.processes[owner].poll() is not None:
                raise RuntimeError(f"{owner} exited; see {cluster.state_dir}/logs/{owner}.log")
            try:
                socket.create_connection(("127.0.0.1", cluster.ports[name]), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{name} is not listening on port {cluster.ports[name]}") from None
                time.sleep(0.2)


def configure_services_for_fakes(cluster: Cluster, credentials: FakeCredentials) -> None:
    """Point the notifier and the ONDOC bridge at the fakes, through the gateway, as admin."""
    with httpx.Client(base_url=cluster.base_url, timeout=30) as api:
        login = api.post("/api/auth/token", data={"username": "admin", "password": cluster.admin_password})
        if login.status_code != 200:
            raise RuntimeError(
                f"admin could not log in ({login.status_code}) to point the services at the fakes: the database "
                "already had users, so the admin password is the one it was first created with; "
                "set CLINIC_ADMIN_PASSWORD to it (or start on empty schemas, e.g. another CLINIC_DB_SCHEMA_PREFIX)"
            )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        changes: dict[str, dict[str, object]] = {}
        if "fake-sms" in cluster.fakes:
            changes["/api/notifier/settings"] = {
                "sms_provider": "smsc",
                "smsc": {
                    "base_url": cluster.fakes["fake-sms"],
                    "login": credentials.sms_login,
                    "password": credentials.sms_password,
                },
                "email_provider": "smtp",
                "smtp": {
                    "host": "127.0.0.1",
                    "port": cluster.ports["smtp-sink"],
                    "login": "",
                    "password": "",
                    "security": "none",
                    "from_address": FAKE_FROM_ADDRESS,
                },
            }
        if "fake-ondoc" in cluster.fakes:
            changes["/api/ondoc/settings"] = {
                "server_url": cluster.fakes["fake-ondoc"],
                "company_token": credentials.ondoc_company_token,
                "branch_token": credentials.ondoc_branch_token,
                "callback_secrets": [credentials.ondoc_callback_secret],
                "enabled": True,
            }
        for path, body in changes.items():
            # Settings refuse an edit without a version (428): `*` sets them whatever they hold.
            response = api.put(path, json=body, headers={**headers, "If-Match": "*"})
            if response.status_code != 200:
                raise RuntimeError(f"PUT {path} answered {response.status_code}: {response.text}")


def _port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _up() -> None:
    pid_file = STATE_DIR / "pids.json"
    if pid_file.exists():
        sys.exit(f"A cluster seems to be running (see {pid_file}); run `make down` first.")
    database_url = os.environ.get("CLINIC_DATABASE_URL") or DEFAULT_DATABASE_URL
    amqp_url = os.environ.get("CLINIC_AMQP_URL") or DEFAULT_AMQP_URL
    gateway_port = int(os.environ.get("CLINIC_PORT", "8000"))
    # CLINIC_GATEWAY_REPLICAS=2: a second gateway process on the next port, as behind a load balancer.
    more_gateways = [gateway_port + n for n in range(1, int(os.environ.get("CLINIC_GATEWAY_REPLICAS", "1")))]
    names = installed_services()
    ports = {name: 8101 + i for i, name in enumerate(KNOWN_SERVICES) if name in names}
    wanted = [gateway_port, *more_gateways, *ports.values(), *MAKE_UP_FAKE_PORTS.values()]
    taken = [port for port in wanted if _port_in_use(port)]
    if taken:
        sys.exit(f"Ports already in use: {', '.join(map(str, taken))}; stop what listens there first.")
    # The first start creates admin with this password; later starts must print (and use) the same one.
    password_file = STATE_DIR / "admin-password"
    admin_password = os.environ.get("CLINIC_ADMIN_PASSWORD")
    if not admin_password:
        admin_password = password_file.read_text().strip() if password_file.exists() else secrets.token_urlsafe(12)
        STATE_DIR.mkdir(parents=True, exist_ok=True)
        password_file.touch(mode=0o600)
        password_file.write_text(admin_password)
    # Stored credentials are encrypted with this key: a restart must use the same one.
    key_file = STATE_DIR / "secrets-key"
    secrets_key = os.environ.get("CLINIC_SECRETS_KEY")
    if not secrets_key:
        secrets_key = key_file.read_text().strip() if key_file.exists() else generate_key()
        STATE_DIR.mkdir(parents=True, exist_ok=True)
        key_file.touch(mode=0o600)
        key_file.write_text(secrets_key)
    # The own keys of the services that sign their own calls (the ONDOC bridge), kept like the others.
    own_keys = load_or_create(STATE_DIR, own_call_rights(names))
    # Each service and gateway process serves its port with one worker per CPU (clinic_shared.runner).
    os.environ.setdefault("CLINIC_WORKERS", str(os.cpu_count() or 1))
    print(f"Starting gateway + {', '.join(names)} and the fakes on PostgreSQL and RabbitMQ …", flush=True)
    cluster = start_cluster(
        admin_password=admin_password,
        secrets_key=secrets_key,
        service_private_keys=own_keys,
        state_dir=STATE_DIR,
        database_url=database_url,
        amqp_url=amqp_url,
        gateway_port=gateway_port,
        service_ports=ports,
        fakes=True,
        fake_ports=MAKE_UP_FAKE_PORTS,
        gateway_ports=more_gateways,
    )
    pid_file.write_text(json.dumps({name: p.pid for name, p in cluster.processes.items()}))
    (STATE_DIR / "fakes.json").write_text(json.dumps(cluster.fakes))
    print(f"\n  Up: {cluster.base_url}/api  (docs: {cluster.base_url}/api/docs)")
    for url in cluster.gateway_urls[1:]:
        print(f"      {url}/api  (another gateway process)")
    print(
        f"  Login: admin / {'$CLINIC_ADMIN_PASSWORD' if 'CLINIC_ADMIN_PASSWORD' in os.environ else cluster.admin_password}"
    )
    _print_fakes(cluster.fakes)
    print(f"  Logs:  tail -F {STATE_DIR}/logs/*.log\n  Stop:  make down\n")


def _print_fakes(fakes: dict[str, str]) -> None:
    """Where the fakes listen, and where to see what they received."""
    if "fake-ondoc" in fakes:
        url = fakes["fake-ondoc"]
        print(f"  Fake ONDOC:  {url}  (state: {url}/_control/state, patient actions: {url}/docs)")
    if "fake-sms" in fakes:
        url = fakes["fake-sms"]
        print(f"  Fake SMS:    {url}/sys/send.php, SMSC protocol  (sent: {url}/_control/messages)")
    if "smtp-sink" in fakes:
        print(f"  SMTP sink:   {fakes['smtp-sink']}  (received: {fakes['smtp-sink-view']}/_control/emails)")


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
    (STATE_DIR / "fakes.json").unlink(missing_ok=True)


def _status() -> None:
    pid_file = STATE_DIR / "pids.json"
    if not pid_file.exists():
        print("Not running.")
        return
    for name, pid in json.loads(pid_file.read_text()).items():
        print(f"{name:12} pid {pid:7} {'running' if _alive(pid) else 'DEAD'}")
    fakes_file = STATE_DIR / "fakes.json"
    if fakes_file.exists():
        _print_fakes(json.loads(fakes_file.read_text()))


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
