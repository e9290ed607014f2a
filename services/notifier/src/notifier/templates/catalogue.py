"""The template parameters (NOT-4): names, descriptions (in Russian: staff pick parameters by
them, «Параметры») and which message kinds provide each."""

from __future__ import annotations

from dataclasses import dataclass

from notifier.schedules.kinds import APPOINTMENT_TYPES, ATTACH_CODE_KIND, MESSAGE_KINDS

_ALL = MESSAGE_KINDS
_APPOINTMENT = tuple(k for k in MESSAGE_KINDS if k in APPOINTMENT_TYPES)


@dataclass(frozen=True)
class TemplateParameter:
    name: str
    description: str
    example: str
    provided_by: tuple[str, ...]

    @property
    def token(self) -> str:
        return f"%{self.name}%"


PARAMETERS: tuple[TemplateParameter, ...] = (
    TemplateParameter("Name1", "Имя пациента", "Иван", _ALL),
    TemplateParameter("Name2", "Отчество пациента", "Петрович", _ALL),
    TemplateParameter("Name3", "Фамилия пациента", "Иванов", _ALL),
    TemplateParameter("FullName", "Фамилия, имя и отчество пациента", "Иванов Иван Петрович", _ALL),
    TemplateParameter("Date", "Дата приёма, дд.мм.гггг (по часовому поясу клиники)", "15.03.2027", _APPOINTMENT),
    TemplateParameter("Time", "Время начала приёма, ЧЧ:ММ (по часовому поясу клиники)", "10:30", _APPOINTMENT),
    TemplateParameter("Weekday", "День недели приёма", "понедельник", _APPOINTMENT),
    TemplateParameter("Doctor", "Врач", "Петров П. П.", _APPOINTMENT),
    TemplateParameter("Cabinet", "Кабинет", "101", _APPOINTMENT),
    TemplateParameter("Building", "Корпус", "Главный корпус", _APPOINTMENT),
    TemplateParameter("Address", "Адрес корпуса", "ул. Ленина, 1", _APPOINTMENT),
    TemplateParameter("AppointmentNumber", "Номер записи на приём", "A-000123", _APPOINTMENT),
    TemplateParameter("Age", "Сколько лет исполняется пациенту в день рождения", "40", ("days_before_birthday",)),
    TemplateParameter("DiscountCard", "Номер дисконтной карты", "00000042", ("discount_card_issued",)),
    TemplateParameter("DiscountPercent", "Процент скидки по карте", "5", ("discount_card_issued",)),
    TemplateParameter("Code", "Код привязки к ONDOC", "123456789", (ATTACH_CODE_KIND,)),
    TemplateParameter("ClinicName", "Название клиники (из настроек)", "Клиника «Здоровье»", _ALL),
    TemplateParameter("ClinicPhone", "Телефон клиники (из настроек)", "+7 (343) 000-00-00", _ALL),
    TemplateParameter("ClinicAddress", "Адрес клиники (из настроек)", "ул. Ленина, 1", _ALL),
)
BY_NAME: dict[str, TemplateParameter] = {p.name.lower(): p for p in PARAMETERS}


def parameter(name: str) -> TemplateParameter | None:
    """The parameter called `name` (case-insensitive), if there is one."""
    return BY_NAME.get(name.lower())


def sample_values() -> dict[str, str]:
    """Example values of every parameter, for a preview without real data."""
    return {p.name: p.example for p in PARAMETERS}
