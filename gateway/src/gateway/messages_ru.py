"""Russian texts of the errors the gateway answers itself (clinic_shared.problems): the
English text exactly as the source writes it → the Russian one, same placeholders."""

from __future__ import annotations

from clinic_shared.problems import register_messages

MESSAGES_RU = {
    # logging in, refreshing (auth_router.py, sessions.py)
    "Too many failed logins; try again later.": "Слишком много неудачных попыток входа; повторите попытку позже.",
    "Wrong username or password.": "Неверное имя пользователя или пароль.",
    "A refresh token is required (in the body or the refresh cookie).": (
        "Нужен токен обновления (в теле запроса или в cookie обновления)."
    ),
    "The refresh token is invalid.": "Токен обновления недействителен: войдите снова.",
    "The session has ended; log in again.": "Сеанс завершён; войдите снова.",
    "This refresh token was already used; the session has ended for safety. Log in again.": (
        "Этот токен обновления уже использован; в целях безопасности сеанс завершён. Войдите снова."
    ),
    # the web app's files (web.py)
    "No such file of the web app.": "Такого файла веб-приложения нет.",
    "No such API route.": "Такого адреса API нет.",
    # passwords (password_policy.py: the reason shown under the «Пароль» field)
    "is not your current password": "не совпадает с вашим текущим паролем",
    "must not be one or two characters repeated": "не может состоять из повторения одного-двух символов",
    "must not be a run of keys or digits like 12345678 or qwertyui": (
        "не может быть рядом клавиш или цифр вроде 12345678 или qwertyui"
    ),
    "is one of the most common passwords; choose another": "входит в число самых распространённых паролей; выберите другой",
    "must not contain the username": "не может содержать имя пользователя",
    # users and roles (auth_router.py, users.py, schemas.py)
    "You cannot delete yourself.": "Нельзя удалить собственную учётную запись.",
    "You cannot deactivate yourself.": "Нельзя деактивировать собственную учётную запись.",
    "yourself": "это ваша учётная запись",
    "Role '{body.name}' already exists.": "Роль «{body.name}» уже существует.",
    "User '{username}' already exists.": "Пользователь «{username}» уже существует.",
    "taken": "уже занято",
    "unknown right(s): {', '.join(unknown[:10])}": "неизвестные права: {', '.join(unknown[:10])}",
    "unknown role(s): {', '.join(missing)}": "неизвестные роли: {', '.join(missing)}",
    "malformed right(s): {', '.join(bad[:5])}": "неверно записанные права: {', '.join(bad[:5])}",
    "must be one of: {', '.join(sorted(audit.ACTIONS))}": "допустимые значения: {', '.join(sorted(audit.ACTIONS))}",
    "User not found.": "Пользователь не найден.",
    "Role not found.": "Роль не найдена.",
    "You can grant only rights you hold yourself; you do not hold: {', '.join(missing[:10])}.": (
        "Выдавать можно только права, которые есть у вас самих; у вас нет прав: {', '.join(missing[:10])}."
    ),
    "This {what} holds rights you do not hold ({', '.join(missing[:10])}); ask an administrator.": (
        "У этого объекта ({what}) есть права, которых нет у вас ({', '.join(missing[:10])}); обратитесь к администратору."
    ),
    "This user holds rights you do not hold ({', '.join(missing[:10])}); ask an administrator.": (
        "У этого пользователя есть права, которых нет у вас ({', '.join(missing[:10])}); обратитесь к администратору."
    ),
    "This role holds rights you do not hold ({', '.join(missing[:10])}); ask an administrator.": (
        "У этой роли есть права, которых нет у вас ({', '.join(missing[:10])}); обратитесь к администратору."
    ),
    "The admin role cannot be deleted.": "Роль администратора (admin) удалить нельзя.",
    "The admin role keeps every right ('*').": "Роль администратора (admin) сохраняет все права ('*').",
    "must keep '*'": "должна сохранять '*'",
    "At least one active user must keep every right ('*'): this change would leave none. "
    "Give another user the admin role first.": (
        "Хотя бы у одного активного пользователя должны остаться все права ('*'), а после этого изменения "
        "таких не останется. Сначала назначьте роль администратора другому пользователю."
    ),
    # platform settings (platform.py)
    "must be an IANA time zone, e.g. Europe/Moscow or Asia/Yekaterinburg": (
        "нужен часовой пояс IANA, например Europe/Moscow или Asia/Yekaterinburg"
    ),
    # the edge, the proxy, embedded mode and the live stream (edge.py, proxy.py, embedded.py, live/)
    "A bearer token is required (POST /api/auth/token).": "Нужен токен доступа: войдите в систему (POST /api/auth/token).",
    "URI too long": "Слишком длинный адрес запроса",
    "The query string is longer than {self.max_query} bytes.": "Строка параметров запроса длиннее {self.max_query} байт.",
    "The body is larger than {limit} bytes.": "Тело запроса больше {limit} байт.",
    "Content-Length is not a number.": "Заголовок Content-Length — не число.",
    "Too many requests; try again later.": "Слишком много запросов; повторите попытку позже.",
    "must not contain the NUL character (U+0000)": "не может содержать символ NUL (U+0000)",
    "No such API: /api/{service}/{path}": "Нет такого API: /api/{service}/{path}",
    "The {service} service did not answer in time.": "Сервис {service} не ответил вовремя.",
    "The {service} service is unavailable.": "Сервис {service} недоступен.",
    "unknown service(s): {', '.join(unknown)}": "неизвестные сервисы: {', '.join(unknown)}",
    "This is an event stream: send 'Accept: {EVENT_STREAM}'.": (
        "Это поток событий: отправьте заголовок 'Accept: {EVENT_STREAM}'."
    ),
}
register_messages(MESSAGES_RU)
