"""From a request's credential to a Principal: API key, OIDC token, or anonymous loopback."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from .errors import AuthenticationError
from .key_store import KeyStore
from .oidc import OidcVerifier
from .principal import ANONYMOUS, Principal
from .rate_limit import RateLimiter

API_KEY_HEADER = "x-api-key"


def is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def credential_of(authorization: str | None, api_key: str | None) -> str | None:
    if api_key:
        return api_key.strip()
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise AuthenticationError("Send `Authorization: Bearer <key or token>`.")
        return value.strip()
    return None


@dataclass
class Authenticator:
    keys: KeyStore
    oidc: OidcVerifier | None
    limiter: RateLimiter
    anonymous_loopback: bool

    async def principal(
        self, authorization: str | None, api_key: str | None, client_host: str | None
    ) -> Principal:
        credential = credential_of(authorization, api_key)
        if credential is None:
            if self.anonymous_loopback and is_loopback(client_host):
                return ANONYMOUS
            raise AuthenticationError(
                "A credential is required: send `Authorization: Bearer <key>`.", presented=False
            )
        if self.keys.is_key(credential):
            return await self.keys.principal(credential)
        if self.oidc is not None and credential.count(".") == 2:
            return await self.oidc.principal(credential)
        raise AuthenticationError("The credential is not an API key of this service.")
