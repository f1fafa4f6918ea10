"""The base of the service's pure ASGI middlewares (no BaseHTTPMiddleware: it costs a task per request)."""

import time

from fastapi.routing import iter_route_contexts
from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send


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


class ObservingMiddleware(HttpMiddleware):
    """Times each HTTP request and notes its status, then hands both to `observe`, also when the app failed."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request through the wrapped app, then observe it."""
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
            self.observe(scope, status, time.perf_counter() - started)

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        """Note one served request: its final status and how long it took."""
        raise NotImplementedError


def route_templates(app: Starlette) -> dict[int, str]:
    """Each route's full template (its routers' prefixes included), by the id of the route a scope names."""
    return {id(context.original_route): context.path for context in iter_route_contexts(app.routes) if context.path}


def route_of(scope: Scope) -> str | None:
    """The template of the route the request matched (`/api/v1/products/{product_id}`), None when none did."""
    route = scope.get("route")
    if route is None:
        return None
    templates: dict[int, str] = scope["app"].state.route_templates
    path: str = route.path
    return templates.get(id(route), path)


def subject_of(scope: Scope) -> str | None:
    """The authenticated caller of the request, as the auth guard noted it (`request.state.subject`)."""
    state = scope.get("state")
    return state.get("subject") if state else None
