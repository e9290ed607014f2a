"""Tube and container names as a Russian clinic reads them: on labels and in orders.

A test's `container_type` is what the lab's catalogue calls the tube — often a code in Latin
letters ("EDTA", "serum", "urine"), and it is sent back to the lab as is. Staff and labels show
`container_name`: the Russian name of a well-known code (ЭДТА, Сыворотка, Моча …), or the
catalogue's own text when it is not one (a catalogue in Russian is shown unchanged).
"""

from __future__ import annotations

import re

# Keys are normalised (`_normal`): lower case, Latin letters and digits, single spaces.
CONTAINER_NAMES: dict[str, str] = {
    "edta": "ЭДТА",
    "k2 edta": "ЭДТА",
    "k3 edta": "ЭДТА",
    "k2edta": "ЭДТА",
    "k3edta": "ЭДТА",
    "edta blood": "ЭДТА",
    "whole blood": "Цельная кровь",
    "blood": "Кровь",
    "serum": "Сыворотка",
    "sst": "Сыворотка (гель)",
    "serum gel": "Сыворотка (гель)",
    "clot activator": "Сыворотка (активатор свёртывания)",
    "plasma": "Плазма",
    "citrate": "Цитрат",
    "sodium citrate": "Цитрат натрия",
    "na citrate": "Цитрат натрия",
    "heparin": "Гепарин",
    "li heparin": "Гепарин лития",
    "lithium heparin": "Гепарин лития",
    "na heparin": "Гепарин натрия",
    "sodium heparin": "Гепарин натрия",
    "fluoride": "Фторид натрия",
    "naf": "Фторид натрия",
    "sodium fluoride": "Фторид натрия",
    "fluoride oxalate": "Фторид натрия",
    "glucose": "Глюкоза (фторид натрия)",
    "esr": "СОЭ (цитрат)",
    "urine": "Моча",
    "urine container": "Моча",
    "stool": "Кал",
    "feces": "Кал",
    "faeces": "Кал",
    "swab": "Мазок",
    "smear": "Мазок",
    "saliva": "Слюна",
    "sputum": "Мокрота",
    "csf": "Ликвор",
    "slide": "Предметное стекло",
}


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def container_name(container_type: str) -> str:
    """The Russian name of a tube ('EDTA' → 'ЭДТА', 'serum' → 'Сыворотка'); anything else as given."""
    return CONTAINER_NAMES.get(_normal(container_type), container_type.strip())
