"""Rights the notifier service checks; the gateway grants them to roles."""

from __future__ import annotations

READ = "notifier.read"
SETTINGS = "notifier.settings"
SCHEDULES = "notifier.schedules"
SEND = "notifier.send"

RIGHTS: dict[str, str] = {
    READ: "Read mailing schedules, template parameters, previews and the message log (recipients in clear)",
    SETTINGS: "Change the notifier settings: SMS provider, SMTP, phone country, clinic contacts",
    SCHEDULES: "Create, edit, enable, disable and delete mailing schedules",
    SEND: "Send a failed message again",
}
