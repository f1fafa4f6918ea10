"""The token verifier the application's lifespan opens, with the HTTP client its key set fetches with."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from app.auth.keys import KeySet
from app.auth.tokens import TokenVerifier
from app.core.config import Settings

FETCH_TIMEOUT = 5.0  # seconds for one request to the issuer

logger = logging.getLogger(__name__)


@asynccontextmanager
async def token_verifier(settings: Settings) -> AsyncIterator[TokenVerifier | None]:
    """A verifier for the configured issuer; None (every protected route a 503) when none is configured."""
    if not (settings.auth_issuer and settings.auth_audience):
        logger.warning("AUTH_ISSUER and AUTH_AUDIENCE are not set: the resource routes answer 503 until they are")
        yield None
        return
    async with httpx.AsyncClient(timeout=FETCH_TIMEOUT, follow_redirects=False) as http:
        keys = KeySet(http, issuer=settings.auth_issuer, jwks_url=settings.auth_jwks_url)
        yield verifier(settings, keys)


def verifier(settings: Settings, keys: KeySet) -> TokenVerifier:
    """A verifier of `keys` with the settings' issuer, audience, algorithms, leeway and role mapping."""
    return TokenVerifier(
        keys,
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
        algorithms=settings.auth_algorithms,
        leeway=settings.auth_leeway,
        roles_claim=settings.auth_roles_claim,
        role_scopes=settings.auth_role_scopes,
    )
