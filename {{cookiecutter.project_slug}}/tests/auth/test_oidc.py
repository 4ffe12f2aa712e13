"""OIDC bearer tokens against a JWKS server on 127.0.0.1 with keys the test generates."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.auth.errors import AuthenticationError
from {{ cookiecutter.package_name }}.auth.oidc import OidcVerifier
from {{ cookiecutter.package_name }}.auth.roles import Role
from {{ cookiecutter.package_name }}.core.settings import Settings

from ..factories import LogOutput, lifespan_client
from .conftest import bearer

ISSUER = "https://issuer.test"
AUDIENCE = "ai-service-tests"
TICKET = {"subject": "Charged twice", "body": "Two charges on my invoice."}


@dataclass
class Issuer:
    """Signs tokens and serves its public keys as a JWKS document."""

    keys: dict[str, rsa.RSAPrivateKey] = field(default_factory=dict)
    fetches: int = 0
    url: str = ""

    def add_key(self, kid: str) -> None:
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwks(self) -> dict[str, Any]:
        documents = []
        for kid, key in self.keys.items():
            document = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
            documents.append({**document, "kid": kid, "use": "sig", "alg": "RS256"})
        return {"keys": documents}

    def token(self, kid: str, **claims: Any) -> str:
        now = int(time.time())
        payload = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": "user-42",
            "iat": now,
            "exp": now + 300,
            "roles": ["caller"],
            **claims,
        }
        return jwt.encode(payload, self.keys[kid], algorithm="RS256", headers={"kid": kid})


@pytest.fixture
async def issuer() -> AsyncIterator[Issuer]:
    served = Issuer()
    served.add_key("k1")

    async def jwks(_request: web.Request) -> web.Response:
        served.fetches += 1
        return web.json_response(served.jwks())

    app = web.Application()
    app.router.add_get("/jwks.json", jwks)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    served.url = f"http://127.0.0.1:{port}/jwks.json"
    yield served
    await runner.cleanup()


@pytest.fixture
async def oidc_client(
    issuer: Issuer, secured_settings: Settings, log_output: LogOutput
) -> AsyncIterator[httpx.AsyncClient]:
    settings = secured_settings.model_copy(
        update={"oidc_issuer": ISSUER, "oidc_audience": AUDIENCE, "oidc_jwks_url": issuer.url}
    )
    async with lifespan_client(create_app(settings)) as client:
        yield client


async def test_a_valid_token_runs_a_task_and_is_audited_by_subject(
    oidc_client: httpx.AsyncClient, issuer: Issuer
) -> None:
    response = await oidc_client.post(
        "/v1/tasks/triage_ticket", json=TICKET, headers=bearer(issuer.token("k1"))
    )
    assert response.status_code == 200
    # The key set was fetched once and is cached for the next calls.
    for _ in range(3):
        listed = await oidc_client.get("/v1/tasks", headers=bearer(issuer.token("k1")))
        assert listed.status_code == 200
    assert issuer.fetches == 1


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"aud": "someone-else"}, "invalid"),
        ({"iss": "https://evil.test"}, "invalid"),
        ({"exp": int(time.time()) - 3600}, "expired"),
        ({"roles": ["superuser"]}, "no known role"),
        ({"roles": []}, "no known role"),
    ],
)
async def test_a_bad_token_is_a_401(
    oidc_client: httpx.AsyncClient, issuer: Issuer, claims: dict[str, Any], message: str
) -> None:
    response = await oidc_client.get("/v1/tasks", headers=bearer(issuer.token("k1", **claims)))
    assert response.status_code == 401
    assert message in response.json()["detail"]
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


async def test_a_token_signed_by_a_key_the_issuer_does_not_publish_is_a_401(
    oidc_client: httpx.AsyncClient, issuer: Issuer
) -> None:
    stranger = Issuer()
    stranger.add_key("k1")  # Same key id, different key.
    response = await oidc_client.get("/v1/tasks", headers=bearer(stranger.token("k1")))
    assert response.status_code == 401


async def test_a_viewer_token_may_list_but_not_run(
    oidc_client: httpx.AsyncClient, issuer: Issuer
) -> None:
    token = issuer.token("k1", roles=["viewer"])
    assert (await oidc_client.get("/v1/tasks", headers=bearer(token))).status_code == 200
    run = await oidc_client.post("/v1/tasks/triage_ticket", json=TICKET, headers=bearer(token))
    assert run.status_code == 403


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_rotated_keys_are_fetched_again_and_refetches_are_spaced(issuer: Issuer) -> None:
    clock = Clock()
    async with httpx.AsyncClient() as http:
        verifier = OidcVerifier(
            issuer=ISSUER,
            audience=AUDIENCE,
            jwks_url=issuer.url,
            roles_claim="roles",
            cache_seconds=300,
            http=http,
            clock=clock,
        )
        assert (await verifier.principal(issuer.token("k1"))).role is Role.CALLER
        issuer.add_key("k2")  # The issuer rotates: new tokens name k2.
        with pytest.raises(AuthenticationError, match="unknown key"):
            await verifier.principal(issuer.token("k2"))  # Too soon after the last fetch.
        clock.now += 11
        principal = await verifier.principal(issuer.token("k2", roles=["auditor", "viewer"]))
        assert (principal.actor, principal.role) == ("oidc:user-42", Role.AUDITOR)
        fetches = issuer.fetches
        issuer.add_key("forged")
        forged = issuer.token("forged")
        del issuer.keys["forged"]
        for _ in range(5):  # Unknown key ids do not make it hammer the issuer.
            with pytest.raises(AuthenticationError, match="unknown key"):
                await verifier.principal(forged)
        assert issuer.fetches == fetches
