"""POST /callbacks/{kind}: what ONDOC calls on us (public: no bearer token, a signature instead)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader

from clinic_shared.db import utcnow
from clinic_shared.openapi import PROBLEM_JSON
from clinic_shared.service import RuntimeDep
from ondoc_bridge.callbacks import service
from ondoc_bridge.deps import SettingsDep
from ondoc_bridge.ondoc.contract import (
    CALLBACK_ID_HEADER,
    CALLBACK_MODELS,
    REPLAY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
)

router = APIRouter(prefix="/callbacks", tags=["callbacks (ONDOC → us)"])

# The signature, declared as what authenticates a callback (instead of a bearer token), so the
# OpenAPI document says how to call these operations; the check itself is service.receive's.
SIGNATURE_SCHEME = "OndocCallbackSignature"
_SIGNATURE = APIKeyHeader(
    name=SIGNATURE_HEADER,
    scheme_name=SIGNATURE_SCHEME,
    description=(
        f"Lower-case hex HMAC-SHA256, with a callback secret of the ONDOC settings, over `{TIMESTAMP_HEADER}`, "
        f"a line feed, `{CALLBACK_ID_HEADER}`, a line feed and the raw request body (`sha256=` prefix "
        "tolerated); the timestamp must be within the tolerance of our clock. See services/ondoc-bridge/docs/ondoc-contract.md."
    ),
    auto_error=False,
)
_SIGNED = [
    {"name": TIMESTAMP_HEADER, "in": "header", "required": True, "schema": {"type": "string"}},
    {"name": CALLBACK_ID_HEADER, "in": "header", "required": True, "schema": {"type": "string"}},
]
_SUMMARIES = {
    "attach": "ONDOC: the patient entered an attach code",
    "detach": "ONDOC: the patient was detached in ONDOC",
    "book": "ONDOC: the patient booked a free slot",
    "cancel": "ONDOC: the patient cancelled an appointment",
}


_PROBLEM = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
_REFUSALS = {
    "401": {"description": "signature, timestamp or callback id missing or wrong", "content": _PROBLEM},
    "503": {
        "description": "the ONDOC integration is switched off here: ONDOC keeps the callback and retries",
        "content": _PROBLEM,
    },
}


_ID = "0b7d6f2e-4c1a-4f8e-9a3b-2d5c7e9f1a24"
_ANSWERS: dict[str, dict[str, dict[str, Any]]] = {
    "attach": {
        "200": {
            "patient_id": _ID,
            "mis_id": "12345",
            "attached_at": "2026-12-07T09:00:00+03:00",
            "upcoming_appointments": 1,
        }
    },
    "detach": {"200": {"detached": True, "patient_id": _ID}},
    "book": {
        "201": {
            "appointment_id": _ID,
            "number": 42,
            "start": "2026-12-07T09:00:00+03:00",
            "end": "2026-12-07T09:30:00+03:00",
        },
        "200": {"appointment_id": _ID, "already_booked": True},
    },
    "cancel": {"200": {"appointment_id": _ID, "status": "cancelled"}},
}
"""What each callback answers when it is taken (services/ondoc-bridge/docs/ondoc-contract.md), by status, as examples."""


def _openapi(kind: str) -> dict[str, Any]:
    schema = CALLBACK_MODELS[kind].model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    taken = {
        status: {
            "description": "taken",
            "content": {"application/json": {"schema": {"type": "object"}, "example": example}},
        }
        for status, example in _ANSWERS[kind].items()
    }
    return {
        "parameters": _SIGNED,
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
        "responses": {**taken, **_REFUSALS},
    }


def _make_route(kind: str) -> None:
    async def handle(request: Request, runtime: RuntimeDep, settings: SettingsDep) -> JSONResponse:
        """Authenticate, de-duplicate and handle one callback of this kind (the service opens its
        own short transactions: no request-wide one is held while scheduling is called)."""
        answer = await service.receive(
            runtime,
            kind=kind,
            raw_body=await request.body(),
            headers=request.headers,
            tolerance_seconds=settings.ondoc_callback_tolerance_seconds,
            now=utcnow(),
            instance=request.url.path,
        )
        headers = {REPLAY_HEADER: "true"} if answer.replayed else None
        media_type = PROBLEM_JSON if answer.status >= 400 else "application/json"
        return JSONResponse(answer.body, status_code=answer.status, headers=headers, media_type=media_type)

    handle.__name__ = f"receive_{kind}_callback"
    handle.__doc__ = (
        f"{_SUMMARIES[kind]}. Signed with HMAC-SHA256 (see services/ondoc-bridge/docs/ondoc-contract.md); "
        "a repeated callback id gets the first answer back and changes nothing."
    )
    router.add_api_route(
        f"/{kind}",
        handle,
        methods=["POST"],
        summary=_SUMMARIES[kind],
        openapi_extra=_openapi(kind),
        response_class=JSONResponse,
        dependencies=[Security(_SIGNATURE)],
    )


for _kind in CALLBACK_MODELS:
    _make_route(_kind)
