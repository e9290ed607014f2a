"""What the fake ONDOC remembers, and the failures a test can make it produce."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ondoc_bridge.ondoc.contract import AppointmentUpsert
from ondoc_bridge.outbound.rules import replaces

FailureMode = Literal["error", "timeout", "apply_then_timeout"]


@dataclass
class FakeConfig:
    """Tokens it accepts and where (and with which secret) it sends callbacks."""

    company_token: str = "fake-company-token"
    branch_token: str = "fake-branch-token"
    callback_url: str = "http://127.0.0.1:8000/api/ondoc/callbacks"
    callback_secret: str = "fake-ondoc-callback-secret"
    hang_seconds: float = 60.0


@dataclass
class Failure:
    """Answer 500 (`error`), hang (`timeout`), or apply and then hang (`apply_then_timeout`: the
    change is made but the answer never arrives) for the next `count` calls or `seconds`."""

    mode: FailureMode | None = None
    remaining: int | None = None
    until: float | None = None

    def take(self) -> FailureMode | None:
        """The failure for this call (and one fewer left), or None."""
        if self.mode is None:
            return None
        if self.until is not None and time.monotonic() >= self.until:
            self.mode = None
            return None
        if self.remaining is not None:
            if self.remaining <= 0:
                self.mode = None
                return None
            self.remaining -= 1
        return self.mode

    def describe(self) -> dict[str, Any]:
        """The failure in force, as JSON."""
        left = None if self.until is None else max(0.0, self.until - time.monotonic())
        return {"mode": self.mode, "remaining": self.remaining, "seconds_left": left}


@dataclass
class FakeAppointment:
    mis_id: str
    version: int
    current: dict[str, Any]
    # every version this fake applied, in the order it applied them
    versions: list[int] = field(default_factory=list)
    ignored_versions: list[int] = field(default_factory=list)


@dataclass
class FakePatient:
    ondoc_patient_id: str
    mis_patient_id: str | None
    status: Literal["attached", "detached"]
    detach_reason: str | None = None


@dataclass
class FakeOndoc:
    config: FakeConfig = field(default_factory=FakeConfig)
    failure: Failure = field(default_factory=Failure)
    appointments: dict[str, FakeAppointment] = field(default_factory=dict)
    patients: dict[str, FakePatient] = field(default_factory=dict)
    directories: dict[str, dict[str, Any]] = field(default_factory=dict)
    free_slots: dict[str, Any] | None = None
    calls: int = 0
    failed_calls: int = 0

    def upsert_appointment(self, upsert: AppointmentUpsert) -> tuple[bool, int]:
        """Keep the highest version per our id; an older or equal one changes nothing."""
        key = str(upsert.mis_id)
        body = upsert.model_dump(mode="json")
        known = self.appointments.get(key)
        if known is None:
            self.appointments[key] = FakeAppointment(key, upsert.version, body, [upsert.version])
            return True, upsert.version
        if not replaces(known.version, upsert.version):
            known.ignored_versions.append(upsert.version)
            return False, known.version
        known.version, known.current = upsert.version, body
        known.versions.append(upsert.version)
        return True, upsert.version

    def attach(self, ondoc_patient_id: str, mis_patient_id: str | None) -> None:
        """Remember a patient as attached to the clinic."""
        self.patients[ondoc_patient_id] = FakePatient(ondoc_patient_id, mis_patient_id, "attached")

    def detach(self, ondoc_patient_id: str, reason: str | None) -> None:
        """Remember a patient as detached (known or not)."""
        patient = self.patients.get(ondoc_patient_id)
        if patient is None:
            patient = self.patients[ondoc_patient_id] = FakePatient(ondoc_patient_id, None, "attached")
        patient.status, patient.detach_reason = "detached", reason

    def reset(self) -> None:
        """Forget everything and stop failing."""
        self.failure = Failure()
        self.appointments.clear()
        self.patients.clear()
        self.directories.clear()
        self.free_slots = None
        self.calls = self.failed_calls = 0

    def snapshot(self) -> dict[str, Any]:
        """Everything, as JSON (what GET /_control/state shows)."""
        return {
            "appointments": {key: asdict(value) for key, value in self.appointments.items()},
            "patients": {key: asdict(value) for key, value in self.patients.items()},
            "directories": self.directories,
            "free_slots": self.free_slots,
            "calls": self.calls,
            "failed_calls": self.failed_calls,
            "failure": self.failure.describe(),
            "callback_url": self.config.callback_url,
        }
