"""The answers to a caller that is not authenticated (401) or not allowed (403), with RFC 6750 headers."""

from http import HTTPStatus

from app.core.errors import DomainError, ServiceUnavailableError

REALM = "api"


class NotAuthenticatedError(DomainError):
    """No credentials, or credentials that do not verify: 401 with a Bearer challenge."""

    status = HTTPStatus.UNAUTHORIZED

    def __init__(self, detail: str, *, invalid_token: bool = True) -> None:
        super().__init__(detail)
        challenge = f'Bearer realm="{REALM}"'
        if invalid_token:
            challenge += ', error="invalid_token"'
        self.headers = {"WWW-Authenticate": challenge}


class ForbiddenError(DomainError):
    """A verified caller without the scope the route needs: 403."""

    status = HTTPStatus.FORBIDDEN

    def __init__(self, scope: str) -> None:
        super().__init__(f"The token does not grant the scope {scope}.")
        self.headers = {"WWW-Authenticate": f'Bearer realm="{REALM}", error="insufficient_scope", scope="{scope}"'}


class KeysUnavailableError(ServiceUnavailableError):
    """The issuer's signing keys could not be fetched and none are cached: 503, not the caller's fault."""
