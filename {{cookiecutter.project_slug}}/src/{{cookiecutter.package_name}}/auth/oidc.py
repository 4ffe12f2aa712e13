"""OIDC/JWT bearer tokens, verified with PyJWT against the issuer's JWKS.

The key set is fetched over HTTP (async, never in the event loop's way), cached for
`oidc_jwks_cache_seconds`, and fetched again at once when a token names a key id the cache
lacks (the issuer rotated its keys); such refetches are spaced so forged key ids cannot make
the service hammer the issuer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import structlog

from .errors import AuthenticationError
from .principal import Principal
from .roles import Role

ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256", "EdDSA"]
MIN_REFETCH_SECONDS = 10.0
LEEWAY_SECONDS = 30


class OidcVerifier:
    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        jwks_url: str,
        roles_claim: str,
        cache_seconds: float,
        http: httpx.AsyncClient,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._issuer, self._audience, self._jwks_url = issuer, audience, jwks_url
        self._roles_claim = roles_claim
        self._cache_seconds = cache_seconds
        self._http = http
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched: float | None = None
        self._log = structlog.get_logger("auth")

    async def principal(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthenticationError("The bearer token is not a valid JWT.") from None
        key = await self._key(str(header.get("kid", "")))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=ALGORITHMS,
                audience=self._audience,
                issuer=self._issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise AuthenticationError("The bearer token has expired.") from None
        except jwt.PyJWTError as error:
            raise AuthenticationError(f"The bearer token is invalid: {error}.") from None
        return Principal(actor=f"oidc:{claims['sub']}", role=self._role(claims))

    def _role(self, claims: dict[str, Any]) -> Role:
        """The most powerful known role the token carries; none is an error, not a default."""
        value = claims.get(self._roles_claim)
        names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        granted = [role for role in Role if role.value in names]
        if not granted:
            msg = f"The bearer token carries no known role in claim {self._roles_claim!r}."
            raise AuthenticationError(msg)
        return granted[-1]  # Role lists roles from least to most powerful.

    async def _key(self, kid: str) -> jwt.PyJWK:
        now = self._clock()
        stale = self._fetched is None or now - self._fetched >= self._cache_seconds
        unknown = kid not in self._keys
        may_refetch = self._fetched is None or now - self._fetched >= MIN_REFETCH_SECONDS
        if stale or (unknown and may_refetch):
            await self._fetch()
        key = self._keys.get(kid)
        if key is None:
            raise AuthenticationError("The bearer token is signed by an unknown key.")
        return key

    async def _fetch(self) -> None:
        try:
            response = await self._http.get(self._jwks_url)
            response.raise_for_status()
            key_set = jwt.PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as error:
            self._log.warning("oidc_jwks_fetch_failed", error=type(error).__name__)
            if not self._keys:
                raise AuthenticationError("The token issuer's keys are unavailable.") from None
            return  # Keep serving with the keys we have.
        self._keys = {str(key.key_id): key for key in key_set.keys if key.key_id}
        self._fetched = self._clock()
