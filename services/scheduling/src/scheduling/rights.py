"""Rights the scheduling service checks; the gateway grants them to roles."""

from __future__ import annotations

READ = "scheduling.read"
WRITE = "scheduling.write"
DELETE = "scheduling.delete"
OVERBOOK = "scheduling.overbook"
DIRECTORIES = "scheduling.directories"
SCHEDULES = "scheduling.schedules"
EXPORT = "scheduling.export"
SETTINGS = "scheduling.settings"
# Printing slips and day lists is part of the export right (see its description below):
# both put patients' data on paper outside the system.
PRINT = EXPORT

RIGHTS: dict[str, str] = {
    READ: "See directories, schedules, the calendar, appointments, their history and the waiting list",
    WRITE: "Book, edit, move and copy appointments, change statuses, link cards, keep the waiting list",
    DELETE: "Delete appointments into the trash and restore them",
    OVERBOOK: "Book over an existing appointment on purpose (double booking)",
    DIRECTORIES: "Edit the directories: buildings, cabinets, doctors, price list, statuses …",
    SCHEDULES: "Create and change doctors' and cabinets' work schedules and breaks",
    EXPORT: "Export search results to Excel and print slips and day lists",
    SETTINGS: "Change the scheduling settings (grid step, deletion reason, booking horizon)",
}
