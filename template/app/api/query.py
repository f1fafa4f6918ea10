"""List queries read from the query string in one validation, with every parameter still in OpenAPI.

FastAPI can take a pydantic model as query parameters, but it inspects each of the model's fields
on every request (about 200 us for a resource with 30 filters, most of a list request's own
work). A resource's list route reads its query through `query_reader` instead, and documents the
same parameters with `query_parameters`.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.schemas.listing import IN_SUFFIX, ListQuery


def query_reader(model: type[ListQuery]) -> Callable[[Request], Awaitable[ListQuery]]:
    """An async dependency (a sync one would run in the thread pool) reading `model`; bad input is a 422."""

    async def read_query(request: Request) -> ListQuery:
        params = request.query_params
        # A list filter takes every value it is given; any other parameter, as FastAPI does, the last one.
        data = {key: params.getlist(key) if key.endswith(IN_SUFFIX) else params[key] for key in params}
        try:
            return model.model_validate(data)
        except ValidationError as error:
            errors = [{**detail, "loc": ("query", *detail["loc"])} for detail in error.errors(include_url=False)]
            raise RequestValidationError(errors) from None

    return read_query


def query_parameters(model: type[ListQuery]) -> dict[str, Any]:
    """The route's `openapi_extra`: one query parameter per field of `model`, typed by its JSON schema."""
    schema = model.model_json_schema()
    if "$defs" in schema:
        raise TypeError(f"{model.__name__} refers to other schemas; query parameters must be plain values")
    required = set(schema.get("required", ()))
    parameters = []
    for name, field in schema["properties"].items():
        described = {"description": field["description"]} if "description" in field else {}
        parameters.append({"name": name, "in": "query", "required": name in required, "schema": field, **described})
    return {"parameters": parameters}
