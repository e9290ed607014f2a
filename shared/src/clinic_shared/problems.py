"""What an error answer says, for a front end to act on and a receptionist to read (#15).

Every problem (RFC 9457) carries a stable machine `code` and `type` = `/problems/<code>`
(a URI under the platform's own namespace), the public path in `instance` (`/api/scheduling/…`,
the gateway tells a service its prefix in `X-Forwarded-Prefix`), field errors as
`errors: [{field, code, message}]`, and `title`, `detail` and each `message` in the language
the client asked for in `Accept-Language`: Russian unless it prefers English.

Code raises errors with English texts; the Russian ones are kept in catalogues, one per
service (`<service>/messages_ru.py`, registered with `register_messages`), keyed by the English
text exactly as the source writes it, f-string placeholders included:
`"No such doctor: {doctor_id}"` → `"Нет такого врача: {doctor_id}"`. A test walks every
service's source and fails on a text without its translation (tests/contract).

Problem types are registered with their status and titles (`register_problem_types`); the
generic ones, one per status, are below. docs/api.md lists them all (a test keeps it true).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "ru"
PROBLEM_NAMESPACE = "/problems/"

language_var: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)
public_prefix_var: ContextVar[str] = ContextVar("public_prefix", default="")
_PREFIX = re.compile(r"^/api/[a-z][a-z0-9-]{0,30}$")


@dataclass(frozen=True)
class ProblemType:
    code: str
    status: int
    title: str
    title_ru: str
    description: str = ""

    @property
    def uri(self) -> str:
        return f"{PROBLEM_NAMESPACE}{self.code}"


PROBLEM_TYPES: dict[str, ProblemType] = {}


def register_problem_types(*types: ProblemType) -> None:
    for problem in types:
        known = PROBLEM_TYPES.get(problem.code)
        if known is not None and known != problem:
            raise ValueError(f"problem type {problem.code} registered twice, differently")
        PROBLEM_TYPES[problem.code] = problem


GENERIC = {
    400: ProblemType(
        "bad-request", 400, "Bad request", "Некорректный запрос", "the request cannot be read (e.g. a broken body)"
    ),
    401: ProblemType(
        "unauthorized", 401, "Not authenticated", "Требуется вход", "no valid access token: refresh it or log in"
    ),
    403: ProblemType(
        "forbidden",
        403,
        "Forbidden",
        "Недостаточно прав",
        "the user lacks a right (`missing_right`) or may not see this object",
    ),
    404: ProblemType("not-found", 404, "Not found", "Не найдено", "no such resource, or not one the user may see"),
    405: ProblemType(
        "method-not-allowed",
        405,
        "Method not allowed",
        "Метод не поддерживается",
        "the path exists, the method does not",
    ),
    406: ProblemType(
        "not-acceptable",
        406,
        "Not acceptable",
        "Формат ответа не поддерживается",
        "the client does not accept what this answers (e.g. the event stream without `Accept: text/event-stream`)",
    ),
    409: ProblemType(
        "conflict", 409, "Conflict", "Конфликт с текущим состоянием", "the change collides with the current state"
    ),
    412: ProblemType(
        "version-mismatch",
        412,
        "Precondition failed",
        "Данные изменились",
        "`If-Match` (or the body's `version`) names an older version: reload (`current_version`, `etag`)",
    ),
    413: ProblemType(
        "payload-too-large", 413, "Payload too large", "Слишком большой запрос", "the body is over this route's limit"
    ),
    415: ProblemType(
        "unsupported-media-type",
        415,
        "Unsupported media type",
        "Неподдерживаемый тип данных",
        "the body's content type is not one this route takes",
    ),
    422: ProblemType(
        "validation-failed",
        422,
        "Validation failed",
        "Ошибка в данных",
        "input refused: `errors` names each field with its code",
    ),
    428: ProblemType(
        "if-match-required",
        428,
        "Precondition required",
        "Нужна версия (If-Match)",
        "this edit needs `If-Match` with the ETag of the version changed",
    ),
    429: ProblemType(
        "too-many-requests",
        429,
        "Too many requests",
        "Слишком много запросов",
        "too many tries: wait `Retry-After` seconds",
    ),
    500: ProblemType(
        "internal-error",
        500,
        "Internal server error",
        "Внутренняя ошибка",
        "a fault on our side, logged with the request id",
    ),
    502: ProblemType(
        "bad-gateway",
        502,
        "Bad gateway",
        "Ошибка внешнего сервиса",
        "an outside system (ONDOC, a lab, an SMS provider) answered with an error",
    ),
    503: ProblemType(
        "service-unavailable",
        503,
        "Service unavailable",
        "Сервис недоступен",
        "a service or its database is not reachable now: try again shortly",
    ),
    504: ProblemType(
        "gateway-timeout", 504, "Gateway timeout", "Превышено время ожидания", "a service did not answer in time"
    ),
}
register_problem_types(*GENERIC.values())


def generic(status: int) -> ProblemType:
    return GENERIC.get(status) or ProblemType("error", status, "Error", "Ошибка")


# --- Languages ------------------------------------------------------------------------------


def negotiate(accept_language: str | None) -> str:
    """`ru` or `en` from an Accept-Language header (q-values honoured); Russian by default."""
    best, best_q = DEFAULT_LANGUAGE, -1.0
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        language = tag.strip().lower().split("-")[0]
        if language not in LANGUAGES:
            continue
        q = 1.0
        match = re.search(r"q=([^;,\s]*)", params)
        if match:
            try:
                q = float(match.group(1))
            except ValueError:
                continue
        if q > best_q or (q == best_q and position == 0):
            best, best_q = language, q
    return best if best_q > 0 else DEFAULT_LANGUAGE


def set_request_language(accept_language: str | None, forwarded_prefix: str | None) -> Any:
    """Called once per request (clinic_shared.middleware); pass the result to `reset_request_language`."""
    prefix = (forwarded_prefix or "").strip()
    return (
        language_var.set(negotiate(accept_language)),
        public_prefix_var.set(prefix if _PREFIX.match(prefix) else ""),
    )


def reset_request_language(tokens: Any) -> None:
    language_var.reset(tokens[0])
    public_prefix_var.reset(tokens[1])


# --- Messages -------------------------------------------------------------------------------

_exact: dict[str, str] = {}
_patterns: list[tuple[re.Pattern[str], str, list[str]]] = []
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def _compile(template: str) -> tuple[re.Pattern[str], list[str]]:
    names: list[str] = []
    pattern, position = "", 0
    for match in _PLACEHOLDER.finditer(template):
        pattern += re.escape(template[position : match.start()]) + "(.+?)"
        names.append(match.group(1))
        position = match.end()
    return re.compile(f"^{pattern}{re.escape(template[position:])}$", re.S), names


def register_messages(catalogue: Mapping[str, str]) -> None:
    """English text (as the source writes it) → Russian text, same placeholders."""
    for english, russian in catalogue.items():
        if _PLACEHOLDER.search(english):
            pattern, names = _compile(english)
            _patterns.append((pattern, russian, names))
        else:
            _exact[english] = russian
    # The most specific template first: the one with the most fixed text.
    _patterns.sort(key=lambda item: -len(_PLACEHOLDER.sub("", item[0].pattern)))


def known_message(english: str) -> bool:
    """Whether a source text (a template, placeholders as written) has a translation."""
    if english in _exact:
        return True
    return any(pattern.pattern == _compile(english)[0].pattern for pattern, _, _ in _patterns)


def translate(text: str, language: str | None = None) -> str:
    """`text` in `language` (the request's by default); as it is when nothing translates it."""
    if (language or language_var.get()) != "ru" or not text:
        return text
    if text in _exact:
        return _exact[text]
    for pattern, russian, names in _patterns:
        match = pattern.match(text)
        if match:
            return _fill(russian, dict(zip(names, match.groups(), strict=True)))
    return text


def _fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


# --- Field errors (pydantic) ----------------------------------------------------------------

_FIELD_MESSAGES_RU = {
    "missing": "обязательное поле",
    "extra_forbidden": "такого поля нет",
    "string_too_short": "слишком короткое значение",
    "string_too_long": "слишком длинное значение",
    "string_pattern_mismatch": "неверный формат",
    "string_type": "нужна строка",
    "int_type": "нужно целое число",
    "int_parsing": "нужно целое число",
    "int_from_float": "нужно целое число",
    "float_type": "нужно число",
    "float_parsing": "нужно число",
    "decimal_parsing": "нужно число",
    "decimal_type": "нужно число",
    "decimal_max_digits": "слишком много цифр",
    "decimal_max_places": "слишком много знаков после запятой",
    "bool_type": "нужно да или нет (true/false)",
    "bool_parsing": "нужно да или нет (true/false)",
    "greater_than": "значение слишком мало",
    "greater_than_equal": "значение слишком мало",
    "less_than": "значение слишком велико",
    "less_than_equal": "значение слишком велико",
    "too_short": "слишком мало элементов",
    "too_long": "слишком много элементов",
    "list_type": "нужен список",
    "dict_type": "нужен объект",
    "model_type": "нужен объект",
    "model_attributes_type": "нужен объект",
    "uuid_type": "нужен UUID",
    "uuid_parsing": "неверный UUID",
    "date_type": "нужна дата",
    "date_parsing": "неверная дата (ГГГГ-ММ-ДД)",
    "date_from_datetime_parsing": "неверная дата (ГГГГ-ММ-ДД)",
    "date_from_datetime_inexact": "нужна дата без времени",
    "datetime_type": "нужны дата и время",
    "datetime_parsing": "неверные дата и время (ISO 8601)",
    "datetime_from_date_parsing": "неверные дата и время (ISO 8601)",
    "timezone_aware": "нужно время с часовым поясом",
    "timezone_naive": "нужно время без часового пояса",
    "time_type": "нужно время",
    "time_parsing": "неверное время (ЧЧ:ММ)",
    "enum": "недопустимое значение",
    "literal_error": "недопустимое значение",
    "json_invalid": "тело запроса — не JSON",
    "json_type": "нужен JSON",
    "value_error": "недопустимое значение",
    "assertion_error": "недопустимое значение",
    "url_parsing": "неверный адрес",
    "url_scheme": "неверная схема адреса",
    "union_tag_invalid": "недопустимое значение",
    "none_required": "значение не допускается",
    "finite_number": "нужно конечное число",
    "multiple_of": "значение не кратно нужному шагу",
    "frozen_field": "поле нельзя изменить",
    "invalid": "недопустимое значение",
}


def field_message(code: str, english: str, context: Mapping[str, Any] | None = None) -> str:
    """A field error's message in the request's language.

    A message a validator wrote itself (`value_error`, or a ValidationFailed) is translated
    through the catalogues; pydantic's own by its error type, with the limit it names."""
    if language_var.get() != "ru":
        return english
    if code in ("value_error", "assertion_error", "invalid") or code not in _FIELD_MESSAGES_RU:
        own = english.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        translated = translate(own, "ru")
        if translated != own or code not in _FIELD_MESSAGES_RU:
            return translated
    message = _FIELD_MESSAGES_RU[code]
    for key, unit in (("min_length", "не короче"), ("max_length", "не длиннее")):
        if context and key in context:
            return f"{message}: {unit} {context[key]}"
    for key, word in (("ge", "не меньше"), ("gt", "больше"), ("le", "не больше"), ("lt", "меньше")):
        if context and key in context:
            return f"{message}: {word} {context[key]}"
    if context and context.get("expected"):
        return f"{message}: {context['expected']}"
    return message


def localise(body: dict[str, Any]) -> dict[str, Any]:
    """A problem body as this request's client reads it: its code and type, the public
    `instance`, and the texts in the request's language."""
    status = int(body.get("status", 500))
    code = body.get("code") or _code_of(body) or generic(status).code
    body["code"] = code
    body["type"] = f"{PROBLEM_NAMESPACE}{code}"
    instance = body.get("instance")
    prefix = public_prefix_var.get()
    if prefix and isinstance(instance, str) and instance.startswith("/") and not instance.startswith("/api/"):
        body["instance"] = prefix + instance
    russian = language_var.get() == "ru"
    problem = PROBLEM_TYPES.get(code) or generic(status)
    english_title = body.get("title")
    if english_title in (None, "", problem.title, generic(status).title):  # not a title of its own: the code's
        body["title"] = problem.title_ru if russian else problem.title
    elif russian:
        body["title"] = translate(str(english_title), "ru")
    if russian:
        detail = body.get("detail")
        for error in body.get("errors") or []:
            if isinstance(error, dict) and isinstance(error.get("message"), str):
                english = error["message"]
                error["message"] = field_message(str(error.get("code", "invalid")), english, error.get("ctx"))
                if detail == f"{error.get('field')}: {english}":  # ValidationFailed.field's detail
                    detail = f"{error.get('field')}: {error['message']}"
        if isinstance(detail, str):
            body["detail"] = _translate_detail(detail)
    for error in body.get("errors") or []:
        if isinstance(error, dict):
            error.setdefault("code", "invalid")
            error.pop("ctx", None)
    return body


def _translate_detail(detail: str) -> str:
    """A detail in Russian; "Invalid input: a, b" (the 422 of a request's validation) too."""
    if detail.startswith("Invalid input: "):
        return "Ошибка в данных: " + detail.removeprefix("Invalid input: ")
    return translate(detail, "ru")


def _code_of(body: dict[str, Any]) -> str | None:
    kind = body.get("type")
    if isinstance(kind, str) and kind.startswith(PROBLEM_NAMESPACE):
        return kind.removeprefix(PROBLEM_NAMESPACE)
    return None
