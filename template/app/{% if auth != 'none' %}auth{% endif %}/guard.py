"""The route dependencies: who calls (401 without a valid token) and whether they may (403 without the scope)."""

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.auth.errors import ForbiddenError, NotAuthenticatedError
from app.auth.principal import Principal
from app.core.errors import ServiceUnavailableError

bearer = HTTPBearer(auto_error=False, bearerFormat="JWT", description="An access token of the issuer in AUTH_ISSUER.")


async def current_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal:
    """The caller of this request, verified once per request however many dependencies ask."""
    if credentials is None:
        raise NotAuthenticatedError("This route needs a bearer token in the Authorization header.", invalid_token=False)
    verifier = request.app.state.verifier
    if verifier is None:
        raise ServiceUnavailableError("Authentication is not configured: set AUTH_ISSUER and AUTH_AUDIENCE.")
    principal: Principal = await verifier.verify(credentials.credentials)
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def owner_scope(principal: Principal) -> str | None:
    """Whose rows of an owned resource the caller reaches: its own, or every row (None) for an admin."""
    return None if principal.is_admin else principal.subject


def require_scope(scope: str) -> Any:
    """A route dependency that lets through only a caller holding `scope` (`products:write`)."""

    async def allowed(principal: PrincipalDep) -> Principal:
        if not principal.allows(scope):
            raise ForbiddenError(scope)
        return principal

    return Depends(allowed)
