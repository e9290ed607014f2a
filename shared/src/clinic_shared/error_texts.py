"""What staff read for a machine error of an outbound delivery (an SMS, a send to ONDOC or to a
lab): the service keeps the error as the code wrote it (`last_error`, in English, for logs and
support) and shows its Russian text next to it (`last_error_text`).

Each service lists its own texts: exact errors (`reasons`), then patterns matched against the
whole error in order (`rules`), then a `fallback` that names the error as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def error_text(error: str | None, *, reasons: Mapping[str, str], rules: Sequence[Rule], fallback: str) -> str | None:
    """The Russian text of `error` (None when there is none); `fallback` has `{error}` in it."""
    if not error:
        return None
    if error in reasons:
        return reasons[error]
    for pattern, render in rules:
        match = pattern.fullmatch(error)
        if match:
            return render(match)
    return fallback.format(error=error)
