"""The gateway's own problems a front end tells apart (`code`, `/problems/<code>`), registered once.

The login screen tells a wrong password from a held-back login (wait `retry_after` seconds);
a client refreshing tokens tells a refresh token to drop (`refresh-token-invalid`,
`session-ended`, `refresh-token-reused`: log in again) from a passing failure; the user and role
screens name what is refused: a taken name, rights the editor does not hold, the last full
administrator, the built-in admin role, one's own account. A query string over the gateway's
limit is refused at its edge (`uri-too-long`).
"""

from __future__ import annotations

from clinic_shared.problems import ProblemType, register_problem_types

WRONG_CREDENTIALS = "wrong-credentials"
LOGIN_THROTTLED = "login-throttled"
REFRESH_TOKEN_INVALID = "refresh-token-invalid"
SESSION_ENDED = "session-ended"
REFRESH_TOKEN_REUSED = "refresh-token-reused"
USERNAME_TAKEN = "username-taken"
ROLE_NAME_TAKEN = "role-name-taken"
OWN_ACCOUNT = "own-account"
GRANT_EXCEEDS_OWN_RIGHTS = "grant-exceeds-own-rights"
TARGET_EXCEEDS_OWN_RIGHTS = "target-exceeds-own-rights"
ADMIN_ROLE_PROTECTED = "admin-role-protected"
LAST_ADMIN = "last-admin"
URI_TOO_LONG = "uri-too-long"

register_problem_types(
    ProblemType(
        WRONG_CREDENTIALS,
        401,
        "Wrong username or password",
        "Неверное имя пользователя или пароль",
        "The login failed: unknown user, wrong password or a deactivated user (alike, on purpose).",
    ),
    ProblemType(
        LOGIN_THROTTLED,
        429,
        "Too many failed logins",
        "Слишком много неудачных попыток входа",
        "Logins of this username from this address are held back: try again after `retry_after` seconds.",
    ),
    ProblemType(
        REFRESH_TOKEN_INVALID,
        401,
        "Invalid refresh token",
        "Недействительный токен обновления",
        "No refresh token was sent, or it is not one the gateway issued: log in again.",
    ),
    ProblemType(
        SESSION_ENDED,
        401,
        "Session ended",
        "Сеанс завершён",
        "The session has expired or was ended (logout, new password, deactivated user): log in again.",
    ),
    ProblemType(
        REFRESH_TOKEN_REUSED,
        401,
        "Refresh token reused",
        "Токен обновления использован повторно",
        "A replaced refresh token came back (a sign it was stolen): the session has ended, log in again.",
    ),
    ProblemType(
        USERNAME_TAKEN,
        409,
        "Username taken",
        "Имя пользователя занято",
        "Another user already has this username.",
    ),
    ProblemType(
        ROLE_NAME_TAKEN,
        409,
        "Role name taken",
        "Название роли занято",
        "Another role already has this name.",
    ),
    ProblemType(
        OWN_ACCOUNT,
        409,
        "Not with one's own account",
        "Нельзя со своей учётной записью",
        "A user cannot deactivate or delete themselves.",
    ),
    ProblemType(
        GRANT_EXCEEDS_OWN_RIGHTS,
        403,
        "Rights beyond one's own",
        "Права сверх собственных",
        "A user may grant only rights they hold themselves (`missing_rights` names the others).",
    ),
    ProblemType(
        TARGET_EXCEEDS_OWN_RIGHTS,
        403,
        "User or role holds more rights",
        "У пользователя или роли больше прав",
        "Only a user holding every right of a user or role may change it (`missing_rights` names the others).",
    ),
    ProblemType(
        ADMIN_ROLE_PROTECTED,
        409,
        "The admin role is protected",
        "Роль администратора защищена",
        "The built-in admin role cannot be deleted and keeps every right ('*').",
    ),
    ProblemType(
        LAST_ADMIN,
        409,
        "Last administrator",
        "Последний администратор",
        "The change would leave no active user holding every right ('*').",
    ),
    ProblemType(
        URI_TOO_LONG,
        414,
        "URI too long",
        "Слишком длинный адрес запроса",
        "The query string is over the gateway's limit (`max_query_bytes`): send fewer or shorter parameters.",
    ),
)
