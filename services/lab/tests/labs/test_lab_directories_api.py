"""External labs and lab tests (LAB-2)."""

from __future__ import annotations

from lab_builders import API, make_lab, make_test

from clinic_shared.testing.platform import Platform


async def test_lab_code_is_unique(platform: Platform) -> None:
    lab = await make_lab(platform, code="INVITRO")
    response = await platform.client.post(
        f"{API}/labs", json={"name": "Другая", "code": "INVITRO"}, headers=platform.admin_headers
    )
    assert response.status_code == 409
    assert response.json()["conflicts"] == [{"lab_id": lab["id"]}]


async def test_a_deleted_lab_is_archived_and_hidden_from_the_list(platform: Platform) -> None:
    lab = await make_lab(platform)
    assert (await platform.client.delete(f"{API}/labs/{lab['id']}", headers=platform.admin_headers)).status_code == 204
    listed = await platform.client.get(f"{API}/labs", headers=platform.admin_headers)
    assert lab["id"] not in [item["id"] for item in listed.json()["items"]]
    kept = await platform.client.get(f"{API}/labs/{lab['id']}", headers=platform.admin_headers)
    assert kept.json()["active"] is False


async def test_test_code_is_unique_per_lab_but_not_across_labs(platform: Platform) -> None:
    lab, other = await make_lab(platform), await make_lab(platform)
    first = await make_test(platform, lab["id"], code="HB")
    await make_test(platform, other["id"], code="HB")
    response = await platform.client.post(
        f"{API}/tests",
        json={"lab_id": lab["id"], "code": "HB", "name": "Дубль", "container_type": "EDTA"},
        headers=platform.admin_headers,
    )
    assert response.status_code == 409
    assert response.json()["conflicts"] == [{"test_id": first["id"]}]


async def test_tests_are_found_by_words_of_name_lab_and_study_type(platform: Platform) -> None:
    lab, other = await make_lab(platform), await make_lab(platform)
    wanted = await make_test(platform, lab["id"], name="Глюкоза в крови", study_type="биохимия")
    await make_test(platform, lab["id"], name="Глюкоза в моче", study_type="моча")
    await make_test(platform, other["id"], name="Глюкоза в крови", study_type="биохимия")
    response = await platform.client.get(
        f"{API}/tests",
        params={"q": "ГЛЮКОЗА кров", "lab_id": lab["id"], "study_type": "биохимия"},
        headers=platform.admin_headers,
    )
    assert [t["id"] for t in response.json()["items"]] == [wanted["id"]]


async def test_reference_range_upside_down_is_422_naming_the_field(platform: Platform) -> None:
    lab = await make_lab(platform)
    response = await platform.client.post(
        f"{API}/tests",
        json={
            "lab_id": lab["id"],
            "code": "X",
            "name": "X",
            "container_type": "EDTA",
            "reference_low": 5,
            "reference_high": 1,
        },
        headers=platform.admin_headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reference_high"


async def test_patch_changes_only_the_fields_sent(platform: Platform) -> None:
    test = await make_test(platform, (await make_lab(platform))["id"], units="г/л")
    response = await platform.client.patch(
        f"{API}/tests/{test['id']}", json={"name": "Гемоглобин (HGB)"}, headers=platform.admin_headers
    )
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["units"]) == ("Гемоглобин (HGB)", "г/л")


async def test_editing_directories_needs_the_directories_right(platform: Platform) -> None:
    headers = await platform.headers_with(["lab.read"])
    response = await platform.client.post(f"{API}/labs", json={"name": "L", "code": "L"}, headers=headers)
    assert response.status_code == 403


async def test_study_types_are_listed_from_a_labs_active_tests_with_their_counts(platform: Platform) -> None:
    lab, other = await make_lab(platform), await make_lab(platform)
    await make_test(platform, lab["id"], study_type="гематология")
    await make_test(platform, lab["id"], study_type="гематология")
    await make_test(platform, lab["id"], study_type="биохимия")
    archived = await make_test(platform, lab["id"], study_type="иммунология")
    await platform.client.delete(f"{API}/tests/{archived['id']}", headers=platform.admin_headers)
    await make_test(platform, other["id"], study_type="микробиология")

    response = await platform.client.get(
        f"{API}/tests/study-types", params={"lab_id": lab["id"]}, headers=platform.admin_headers
    )

    assert response.status_code == 200
    assert response.json() == [{"name": "биохимия", "tests": 1}, {"name": "гематология", "tests": 2}]
