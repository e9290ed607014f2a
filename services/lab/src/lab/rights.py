"""Rights the lab service checks; the gateway grants them to roles."""

from __future__ import annotations

READ = "lab.read"
CREATE_ORDER = "lab.create_order"
RESULTS = "lab.results"
DIRECTORIES = "lab.directories"
SETTINGS = "lab.settings"
ALL_LABS = "lab.all_labs"

RIGHTS: dict[str, str] = {
    READ: "Read lab orders, results, labels and the lab directories",
    CREATE_ORDER: "Create lab orders (by hand or from a charged service), send and cancel them",
    RESULTS: "Enter and correct lab results, move orders through the lab's statuses",
    DIRECTORIES: "Edit external labs, lab tests, catalogue loads and test-service links",
    SETTINGS: "Change the lab settings, workstation printers and lab doctors",
    ALL_LABS: "See the orders of every lab (without it a lab doctor sees only their lab's)",
}
