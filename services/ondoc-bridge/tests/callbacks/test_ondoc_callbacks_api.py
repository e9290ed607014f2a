"""POST /api/ondoc/callbacks/… (OND-10, GW-5): public but signed, and idempotent."""

from __future__ import annotations

import time

from ondoc_testkit import FAKE, ONDOC, body_of, create_card, issue_code, links, signed_headers

from clinic_shared.testing.platform import Platform

ATTACH = f"{ONDOC}/callbacks/attach"


async def attach_body(platform: Platform, ondoc_patient_id: str = "ondoc-p-1") -> bytes:
    card = await create_card(platform)
    code = await issue_code(platform, card["id"])
    return body_of({"code": code["code"], "ondoc_patient_id": ondoc_patient_id})


async def test_a_signed_attach_callback_links_the_card_without_a_bearer_token(platform: Platform) -> None:
    body = await attach_body(platform)
    response = await platform.client.post(ATTACH, content=body, headers=signed_headers(body))
    assert response.status_code == 200, response.text
    assert [link["ondoc_patient_id"] for link in await links(platform)] == ["ondoc-p-1"]


async def test_a_bad_signature_is_refused_and_changes_nothing(platform: Platform) -> None:
    body = await attach_body(platform)
    headers = signed_headers(body, secret="not-the-shared-secret-000")
    response = await platform.client.post(ATTACH, content=body, headers=headers)
    assert response.status_code == 401 and "signature" in response.json()["detail"]
    assert await links(platform) == []


async def test_a_stale_timestamp_is_refused_and_changes_nothing(platform: Platform) -> None:
    body = await attach_body(platform)
    response = await platform.client.post(
        ATTACH, content=body, headers=signed_headers(body, timestamp=int(time.time()) - 600)
    )
    assert response.status_code == 401 and "window" in response.json()["detail"]
    assert await links(platform) == []


async def test_a_body_changed_after_signing_is_refused(platform: Platform) -> None:
    body = await attach_body(platform)
    headers = signed_headers(body)
    response = await platform.client.post(ATTACH, content=body.replace(b"ondoc-p-1", b"ondoc-p-2"), headers=headers)
    assert response.status_code == 401
    assert await links(platform) == []


async def test_a_replayed_callback_gets_the_first_answer_and_changes_nothing(platform: Platform) -> None:
    body = await attach_body(platform)
    headers = signed_headers(body, callback_id="cb-replayed")
    first = await platform.client.post(ATTACH, content=body, headers=headers)
    again = await platform.client.post(ATTACH, content=body, headers=signed_headers(body, callback_id="cb-replayed"))
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json() and again.headers["X-Ondoc-Replayed"] == "true"
    assert len(await links(platform)) == 1


async def test_a_callback_id_reused_for_another_body_is_refused(platform: Platform) -> None:
    body = await attach_body(platform)
    await platform.client.post(ATTACH, content=body, headers=signed_headers(body, callback_id="cb-reused"))
    other = body_of({"ondoc_patient_id": "ondoc-p-1"})
    response = await platform.client.post(
        f"{ONDOC}/callbacks/detach", content=other, headers=signed_headers(other, callback_id="cb-reused")
    )
    assert response.status_code == 409
    assert [link["status"] for link in await links(platform)] == ["attached"]


async def test_a_malformed_body_is_refused_naming_the_field_and_changes_nothing(platform: Platform) -> None:
    body = body_of({"ondoc_patient_id": "ondoc-p-1"})
    response = await platform.client.post(ATTACH, content=body, headers=signed_headers(body))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["code"]
    assert await links(platform) == []


async def test_a_body_that_is_not_json_is_refused(platform: Platform) -> None:
    body = b"code=123456789"
    response = await platform.client.post(ATTACH, content=body, headers=signed_headers(body))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body"


async def test_a_used_code_and_a_made_up_code_get_the_same_refusal(platform: Platform) -> None:
    card = await create_card(platform)
    code = (await issue_code(platform, card["id"]))["code"]
    first = await platform.client.post(
        f"{FAKE}/attach", json={"code": code, "ondoc_patient_id": "p-a"}, headers=platform.admin_headers
    )
    used = await platform.client.post(
        f"{FAKE}/attach", json={"code": code, "ondoc_patient_id": "p-b"}, headers=platform.admin_headers
    )
    made_up = await platform.client.post(
        f"{FAKE}/attach", json={"code": "987654321", "ondoc_patient_id": "p-c"}, headers=platform.admin_headers
    )
    assert first.json()["status"] == 200
    assert used.json()["status"] == made_up.json()["status"] == 422
    assert used.json()["body"]["detail"] == made_up.json()["body"]["detail"]


