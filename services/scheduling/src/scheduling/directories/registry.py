"""The directories and what makes each one different: its table, bodies, references, uses."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from scheduling.appointments.models import Appointment, AppointmentServiceLine, StatusHistory
from scheduling.directories import models as m
from scheduling.directories import schemas as s
from scheduling.schedules.models import WorkSchedule
from scheduling.waitlist.models import WaitlistEntry

Use = tuple[Any, str]  # (referencing column, what it is in words)


@dataclass(frozen=True)
class DirectorySpec:
    """One directory: `path` under the service root, and the rules of its items."""

    path: str
    label: str
    model: type[Any]
    create: type[BaseModel]
    update: type[BaseModel]
    read: type[BaseModel]
    filters: type[BaseModel] = s.NoFilters
    order_by: tuple[str, ...] = ("name",)
    # body field → (the directory model the id must name, its label)
    references: Mapping[str, tuple[type[Any], str]] = field(default_factory=dict)
    unique: tuple[str, ...] = ()
    # fields PATCH may not clear with null
    required: tuple[str, ...] = ("name",)
    # phone fields: stored normalised like card phones (clinic_shared.phones, CLINIC_PHONE_REGION)
    phones: tuple[str, ...] = ()
    used_by: Callable[[], list[Use]] = lambda: []


def _named(path: str, label: str, model: type[Any], used_by: Callable[[], list[Use]]) -> DirectorySpec:
    return DirectorySpec(path, label, model, s.NamedCreate, s.NamedUpdate, s.NamedRead, used_by=used_by)


DIRECTORIES: tuple[DirectorySpec, ...] = (
    DirectorySpec(
        "buildings",
        "building",
        m.Building,
        s.BuildingCreate,
        s.BuildingUpdate,
        s.BuildingRead,
        phones=("phone",),
        used_by=lambda: [
            (m.Cabinet.building_id, "cabinets"),
            (m.Doctor.building_id, "doctors"),
            (Appointment.building_id, "appointments"),
        ],
    ),
    _named(
        "departments",
        "department",
        m.Department,
        lambda: [(m.Cabinet.department_id, "cabinets"), (m.Doctor.department_id, "doctors")],
    ),
    DirectorySpec(
        "cabinets",
        "cabinet",
        m.Cabinet,
        s.CabinetCreate,
        s.CabinetUpdate,
        s.CabinetRead,
        filters=s.CabinetFilters,
        references={"building_id": (m.Building, "building"), "department_id": (m.Department, "department")},
        used_by=lambda: [(WorkSchedule.cabinet_id, "schedules"), (Appointment.cabinet_id, "appointments")],
    ),
    _named(
        "specializations",
        "specialization",
        m.Specialization,
        lambda: [
            (m.doctor_specializations.c.specialization_id, "doctors"),
            (WaitlistEntry.specialization_id, "waiting-list entries"),
        ],
    ),
    DirectorySpec(
        "doctors",
        "doctor",
        m.Doctor,
        s.DoctorCreate,
        s.DoctorUpdate,
        s.DoctorRead,
        filters=s.DoctorFilters,
        order_by=("last_name", "first_name", "middle_name"),
        references={"building_id": (m.Building, "building"), "department_id": (m.Department, "department")},
        required=("last_name", "first_name", "specialization_ids"),
        phones=("phone",),
        used_by=lambda: [
            (WorkSchedule.doctor_id, "schedules"),
            (Appointment.doctor_id, "appointments"),
            (WaitlistEntry.doctor_id, "waiting-list entries"),
        ],
    ),
    DirectorySpec(
        "services",
        "service",
        m.PriceService,
        s.ServiceCreate,
        s.ServiceUpdate,
        s.ServiceRead,
        filters=s.ServiceFilters,
        order_by=("group", "name"),
        unique=("code",),
        required=("name", "code", "price"),
        used_by=lambda: [(AppointmentServiceLine.service_id, "appointments")],
    ),
    _named(
        "appointment-kinds",
        "appointment kind",
        m.AppointmentKind,
        lambda: [(Appointment.kind_id, "appointments"), (WaitlistEntry.kind_id, "waiting-list entries")],
    ),
    _named(
        "info-sources",
        "information source",
        m.InfoSource,
        lambda: [(Appointment.info_source_id, "appointments"), (WaitlistEntry.info_source_id, "waiting-list entries")],
    ),
    DirectorySpec(
        "record-types",
        "record type",
        m.RecordType,
        s.RecordTypeCreate,
        s.RecordTypeUpdate,
        s.RecordTypeRead,
        unique=("code",),
        required=("name", "code"),
        used_by=lambda: [
            (Appointment.record_type_id, "appointments"),
            (WaitlistEntry.record_type_id, "waiting-list entries"),
        ],
    ),
    _named(
        "communication-statuses",
        "communication status",
        m.CommunicationStatus,
        lambda: [(Appointment.communication_status_id, "appointments")],
    ),
    DirectorySpec(
        "appointment-statuses",
        "appointment status",
        m.AppointmentStatus,
        s.StatusCreate,
        s.StatusUpdate,
        s.StatusRead,
        required=("name", "colour", "sets_processed"),
        used_by=lambda: [(Appointment.status_id, "appointments"), (StatusHistory.status_id, "status histories")],
    ),
    DirectorySpec(
        "deletion-reasons",
        "deletion reason",
        m.DeletionReason,
        s.NamedCreate,
        s.DeletionReasonUpdate,
        s.DeletionReasonRead,
        used_by=lambda: [(Appointment.deletion_reason_id, "appointments")],
    ),
    DirectorySpec(
        "day-types",
        "day type",
        m.DayType,
        s.DayTypeCreate,
        s.DayTypeUpdate,
        s.DayTypeRead,
        required=("name", "colour"),
        used_by=lambda: [(WorkSchedule.day_type_id, "schedules")],
    ),
)
