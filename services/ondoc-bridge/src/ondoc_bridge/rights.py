"""Rights the ONDOC bridge checks; the gateway grants them to roles."""

from __future__ import annotations

READ = "ondoc.read"
SETTINGS = "ondoc.settings"
ATTACH = "ondoc.attach"
SYNC = "ondoc.sync"
MAPPINGS = "ondoc.mappings"

RIGHTS: dict[str, str] = {
    READ: "See the ONDOC settings (secrets masked), linked patients, the outbound queue, uploads and mappings",
    SETTINGS: "Change the ONDOC settings: server, access tokens, time zone, callback secrets",
    ATTACH: "Issue ONDOC attach codes to patients and detach patients from ONDOC",
    SYNC: "Upload directories to ONDOC now and re-queue failed outbound items",
    MAPPINGS: "Map our doctors, services and specializations to ONDOC's directory items",
}
