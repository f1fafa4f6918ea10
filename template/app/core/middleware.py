"""The base of the service's pure ASGI middlewares (no BaseHTTPMiddleware: it costs a task per request)."""

from starlette.types import ASGIApp, Receive, Scope, Send


class HttpMiddleware:
    """Runs `http` for each HTTP request; every other scope (the lifespan) passes straight through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hand an HTTP request to `http`, anything else to the wrapped app."""
        if scope["type"] == "http":
            await self.http(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one HTTP request through the wrapped app."""
        raise NotImplementedError
