"""Request ids: the caller's `X-Request-ID` when it is sane, otherwise a new one, on every answer.

A pure ASGI middleware keeps the id in a context variable for the rest of the request: problem
bodies and log records name it, and the response carries it back in `X-Request-ID`.
"""

import re
import secrets
from contextvars import ContextVar

from starlette.types import Message, Receive, Scope, Send

from app.core.middleware import HttpMiddleware

HEADER = "X-Request-ID"
# Letters, digits and . _ - : up to 64 of them, so an id is safe in a log line and a header.
SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")

current_request_id: ContextVar[str] = ContextVar("request_id", default="")
_HEADER = HEADER.lower().encode()


def request_id_of(scope: Scope) -> str:
    """The id the caller sent, when it is sane; a new random one otherwise."""
    for name, value in scope["headers"]:
        if name == _HEADER:
            given = value.decode("latin-1")
            return given if SANE.fullmatch(given) else secrets.token_hex(16)
    return secrets.token_hex(16)


class RequestId(HttpMiddleware):
    """Give each HTTP request an id, and each answer the header naming it."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Set the request's id for its duration and add `X-Request-ID` to the answer."""
        request_id = request_id_of(scope)
        current_request_id.set(request_id)  # kept for the task: the 500 handler outside runs after this returns
        header = (_HEADER, request_id.encode())

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start" and all(name != _HEADER for name, _ in message["headers"]):
                message["headers"] = [*message["headers"], header]
            await send(message)

        await self.app(scope, receive, tagged)
