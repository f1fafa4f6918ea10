"""Bearer tokens: a JWT is accepted only when its algorithm, signature, issuer, audience and times check out."""

from collections.abc import Mapping
from typing import Any

import jwt

from app.auth.errors import NotAuthenticatedError
from app.auth.keys import KeySet
from app.auth.principal import Principal, principal

REQUIRED_CLAIMS = ("exp", "iss", "aud", "sub")


class TokenVerifier:
    """Turns a bearer token into the principal it names, or refuses it with a 401."""

    def __init__(
        self,
        keys: KeySet,
        *,
        issuer: str,
        audience: str,
        algorithms: list[str],
        leeway: int,
        roles_claim: str,
        role_scopes: Mapping[str, list[str]],
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._algorithms = frozenset(algorithms)  # from settings, never from the token
        self._leeway = leeway
        self._roles_path = roles_claim.split(".")
        self._role_scopes = role_scopes

    async def verify(self, token: str) -> Principal:
        """The token's principal; NotAuthenticatedError for any token that does not verify."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise NotAuthenticatedError("The bearer token is not a well-formed JWT.") from None
        algorithm = header.get("alg")
        if algorithm not in self._algorithms:
            raise NotAuthenticatedError("The token's signing algorithm is not accepted.")
        key = await self._keys.key(header.get("kid"))
        try:  # a key of another type than the algorithm's (an RSA key for ES256) fails here too
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[algorithm],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.ExpiredSignatureError:
            raise NotAuthenticatedError("The token has expired.") from None
        except jwt.PyJWTError:
            raise NotAuthenticatedError("The token does not verify: signature, issuer, audience or claims.") from None
        return principal(str(claims["sub"]), self._roles(claims), _scopes(claims), self._role_scopes)

    def _roles(self, claims: Mapping[str, Any]) -> list[str]:
        """The roles at the configured dotted path (`realm_access.roles`), or none."""
        value: Any = claims
        for part in self._roles_path:
            value = value.get(part) if isinstance(value, Mapping) else None
        return _strings(value)


def _scopes(claims: Mapping[str, Any]) -> list[str]:
    """The token's scopes: `scope` (space-separated, RFC 8693) or `scp` (a list or a string)."""
    return _strings(claims.get("scope", claims.get("scp")))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []
