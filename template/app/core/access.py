"""One access line per request, as a pure ASGI middleware.

The line names the method, the path and the route template it matched (never the query string,
which may hold a secret), the status, the duration, the client address and the caller's subject
when the request was authenticated; the logging pipeline adds the request id.
"""

import logging
import time

from starlette.types import Message, Receive, Scope, Send

from app.core.middleware import HttpMiddleware, route_of, subject_of

logger = logging.getLogger("app.access")


class AccessLog(HttpMiddleware):
    """Log each HTTP request once it is answered, or once it failed."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, noting its status; log the line when it is done."""
        if not logger.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers when the app raises before it starts a response

        async def noted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, noted)
        finally:
            client = scope.get("client")
            fields = {
                "method": scope["method"],
                "path": scope["path"],
                "route": route_of(scope),
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "client": client[0] if client else None,
                "subject": subject_of(scope),
            }
            logger.info("request", extra=fields)
