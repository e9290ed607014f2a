"""A private RabbitMQ node for the fault tests.

Other test runs share the broker at 127.0.0.1:5672, so stopping it would break them. The fault
suite boots its own node (own name, ports, data and log directories, Erlang cookie) from the
installed RabbitMQ, stops and starts its application for the outage test, and stops it at the
end. `rabbitmqctl` talks to it through the same private HOME (the cookie lives there).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

RABBITMQ_BIN = Path("/usr/lib/rabbitmq/bin")
# rabbitmqctl itself listens on `dist port + 10000…10010`: keep our ports clear of the range the
# CLI of the shared node (dist port 25672) uses, and out of the ephemeral range.
_PORT_RANGE = (20000, 24999)


def rabbitmq_available() -> bool:
    return (RABBITMQ_BIN / "rabbitmq-server").exists() and shutil.which("erl") is not None


def _free_port_in_range() -> int:
    for _ in range(200):
        port = random.randint(*_PORT_RANGE)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for the private RabbitMQ node")


@dataclass
class PrivateBroker:
    """One RabbitMQ node of our own; `amqp_url` points services at it."""

    base: Path
    node: str
    port: int
    dist_port: int

    @classmethod
    def start(cls, base: Path, wait_seconds: float = 90.0) -> PrivateBroker:
        base.mkdir(parents=True, exist_ok=True)
        broker = cls(base, f"clinicfault{os.getpid()}@localhost", _free_port_in_range(), _free_port_in_range())
        (base / "enabled_plugins").write_text("[].\n")
        (base / "rabbitmq.conf").write_text("loopback_users = none\n")
        (base / "rabbitmq-env.conf").write_text("")
        broker._boot(wait_seconds)
        return broker

    def _boot(self, wait_seconds: float) -> None:
        """Start the node's VM (same name, ports and data directory every time) and wait for it."""
        (self.base / "pid").unlink(missing_ok=True)  # `rabbitmqctl wait` must not read the last VM's
        log = (self.base / "server.out").open("ab")
        subprocess.Popen(
            [str(RABBITMQ_BIN / "rabbitmq-server")],
            env=self._env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=self.base,
        )
        try:
            self.ctl("wait", str(self.base / "pid"), "--timeout", str(int(wait_seconds)), timeout=wait_seconds + 10)
        except BaseException:
            self.stop()
            raise

    @property
    def amqp_url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def _env(self) -> dict[str, str]:
        base = self.base
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith(("RABBITMQ_", "ERL_"))},
            "HOME": str(base),
            "RABBITMQ_CONF_ENV_FILE": str(base / "rabbitmq-env.conf"),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
            "RABBITMQ_LOG_BASE": str(base / "log"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(base / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(base / "rabbitmq.conf"),
            "RABBITMQ_PID_FILE": str(base / "pid"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        }

    def ctl(self, *args: str, timeout: float = 60.0) -> str:
        result = subprocess.run(
            [str(RABBITMQ_BIN / "rabbitmqctl"), "-n", self.node, *args],
            env=self._env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"rabbitmqctl {' '.join(args)} failed: {result.stdout[-500:]} {result.stderr[-500:]}")
        return result.stdout

    def stop_app(self) -> None:
        """The outage: the node stays up, its AMQP application (and every connection) goes."""
        self.ctl("stop_app")

    def start_app(self) -> None:
        self.ctl("start_app")

    def restart(self, wait_seconds: float = 90.0) -> None:
        """Stop the whole node (the Erlang VM, as a host reboot would) and boot it again on its
        data directory: what survives is what the node keeps on disk."""
        self.ctl("stop", str(self.base / "pid"), timeout=60)  # returns once the VM has exited
        self._boot(wait_seconds)

    def queue_types(self) -> dict[str, str]:
        out = self.ctl("list_queues", "name", "type", "--formatter", "json", "--quiet")
        return {row["name"]: str(row["type"]) for row in json.loads(out or "[]")}

    def queue_depths(self) -> dict[str, int]:
        """Ready + unacknowledged messages of every queue of the node."""
        out = self.ctl("list_queues", "name", "messages", "--formatter", "json", "--quiet")
        return {row["name"]: int(row["messages"]) for row in json.loads(out or "[]")}

    def consumers(self) -> dict[str, int]:
        out = self.ctl("list_queues", "name", "consumers", "--formatter", "json", "--quiet")
        return {row["name"]: int(row["consumers"]) for row in json.loads(out or "[]")}

    def stop(self) -> None:
        """Stop the node (the whole Erlang VM); kill it by its pid file if the CLI cannot."""
        try:
            self.ctl("stop", timeout=30)
            return
        except (RuntimeError, subprocess.TimeoutExpired):
            pass
        pid_file = self.base / "pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text().strip()), 9)
            except (ValueError, ProcessLookupError):
                pass


def wait_until(check, timeout: float, interval: float = 0.3):  # type: ignore[no-untyped-def]
    """Poll a synchronous `check` until it returns something truthy (or raise TimeoutError)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"condition not met in {timeout:.0f}s (last: {result!r})")
        time.sleep(interval)
