"""The issuer's signing keys: fetched from its JWKS document, cached, refetched sparingly.

A request never waits for a fetch while the cached keys are fresh. A token naming a key the
cache lacks triggers one refetch, at most once per cooldown, so a flood of made-up `kid`s cannot
turn into a flood of fetches. A failed fetch keeps the last good keys; with none at all the
route answers 503. Redirects are not followed: the keys come from the configured URL or the
`jwks_uri` of the issuer's own discovery document.
"""

import asyncio
import logging
import math
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt

from app.auth.errors import KeysUnavailableError, NotAuthenticatedError

MAX_AGE = 300.0  # seconds a fetched key set is used before it is fetched again
COOLDOWN = 30.0  # seconds between two fetches that a token or a failure asked for
DISCOVERY_PATH = "/.well-known/openid-configuration"

logger = logging.getLogger(__name__)


class KeySet:
    """The public keys tokens are verified with, by `kid`."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        issuer: str,
        jwks_url: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._issuer = issuer.rstrip("/")
        self._jwks_url = jwks_url
        self._clock = clock
        self._keys: dict[str | None, jwt.PyJWK] = {}
        self._fetched_at = -math.inf  # when the cached keys were fetched
        self._tried_at = -math.inf  # when a fetch was last attempted
        self._lock = asyncio.Lock()

    async def key(self, kid: str | None) -> jwt.PyJWK:
        """The key a token's header names; a token without `kid` may use the only key there is."""
        if self._clock() - self._fetched_at >= MAX_AGE:
            await self._refresh()
        found = self._find(kid)
        if found is None:
            await self._refresh()
            found = self._find(kid)
        if found is not None:
            return found
        if not self._keys:
            raise KeysUnavailableError("The issuer's signing keys cannot be fetched; try again shortly.")
        raise NotAuthenticatedError("The token is signed with a key the issuer does not publish.")

    def _find(self, kid: str | None) -> jwt.PyJWK | None:
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return self._keys.get(kid)

    async def _refresh(self) -> None:
        """Fetch the keys, unless a fetch was tried within the cooldown (perhaps while this call waited)."""
        async with self._lock:
            if self._clock() - self._tried_at < COOLDOWN:
                return
            self._tried_at = self._clock()
            try:
                self._keys = await self._fetch()
            except (httpx.HTTPError, ValueError, jwt.PyJWTError) as error:
                logger.warning("fetching the issuer's signing keys failed: %s", error)
                return
            self._fetched_at = self._clock()

    async def _fetch(self) -> dict[str | None, jwt.PyJWK]:
        url = self._jwks_url or (await self._get_json(self._issuer + DISCOVERY_PATH, discovery=True))["jwks_uri"]
        document = await self._get_json(url)
        keys: dict[str | None, jwt.PyJWK] = {}
        for entry in document.get("keys", []):
            if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
                continue
            try:
                keys[entry.get("kid")] = jwt.PyJWK(entry)
            except jwt.PyJWTError:
                continue  # a key type this service does not verify with
        if not keys:
            raise ValueError(f"{url} lists no usable signing key")
        return keys

    async def _get_json(self, url: str, *, discovery: bool = False) -> dict[str, Any]:
        response = await self._http.get(url, follow_redirects=False)
        if response.status_code != 200:
            raise ValueError(f"GET {url} answered {response.status_code}")
        document = response.json()
        if not isinstance(document, dict):
            raise ValueError(f"GET {url} did not answer a JSON object")
        if discovery and (document.get("issuer", "").rstrip("/") != self._issuer or "jwks_uri" not in document):
            raise ValueError(f"{url} names another issuer or no jwks_uri")
        return document
