"""Template rendering: pure functions, no I/O (NOT-4).

A parameter is `%Name%`: a percent sign, a Latin letter, letters or digits, a percent sign.
Names are matched case-insensitively. A percent sign in ordinary text ("скидка 10%") is left
alone. Emoji may be typed as they are or, as in the original desktop client, as HTML numeric
character references (`&#128512;`, `&#x1F600;`), which are turned into the characters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from notifier.templates.catalogue import parameter

PARAMETER = re.compile(r"%([A-Za-z][A-Za-z0-9]*)%")
_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9A-Fa-f]{1,6})|([0-9]{1,7}));")
_EMPTY = "\x00"


def parameters_in(template: str) -> list[str]:
    """Parameter names used in `template`, in order of first use, as written."""
    seen: dict[str, str] = {}
    for match in PARAMETER.finditer(template):
        seen.setdefault(match.group(1).lower(), match.group(1))
    return list(seen.values())


def unknown_parameters(template: str) -> list[str]:
    """Names used in `template` that are not template parameters."""
    return [name for name in parameters_in(template) if parameter(name) is None]


def unavailable_parameters(template: str, kind: str) -> list[str]:
    """Known parameters used in `template` that messages of `kind` cannot fill."""
    result = []
    for name in parameters_in(template):
        known = parameter(name)
        if known is not None and kind not in known.provided_by:
            result.append(known.name)
    return result


def _character(match: re.Match[str]) -> str:
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return match.group(0)
    return chr(code)


def render(template: str, values: Mapping[str, str | None]) -> str:
    """Fill the parameters of `template` from `values` (keyed by parameter name).

    A parameter without a value renders as nothing, and takes one of the two spaces around
    it along, so "%Name1% %Name2% %Name3%" without a middle name reads "Иван Иванов".
    """
    lowered = {key.lower(): value for key, value in values.items()}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        if parameter(name) is None:
            return match.group(0)
        value = lowered.get(name)
        return str(value) if value not in (None, "") else _EMPTY

    text = PARAMETER.sub(fill, template)
    text = re.sub(f" {_EMPTY}(?= )", "", text).replace(_EMPTY, "")
    return _NUMERIC_REFERENCE.sub(_character, text)
