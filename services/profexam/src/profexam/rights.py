"""Rights the profexam service checks; the gateway grants them to roles."""

from __future__ import annotations

READ = "profexam.read"
WRITE = "profexam.write"
IMPORT = "profexam.import"
DIRECTORIES = "profexam.directories"
ACCESS = "profexam.access"

RIGHTS: dict[str, str] = {
    READ: "See organisations, contracts, exams, employees, calculations and the harmful factor dictionary",
    WRITE: "Create and edit organisations, contracts, exams, employees and calculations",
    IMPORT: "Import employee lists and calculations from Excel files",
    DIRECTORIES: "Map an organisation's own harmful factor codes to the dictionary",
    ACCESS: "Limit users to chosen organisations (Права пользователей. Профосмотр) and see those limits",
}
