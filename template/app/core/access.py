"""One access line per request, as a pure ASGI middleware.

The line names the method, the path and the route template it matched (never the query string,
which may hold a secret), the status, the duration, the client address and the caller's subject
when the request was authenticated; the logging pipeline adds the request id.
"""

import logging

from starlette.types import Receive, Scope, Send

from app.core.middleware import ObservingMiddleware, route_of, subject_of

logger = logging.getLogger("app.access")


class AccessLog(ObservingMiddleware):
    """Log each HTTP request once it is answered, or once it failed."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request, observed only when INFO records are written."""
        if logger.isEnabledFor(logging.INFO):
            await super().http(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        """Write the request's access line."""
        client = scope.get("client")
        fields = {
            "method": scope["method"],
            "path": scope["path"],
            "route": route_of(scope),
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "client": client[0] if client else None,
            "subject": subject_of(scope),
        }
        logger.info("request", extra=fields)
