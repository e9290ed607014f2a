"""The OpenAPI document declares errors as the handlers send them: problem details."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel

from clinic_shared.errors import PROBLEM_JSON, install_error_handlers


class Item(BaseModel):
    name: str


def document() -> dict:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/items")
    async def create(item: Item) -> Item:
        return item

    @app.get("/ping")
    async def ping() -> dict[str, str]:
        return {"status": "ok"}

    return app.openapi()


def test_a_validation_error_is_declared_as_problem_details_not_fastapis_own_shape() -> None:
    responses = document()["paths"]["/items"]["post"]["responses"]
    assert list(responses["422"]["content"]) == [PROBLEM_JSON]
    assert responses["422"]["content"][PROBLEM_JSON]["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_every_operation_declares_other_errors_as_problem_details() -> None:
    responses = document()["paths"]["/ping"]["get"]["responses"]
    assert list(responses["default"]["content"]) == [PROBLEM_JSON]


def test_the_problem_schema_requires_what_every_problem_carries() -> None:
    schemas = document()["components"]["schemas"]
    assert set(schemas["Problem"]["required"]) == {"type", "code", "title", "status", "detail"}
    assert "HTTPValidationError" not in schemas
