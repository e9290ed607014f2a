"""The API's pages, `/api/docs` (Swagger UI) and `/api/redoc` (ReDoc), served whole by the gateway.

Their scripts and styles are the swagger-ui-dist and ReDoc bundles that the pinned
`fastapi-offline` package ships; the gateway serves them from the installed package under
`ASSETS_URL`, so the pages work on a clinic network without internet. The pages' Content-Security-
Policy (gateway/edge.py, `DOCS_POLICY`) allows only the gateway's own URLs, so nothing else is
even asked for (ReDoc's sidebar credit tries a logo from its vendor's CDN: the policy refuses it).

Swagger UI logs in with a username and password: the merged OpenAPI document declares the
gateway's login (`POST /api/auth/token`, the OAuth2 password form) as an OAuth2 password flow,
and every operation that takes a bearer token takes that login's token as well.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

TITLE = "Clinic platform API"
OPENAPI_URL = "/api/openapi.json"
SWAGGER_URL = "/api/docs"
REDOC_URL = "/api/redoc"
ASSETS_URL = "/api/docs/assets"
TOKEN_URL = "/api/auth/token"
BEARER_SCHEME = "HTTPBearer"  # clinic_shared.auth's bearer dependency, in every service's document
PASSWORD_SCHEME = "OAuth2Password"

# `validatorUrl: null`: otherwise Swagger UI sends the document's address to validator.swagger.io
# and shows its badge (it skips that only for pages on localhost).
# `persistAuthorization: false`: the token is not kept in localStorage. Front-desk computers are
# shared, any script of the origin could read it there, and an access token lasts 15 minutes
# anyway: after a reload one logs in again.
SWAGGER_PARAMETERS: dict[str, Any] = {"validatorUrl": None, "persistAuthorization": False}

router = APIRouter(include_in_schema=False)


def assets() -> StaticFiles:
    """The Swagger UI and ReDoc files, from the installed `fastapi-offline` package."""
    return StaticFiles(packages=[("fastapi_offline", "static")])


@router.get(SWAGGER_URL)
async def swagger_ui() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=OPENAPI_URL,
        title=TITLE,
        swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
        swagger_ui_parameters=SWAGGER_PARAMETERS,
    )


@router.get(REDOC_URL)
async def redoc() -> HTMLResponse:
    return get_redoc_html(
        openapi_url=OPENAPI_URL,
        title=TITLE,
        redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
        redoc_favicon_url=f"{ASSETS_URL}/favicon.png",
        with_google_fonts=False,
    )


def with_password_login(document: dict[str, Any]) -> dict[str, Any]:
    """Declare the password login in `document` (changed in place, and returned): an OAuth2
    password scheme whose token URL is the gateway's login, offered by every operation that
    takes a bearer token as the alternative to pasting one."""
    components = document.setdefault("components", {})
    password = {
        "type": "oauth2",
        "description": f"Log in with a username and password (POST {TOKEN_URL}).",
        "flows": {"password": {"tokenUrl": TOKEN_URL, "scopes": {}}},
    }
    # First: Swagger UI's Authorize dialog lists the schemes in this order.
    components["securitySchemes"] = {PASSWORD_SCHEME: password, **components.get("securitySchemes", {})}
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            requirements = operation.get("security", [])
            alternatives = [
                {PASSWORD_SCHEME if name == BEARER_SCHEME else name: scopes for name, scopes in requirement.items()}
                for requirement in requirements
                if BEARER_SCHEME in requirement
            ]
            if alternatives and not any(PASSWORD_SCHEME in requirement for requirement in requirements):
                operation["security"] = [*requirements, *alternatives]
    return document
