"""Domain errors and the handlers that turn every error into RFC 9457 problem details."""

import logging
from http import HTTPStatus
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import Message, Receive, Scope, Send

from app.core.middleware import HttpMiddleware
from app.core.request_id import HEADER as REQUEST_ID_HEADER
from app.core.request_id import current_request_id

PROBLEM_JSON = "application/problem+json"
METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")

logger = logging.getLogger(__name__)


class FieldError(BaseModel):
    """One invalid part of a request."""

    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """An `application/problem+json` body (RFC 9457)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    request_id: str | None = None  # the X-Request-ID of the answer, to quote when reporting it
    errors: list[FieldError] | None = None


class DomainError(Exception):
    """An error the service expects; its status is part of the API contract."""

    status = HTTPStatus.INTERNAL_SERVER_ERROR

    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers: dict[str, str] = {}  # sent with the problem, e.g. WWW-Authenticate


class NotFoundError(DomainError):
    """The addressed row does not exist."""

    status = HTTPStatus.NOT_FOUND


class ConflictError(DomainError):
    """The request conflicts with a constraint of stored data."""

    status = HTTPStatus.CONFLICT


class ReferenceConflict(ConflictError):
    """A write broke a foreign key: a referenced row is missing, or a deleted row is still referenced."""


class InvalidReferenceError(DomainError):
    """A body names a row that does not exist (now): a conflict with stored data, located at the field."""

    status = HTTPStatus.CONFLICT

    def __init__(self, field: str, value: object) -> None:
        message = f"No row with id {value} exists for {field}."
        super().__init__(message, [FieldError(loc=["body", field], msg=message, type="reference_not_found")])


class UnstorableValueError(DomainError):
    """A value passed validation but the database cannot hold it (a NUL character in PostgreSQL text)."""

    status = HTTPStatus.UNPROCESSABLE_ENTITY


class PreconditionFailedError(DomainError):
    """The row is no longer at the version the request's If-Match names."""

    status = HTTPStatus.PRECONDITION_FAILED


class PreconditionRequiredError(DomainError):
    """A write came without the If-Match header the service requires."""

    status = HTTPStatus.PRECONDITION_REQUIRED


class ServiceUnavailableError(DomainError):
    """A dependency (the database) cannot serve the request right now."""

    status = HTTPStatus.SERVICE_UNAVAILABLE


def problem(request: Request, status: int, detail: str, errors: list[FieldError] | None = None) -> JSONResponse:
    """A problem+json response for `request`."""
    request_id = current_request_id.get() or None
    body = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=request_id,
        errors=errors,
    )
    headers = {REQUEST_ID_HEADER: request_id} if request_id else None
    content = body.model_dump(exclude_none=True)
    return JSONResponse(content, status_code=status, media_type=PROBLEM_JSON, headers=headers)


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    error = cast(DomainError, exc)
    response = problem(request, error.status, error.detail, error.errors)
    response.headers.update(error.headers)
    return response


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    error = cast(HTTPException, exc)
    response = problem(request, error.status_code, str(error.detail))
    response.headers.update(error.headers or {})
    if error.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
        response.headers["Allow"] = allowed_methods(request)
    return response


def allowed_methods(request: Request) -> str:
    """Every method some route serves at the request's path (Starlette names only the first route's)."""
    routes = request.app.router.routes
    allowed = [
        method
        for method in METHODS
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)
    ]
    return ", ".join(allowed)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    raw_errors = cast(RequestValidationError, exc).errors()
    errors = [FieldError(loc=list(error["loc"]), msg=error["msg"], type=error["type"]) for error in raw_errors]
    detail = f"The request is invalid: {len(errors)} error(s), see `errors`."
    return problem(request, HTTPStatus.UNPROCESSABLE_ENTITY, detail, errors)


class UnexpectedErrors(HttpMiddleware):
    """Answer an exception no handler took with a 500 problem, inside the other middlewares.

    Starlette would answer it from its outermost layer, past the security headers, CORS and the
    access line, and log the traceback twice; here it is logged once and answered like any error.
    """

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; on an exception before the answer started, log it and send the 500."""
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as error:
            where = (scope["method"], scope["path"], current_request_id.get())
            logger.error("Unhandled error on %s %s (request %s)", *where, exc_info=error)
            if started:
                raise  # half an answer is out: the server can only close the connection
            response = problem(Request(scope), HTTPStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred.")
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error of `app` with problem details, never with a stack trace."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_middleware(UnexpectedErrors)  # the first added, so the innermost: the others see its 500


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries documenting problem+json answers for `statuses`."""
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
