"""A tiny ZPL II reader for tests: labels, commands, field positions, text and barcode data.

It decodes what a printer would print rather than comparing strings, so a test fails when a
label would show the wrong thing, not when the layout moves a dot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Field:
    x: int
    y: int
    data: str
    kind: str  # "text" or "barcode"
    barcode_type: str | None = None
    barcode_params: list[str] = field(default_factory=list)
    font_height: int | None = None
    font: str | None = None  # the font called by name (^A@), e.g. 'E:TT0003M_.FNT'


@dataclass
class Label:
    commands: list[tuple[str, str]]
    fields: list[Field]

    def param(self, name: str) -> str | None:
        return next((value for command, value in self.commands if command == name), None)

    @property
    def texts(self) -> list[str]:
        return [f.data for f in self.fields if f.kind == "text"]

    @property
    def barcodes(self) -> list[Field]:
        return [f for f in self.fields if f.kind == "barcode"]


TWO_LETTER = {"XA", "XZ", "CI", "CF", "PW", "LL", "LH", "FO", "FH", "FD", "FS", "BY", "BC", "PQ"}


def split_commands(block: str) -> list[tuple[str, str]]:
    """'^FO10,20^A0N,20,20^FDab^FS' → [('FO', '10,20'), ('A', '0N,20,20'), ('FD', 'ab'), ('FS', '')]."""
    commands: list[tuple[str, str]] = []
    for part in block.split("^")[1:]:
        name = part[:2].upper()
        if name not in TWO_LETTER:
            name = part[:1].upper()  # one-letter commands such as ^A (font)
        commands.append((name, part[len(name) :].rstrip("\r\n")))
    return commands


def decode_field_hex(data: str, indicator: str) -> str:
    """Undo `^FH` escapes (`_5E` → '^'), as UTF-8 bytes."""
    out = bytearray()
    index = 0
    while index < len(data):
        char = data[index]
        if char == indicator and re.fullmatch(r"[0-9A-Fa-f]{2}", data[index + 1 : index + 3]):
            out.append(int(data[index + 1 : index + 3], 16))
            index += 3
        else:
            out.extend(char.encode("utf-8"))
            index += 1
    return out.decode("utf-8")


def parse_label(block: str) -> Label:
    """One ^XA … ^XZ block."""
    commands = split_commands(block)
    fields: list[Field] = []
    x = y = 0
    hex_indicator: str | None = None
    barcode: tuple[str, list[str]] | None = None
    font_height: int | None = None
    font: str | None = None
    for name, value in commands:
        if name == "FO":
            x, y = (int(v) for v in value.split(",")[:2])
        elif name == "FH":
            hex_indicator = value[:1] or "_"
        elif name == "A":
            font_height = int(value.split(",")[1]) if "," in value else None
            font = value.split(",")[3] if value.startswith("@") and value.count(",") >= 3 else None
        elif name == "BC":
            barcode = ("BC", value.split(","))
        elif name == "FD":
            data = decode_field_hex(value, hex_indicator) if hex_indicator else value
            if barcode:
                fields.append(Field(x, y, data, "barcode", barcode[0], barcode[1]))
            else:
                fields.append(Field(x, y, data, "text", font_height=font_height, font=font))
        elif name == "FS":
            hex_indicator, barcode, font_height, font = None, None, None, None
    return Label(commands, fields)


def parse_zpl(document: str) -> list[Label]:
    """Every label of a ZPL document; text outside ^XA … ^XZ is an error."""
    labels: list[Label] = []
    rest = document
    while True:
        start = rest.find("^XA")
        if start == -1:
            assert not rest.strip(), f"text outside a label: {rest[:40]!r}"
            return labels
        assert not rest[:start].strip(), f"text outside a label: {rest[:start][:40]!r}"
        end = rest.find("^XZ", start)
        assert end != -1, "a label without ^XZ"
        labels.append(parse_label(rest[start : end + 3]))
        rest = rest[end + 3 :]
