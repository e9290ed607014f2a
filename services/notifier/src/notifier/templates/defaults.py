"""Default texts of the mailing schedules, in Russian, as the clinic's patients read them.

A schedule created without `template` gets its type's text (and, for e-mail, the subject when
none is given). They use only the parameters the type fills, like any template (checked by
the tests), and follow the source's examples: a reminder names the date, time and doctor, a
greeting the first name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DefaultTemplate:
    template: str
    subject: str


DEFAULT_TEMPLATES: dict[str, DefaultTemplate] = {
    "days_before_appointment": DefaultTemplate(
        "%Name1% %Name2%, напоминаем о записи на приём %Date% в %Time%, врач %Doctor%. %ClinicName% %ClinicPhone%",
        "Напоминание о записи на приём",
    ),
    "days_before_birthday": DefaultTemplate(
        "%Name1% %Name2%, поздравляем вас с днём рождения! Желаем крепкого здоровья. %ClinicName%",
        "С днём рождения!",
    ),
    "minutes_before_appointment": DefaultTemplate(
        "%Name1%, ждём вас сегодня в %Time%, кабинет %Cabinet%. %ClinicName% %ClinicPhone%",
        "Ждём вас на приём",
    ),
    "after_services": DefaultTemplate(
        "%Name1%, как вы себя чувствуете после приёма %Date%? Будем рады вашему отзыву. %ClinicName%",
        "Как вы себя чувствуете?",
    ),
    "after_status_change": DefaultTemplate(
        "%Name1%, спасибо, что были у нас! Оцените, пожалуйста, приём у врача %Doctor%. %ClinicName%",
        "Спасибо за визит",
    ),
    "lab_result_ready": DefaultTemplate(
        "%Name1%, результаты ваших анализов готовы. %ClinicName% %ClinicPhone%",
        "Результаты анализов готовы",
    ),
    "discount_card_issued": DefaultTemplate(
        "%Name1%, вам выдана дисконтная карта %DiscountCard% со скидкой %DiscountPercent%%. %ClinicName%",
        "Ваша дисконтная карта",
    ),
}
