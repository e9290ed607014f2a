"""The card diff that the journal stores (PAT-8)."""

from __future__ import annotations

from patients.history.rules import creation, diff


def test_diff_lists_changed_fields_from_and_to() -> None:
    before = {"last_name": "Иванов", "email": None, "vip": False}
    after = {"last_name": "Петров", "email": "a@b.ru", "vip": False}
    assert diff(before, after) == [
        {"field": "last_name", "old": "Иванов", "new": "Петров"},
        {"field": "email", "old": None, "new": "a@b.ru"},
    ]


def test_diff_of_identical_snapshots_is_empty() -> None:
    assert diff({"a": 1, "b": [1]}, {"a": 1, "b": [1]}) == []


def test_empty_values_are_all_the_same_to_the_diff() -> None:
    assert diff({"note": None, "other_phones": []}, {"note": "", "other_phones": None}) == []


def test_creation_lists_only_filled_in_fields() -> None:
    assert creation({"last_name": "Иванов", "note": None, "other_phones": [], "vip": True}) == [
        {"field": "last_name", "old": None, "new": "Иванов"},
        {"field": "vip", "old": None, "new": True},
    ]
