"""Bearer tokens: a JWT is accepted only when its algorithm, signature, issuer, audience and times check out.

Checking a signature costs more than the rest of a request (about 100 us for EdDSA, more for
RS256), and a client sends the same token for minutes. A verified token is remembered until its
`exp`, so later requests with it cost a dictionary lookup; at most `CACHE_SIZE` are kept.
"""

import time
from collections.abc import Mapping
from typing import Any

import jwt

from app.auth.errors import NotAuthenticatedError
from app.auth.keys import KeySet
from app.auth.principal import Principal, principal

REQUIRED_CLAIMS = ("exp", "iss", "aud", "sub")
CACHE_SIZE = 10_000


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
        self._verified: dict[str, tuple[Principal, float]] = {}  # token -> its principal and exp

    async def verify(self, token: str) -> Principal:
        """The token's principal; NotAuthenticatedError for any token that does not verify."""
        known = self._verified.get(token)
        if known is not None:
            if time.time() < known[1] + self._leeway:
                return known[0]
            del self._verified[token]
        caller, expires = await self._check(token)
        if len(self._verified) >= CACHE_SIZE:
            del self._verified[next(iter(self._verified))]  # the oldest
        self._verified[token] = (caller, expires)
        return caller

    async def _check(self, token: str) -> tuple[Principal, float]:
        """Verify the token's algorithm, signature and claims; its principal and expiry."""
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
        caller = principal(str(claims["sub"]), self._roles(claims), _scopes(claims), self._role_scopes)
        return caller, float(claims["exp"])

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
