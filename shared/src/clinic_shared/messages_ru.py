"""Russian texts of the errors the shared library raises (clinic_shared.problems)."""

from __future__ import annotations

from clinic_shared.problems import register_messages

MESSAGES_RU = {
    # auth
    "A bearer token is required.": "Нужен токен доступа: войдите в систему.",
    "This service cannot verify tokens (no public key configured).": "Сервис не может проверить токен: не настроен открытый ключ.",
    "The right '{right}' is required.": "Нужно право «{right}».",
    "The token has expired.": "Срок действия токена истёк: войдите снова.",
    "The token is invalid.": "Токен недействителен: войдите снова.",
    "The session's rights have changed; refresh the token.": "Права сеанса изменились: обновите токен.",
    # concurrency
    "Someone changed this since you read it: reload it and make your change again.": (
        "Пока вы редактировали, данные изменил кто-то другой: обновите их и внесите изменение снова."
    ),
    "Send If-Match with the ETag of the version you changed (GET it first).": (
        "Укажите версию, которую вы изменяете (заголовок If-Match со значением ETag из ответа GET)."
    ),
    # errors
    "request body is not valid JSON": "тело запроса — не JSON",
    "Invalid input: {fields}": "Ошибка в данных: {fields}",
    "The database is not reachable; try again shortly.": "База данных недоступна; повторите попытку чуть позже.",
    "Stored credentials cannot be read with the configured secrets key; an administrator must restore the key "
    "(see docs/operations.md).": (
        "Сохранённые учётные данные не читаются текущим ключом шифрования; администратору нужно вернуть ключ "
        "(см. docs/operations.md)."
    ),
    "An unexpected error occurred; it has been logged.": "Непредвиденная ошибка; она записана в журнал.",
    "Not Found": "Не найдено",
    "Method Not Allowed": "Метод не поддерживается",
    # query parameters
    "Unknown query parameter(s): {', '.join(unknown[:10])}": "Неизвестные параметры запроса: {', '.join(unknown[:10])}",
    "unknown query parameter": "неизвестный параметр запроса",
    # calls between services
    "{self.spec.name} has no key for calls on its own behalf (CLINIC_SERVICE_PRIVATE_KEY).": (
        "У сервиса {self.spec.name} нет ключа для собственных вызовов (CLINIC_SERVICE_PRIVATE_KEY)."
    ),
    "The {name} service is not configured (CLINIC_{name.upper()}_URL).": (
        "Сервис {name} не настроен (CLINIC_{name.upper()}_URL)."
    ),
    # dates (clinic_shared.dates)
    "must be between 1900-01-01 and 2199-12-31": "должна быть между 1900-01-01 и 2199-12-31",
}
register_messages(MESSAGES_RU)
