"""Security headers on every answer, as a pure ASGI middleware.

Every answer: `X-Content-Type-Options: nosniff`. JSON answers (the API's, problems included):
`Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`, since nothing in them may
load or frame anything; the HTML of /docs keeps the policy it needs. Answers under /api:
`Cache-Control: no-store` unless the route set its own, as an answer may hold a caller's data.
"""

from starlette.types import Message, Receive, Scope, Send

from app.core.middleware import HttpMiddleware

NOSNIFF = (b"x-content-type-options", b"nosniff")
JSON_POLICY = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
NO_STORE = (b"cache-control", b"no-store")
API_PREFIX = "/api/"


class SecurityHeaders(HttpMiddleware):
    """Add the security headers to each HTTP answer."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the answer's start."""
        api = scope["path"].startswith(API_PREFIX)

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message["headers"])
                names = {name.lower() for name, _ in headers}
                headers.append(NOSNIFF)
                content_type = next((value for name, value in headers if name.lower() == b"content-type"), b"")
                if b"json" in content_type:
                    headers.append(JSON_POLICY)
                if api and b"cache-control" not in names:
                    headers.append(NO_STORE)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, secured)
