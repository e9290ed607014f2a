"""Barcode labels in ZPL II for Zebra printers (LAB-5): pure functions, text in, ZPL out.

Each label is one `^XA … ^XZ` block: UTF-8 text (`^CI28`), the patient as 'Иванов И. И.', the
birth date, a Code 128 barcode (`^BC`, automatic subset, so digits pack as pairs) of the
sample's number with the digits printed under it, and the order number with the tube's Russian
name ('ЭДТА', 'Сыворотка', see lab/containers.py). Field data goes through `^FH` so that `^` and
`~` in a name cannot break the label.

Cyrillic needs a font that has it: `^CI28` only says the bytes are UTF-8. Zebra's scalable font 0
(CG Triumvirate) has no Cyrillic on many printers, so text is printed with the resident Unicode
TrueType font `E:TT0003M_.FNT` (Swiss 721, on Zebra printers since firmware x.14) by name
(`^A@`); `^CF0` makes font 0 the fallback a printer without that font uses instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MM_PER_INCH = 25.4
# The resident Unicode font (Latin, Cyrillic …) of Zebra printers, called by name with ^A@.
UNICODE_FONT = "E:TT0003M_.FNT"


@dataclass(frozen=True)
class LabelSize:
    dpi: int = 203
    width_mm: float = 50.0
    height_mm: float = 30.0

    @property
    def width_dots(self) -> int:
        return dots(self.width_mm, self.dpi)

    @property
    def height_dots(self) -> int:
        return dots(self.height_mm, self.dpi)


@dataclass(frozen=True)
class LabelData:
    barcode: str
    patient_name: str
    birth_date: date | None
    order_number: str
    container_type: str


def dots(mm: float, dpi: int) -> int:
    """Millimetres → printer dots at `dpi`."""
    return round(mm * dpi / MM_PER_INCH)


def field_hex(text: str) -> str:
    """Text for `^FH_^FD`: `_`, `^`, `~` and control characters as `_XX` escapes, the rest as is."""
    return "".join(
        f"_{ord(char):02X}" if char in "_^~" or ord(char) < 32 or ord(char) == 127 else char for char in text
    )


def _text(x: int, y: int, height: int, text: str) -> str:
    return f"^FO{x},{y}^A@N,{height},{height},{UNICODE_FONT}^FH_^FD{field_hex(text)}^FS"


def render_label(label: LabelData, size: LabelSize) -> str:
    """One label as a `^XA … ^XZ` block."""
    width, height = size.width_dots, size.height_dots
    margin = dots(2, size.dpi)
    text_height = max(16, height // 9)
    line = text_height + max(2, text_height // 5)
    module = 2 if size.dpi < 300 else 3
    barcode_top = margin + 2 * line
    bottom_line = height - margin - text_height
    # The printed digits under the bars take about one text line.
    bar_height = max(20, bottom_line - barcode_top - line)
    birth = f"д.р. {label.birth_date:%d.%m.%Y}" if label.birth_date else "д.р. —"
    commands = [
        "^XA",
        "^CI28",
        f"^CF0,{text_height}",  # the font a printer without UNICODE_FONT falls back to
        f"^PW{width}",
        f"^LL{height}",
        "^LH0,0",
        _text(margin, margin, text_height, label.patient_name),
        _text(margin, margin + line, text_height, birth),
        f"^FO{margin},{barcode_top}^BY{module}^BCN,{bar_height},Y,N,N,A^FD{label.barcode}^FS",
        _text(margin, bottom_line, text_height, f"{label.order_number}  {label.container_type}"),
        "^PQ1",
        "^XZ",
    ]
    return "\n".join(commands) + "\n"


def render_labels(labels: list[LabelData], size: LabelSize) -> str:
    """Several labels, one block each, ready to send to the printer as one job."""
    return "".join(render_label(label, size) for label in labels)
