"""ZPL labels, decoded as a printer would read them (LAB-5)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lab_zpl_reader import parse_zpl

from lab.labels.zpl import LabelData, LabelSize, dots, render_label, render_labels

LABEL = LabelData(
    barcode="200000000014",
    patient_name="Иванов И. П.",
    birth_date=date(1985, 4, 12),
    order_number="L-2026-000001",
    container_type="EDTA",
)


@pytest.mark.parametrize(("mm", "dpi", "expected"), [(50, 203, 400), (30, 203, 240), (50, 300, 591), (25.4, 300, 300)])
def test_millimetres_become_dots_at_the_printer_resolution(mm: float, dpi: int, expected: int) -> None:
    assert dots(mm, dpi) == expected


def test_label_carries_the_code128_barcode_of_the_sample() -> None:
    (label,) = parse_zpl(render_label(LABEL, LabelSize()))
    (barcode,) = label.barcodes
    assert barcode.barcode_type == "BC"
    assert barcode.data == "200000000014"
    assert barcode.barcode_params[2] == "Y"  # digits printed under the bars


def test_label_prints_patient_birth_date_order_and_container_in_utf8() -> None:
    (label,) = parse_zpl(render_label(LABEL, LabelSize()))
    assert label.param("CI") == "28"
    assert label.texts == ["Иванов И. П.", "д.р. 12.04.1985", "L-2026-000001  EDTA"]


def test_cyrillic_is_printed_with_the_resident_unicode_font_and_font_0_as_fallback() -> None:
    label = LabelData("200000000014", "Щукина Ё. Ж.", None, "L-2026-000001", "Сыворотка")
    (decoded,) = parse_zpl(render_label(label, LabelSize()))
    assert decoded.texts == ["Щукина Ё. Ж.", "д.р. —", "L-2026-000001  Сыворотка"]
    assert {f.font for f in decoded.fields if f.kind == "text"} == {"E:TT0003M_.FNT"}
    assert (decoded.param("CI"), decoded.param("CF")[:2]) == ("28", "0,")
    assert "Сыворотка".encode() in render_label(label, LabelSize()).encode()  # UTF-8, as ^CI28 says


def test_label_is_sized_for_the_printer() -> None:
    (label,) = parse_zpl(render_label(LABEL, LabelSize(dpi=300, width_mm=58, height_mm=40)))
    assert (label.param("PW"), label.param("LL")) == ("685", "472")


@pytest.mark.parametrize("size", [LabelSize(), LabelSize(300, 58, 40), LabelSize(203, 40, 25), LabelSize(300, 100, 60)])
def test_every_field_starts_inside_the_label(size: LabelSize) -> None:
    (label,) = parse_zpl(render_label(LABEL, size))
    fields = label.fields
    assert all(0 <= f.x < size.width_dots and 0 <= f.y < size.height_dots for f in fields)
    assert [f.y for f in fields] == sorted(f.y for f in fields)


@given(st.text(min_size=1, max_size=40))
def test_any_name_survives_the_field_escapes(name: str) -> None:
    label = LabelData("200000000014", name, None, "L-2026-000001", "serum")
    (decoded,) = parse_zpl(render_label(label, LabelSize()))
    assert decoded.texts[0] == name
    assert decoded.barcodes[0].data == "200000000014"


def test_several_labels_make_one_block_each() -> None:
    second = LabelData("200000000022", "Петрова А. А.", None, "L-2026-000002", "serum")
    labels = parse_zpl(render_labels([LABEL, second], LabelSize()))
    assert [label.barcodes[0].data for label in labels] == ["200000000014", "200000000022"]
    assert labels[1].texts[1] == "д.р. —"
