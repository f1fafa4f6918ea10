"""The request body limit: a pure ASGI middleware that answers 413 once a body passes the limit.

A declared `Content-Length` above the limit is refused before the route runs. A body without
one (chunked) is counted as it arrives: at the first byte past the limit the route sees the
client gone and its answer is replaced by the 413, so no more than the limit is ever held.
"""

from http import HTTPStatus

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem
from app.core.middleware import HttpMiddleware


class BodyLimit(HttpMiddleware):
    """Refuse request bodies larger than `max_bytes` with a 413 problem."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, counting its body; answer 413 instead once it is too large."""
        if _declared_length(scope) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received, exceeded, started = 0, False, False

        async def counted() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # the route's answer to a body it could not read: the 413 replaces it
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counted, guarded)
        if exceeded and not started:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"The request body is larger than {self.max_bytes} bytes."
        response = problem(Request(scope), HTTPStatus.REQUEST_ENTITY_TOO_LARGE, detail)
        response.headers["Connection"] = "close"  # the rest of the body is not read
        await response(scope, receive, send)


def _declared_length(scope: Scope) -> int:
    """The request's Content-Length, or 0 when it declares none (the server rejects a malformed one)."""
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit():
            return int(value)
    return 0