async def test_callbacks_answer_503_while_the_integration_is_switched_off(platform: Platform) -> None:
    body = await attach_body(platform)
    await platform.client.put(
        f"{ONDOC}/settings", json={"enabled": False}, headers={**platform.admin_headers, "If-Match": "*"}
    )
    response = await platform.client.post(ATTACH, content=body, headers=signed_headers(body))
    assert response.status_code == 503 and "switched off" in response.json()["detail"]


async def test_a_callback_signed_with_the_previous_secret_passes_during_a_rotation(platform: Platform) -> None:
    body = await attach_body(platform)
    new, old = "new-callback-secret-0123456789", "fake-ondoc-callback-secret"
    await platform.client.put(
        f"{ONDOC}/settings", json={"callback_secrets": [new, old]}, headers={**platform.admin_headers, "If-Match": "*"}
    )
    response = await platform.client.post(ATTACH, content=body, headers=signed_headers(body, secret=old))
    assert response.status_code == 200


async def test_a_detach_callback_ends_the_link_and_the_old_code_cannot_reattach(platform: Platform) -> None:
    card = await create_card(platform)
    code = (await issue_code(platform, card["id"]))["code"]
    attached = (
        await platform.client.post(f"{FAKE}/attach", json={"code": code}, headers=platform.admin_headers)
    ).json()
    detach = {"ondoc_patient_id": attached["ondoc_patient_id"], "reason": "Переехал"}
    detached = (await platform.client.post(f"{FAKE}/detach", json=detach, headers=platform.admin_headers)).json()
    assert (detached["status"], detached["body"]["detached"]) == (200, True)
    again = (await platform.client.post(f"{FAKE}/attach", json={"code": code}, headers=platform.admin_headers)).json()
    assert again["status"] == 422
    [link] = await links(platform)
    assert (link["status"], link["mis_id"], link["detached_by"]) == ("detached", "-", "patient")


async def test_the_api_document_shows_callbacks_as_signed_not_bearer_protected(platform: Platform) -> None:
    document = (await platform.client.get("/api/openapi.json", headers=platform.admin_headers)).json()
    operation = document["paths"][f"{ONDOC}/callbacks/book"]["post"]
    assert operation["security"] == [{"OndocCallbackSignature": []}]
    assert {p["name"] for p in operation["parameters"]} >= {"X-Ondoc-Timestamp", "X-Ondoc-Callback-Id"}
    assert "ondoc_appointment_id" in operation["requestBody"]["content"]["application/json"]["schema"]["properties"]


async def test_the_signature_is_a_security_scheme_of_every_callback(platform: Platform) -> None:
    document = (await platform.client.get("/api/openapi.json", headers=platform.admin_headers)).json()
    scheme = document["components"]["securitySchemes"]["OndocCallbackSignature"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "X-Ondoc-Signature")
    assert all(word in scheme["description"] for word in ("HMAC-SHA256", "X-Ondoc-Timestamp", "X-Ondoc-Callback-Id"))
    callbacks = {path: item["post"] for path, item in document["paths"].items() if "/ondoc/callbacks/" in path}
    assert sorted(callbacks) == [f"{ONDOC}/callbacks/{kind}" for kind in ("attach", "book", "cancel", "detach")]
    assert all(op["security"] == [{"OndocCallbackSignature": []}] for op in callbacks.values())


async def test_a_signed_callback_sent_under_another_callback_id_is_refused(platform: Platform) -> None:
    body = await attach_body(platform)
    headers = signed_headers(body, callback_id="cb-signed")
    response = await platform.client.post(ATTACH, content=body, headers={**headers, "X-Ondoc-Callback-Id": "cb-other"})
    assert response.status_code == 401 and "signature" in response.json()["detail"]
    assert await links(platform) == []


async def test_a_callback_without_its_id_is_refused_as_unsigned(platform: Platform) -> None:
    body = await attach_body(platform)
    headers = signed_headers(body)
    del headers["X-Ondoc-Callback-Id"]
    response = await platform.client.post(ATTACH, content=body, headers=headers)
    assert response.status_code == 401 and "callback id" in response.json()["detail"]
