"""The profexam service's own problem types (`/problems/<code>`): the errors a front end tells apart."""

from __future__ import annotations

from clinic_shared.problems import ProblemType, register_problem_types

register_problem_types(
    ProblemType(
        "organization-scope-limited",
        403,
        "Limited to chosen organisations",
        "Доступ только к выбранным организациям",
        "A user limited to chosen organisations may not add organisations or manage access (PRO-8).",
    ),
    ProblemType(
        "organization-has-exams",
        409,
        "The organisation has exams",
        "У организации есть профосмотры",
        "An organisation with exams cannot be deleted; `conflicts` counts them.",
    ),
    ProblemType(
        "price-code-taken",
        409,
        "Service already in the price list",
        "Услуга уже есть в прайс-листе",
        "The contract's price list already has a service with this code; `conflicts` names it.",
    ),
    ProblemType(
        "employee-already-listed",
        409,
        "Already in the exam",
        "Пациент уже в списке профосмотра",
        "The patient is already an employee of this exam; `conflicts` names the row.",
    ),
    ProblemType(
        "headcount-exceeded",
        409,
        "More employees than the calculation plans",
        "Больше сотрудников, чем в расчёте",
        "Adding them would exceed the headcount of the calculation's position; `conflicts` names the line.",
    ),
    ProblemType(
        "factor-code-mapped",
        409,
        "Code already mapped",
        "Код уже сопоставлен",
        "The organisation's harmful factor code is already mapped to a dictionary code.",
    ),
    ProblemType(
        "contract-expired",
        409,
        "Contract expired",
        "Договор закончился",
        "The exam's contract (or every contract of the organisation) has ended: no import until a current one.",
    ),
)
