"""Typed configuration from `APP_*` environment variables, `.env` and secret files.

Add a setting by adding a field here and a line to `.env.example`; a secret is a `SecretStr`
field, and production then refuses to start while it is missing or a placeholder.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

ENV_PREFIX = "APP_"
DEFAULT_DATABASE_URL = "{{ cookiecutter.__default_database_url }}"
DEFAULT_SECRETS_DIR = "/run/secrets"
MIN_SECRET_LENGTH = 32
MIN_PASSWORD_LENGTH = 12
# A random secret of the minimum length shows many different characters; a repeated or
# patterned one ("aaaa...", "abababab...") shows few.
MIN_SECRET_DISTINCT_CHARS = 10
MIN_PASSWORD_DISTINCT_CHARS = 6
PLACEHOLDER_MARKERS = ("change-me", "changeme", "replace-me", "placeholder", "example", "xxx")
WEAK_PASSWORDS = frozenset({"admin", "password", "postgres", "root", "secret", "test"})


class AppEnv(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    STAGING = "staging"
    PRODUCTION = "production"


class LogFormat(StrEnum):
    JSON = "json"
    CONSOLE = "console"


class Settings(BaseSettings):
    """Every setting of the service; environment variables are `APP_` + the field name."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
        hide_input_in_errors=True,  # Validation errors must never echo a secret back.
    )

    env: AppEnv = AppEnv.DEVELOPMENT
    service_name: str = "{{ cookiecutter.project_slug }}"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: LogFormat | None = Field(
        default=None, description="Unset: console in development, JSON everywhere else."
    )
    redact_fields: frozenset[str] = Field(
        default=frozenset(), description="Extra log field names to redact, e.g. email."
    )

    database_url: SecretStr = SecretStr(DEFAULT_DATABASE_URL)
    database_pool_size: int = Field(default=5, ge=1)
    database_max_overflow: int = Field(default=10, ge=0)
    database_pool_timeout_seconds: float = Field(default=10.0, gt=0)
    database_pool_recycle_seconds: int = Field(default=1800, gt=0)
    database_echo: bool = False

    secret_key: SecretStr = Field(
        default=SecretStr("change-me"),
        description="Key for signing and hashing; at least 32 random characters in production.",
    )

    models_file: Path = Field(
        default=Path("config/models.toml"), description="Model aliases and deployments."
    )
    prices_file: Path = Field(
        default=Path("config/prices.toml"), description="Token prices per provider/model."
    )
    nfr_file: Path = Field(
        default=Path("nfr.toml"), description="Latency, cost, quality, availability, retention."
    )
    approvals_file: Path = Field(
        default=Path("config/approved-models.toml"),
        description="Models files (by SHA-256) that passing eval runs approved.",
    )
    models_unapproved_reason: str | None = Field(
        default=None,
        min_length=1,
        description="Why production may start with a models file no eval run approved.",
    )
    openai_api_key: SecretStr | None = None
    anthropic_api_key: SecretStr | None = None

    max_request_body_bytes: int = Field(default=1_048_576, ge=1)
    max_request_header_bytes: int = Field(
        default=32_768, ge=1024, description="All request headers together; past it: 431."
    )
    cors_origins: list[str] = Field(default_factory=list)
    docs_enabled: bool | None = Field(
        default=None, description="Unset: OpenAPI docs on everywhere except production."
    )
    readiness_timeout_seconds: float = Field(default=2.0, gt=0)
    readiness_details: bool | None = Field(
        default=None,
        description="Show each readiness check's detail. Unset: on in development and test only.",
    )
    inference_dead_letter_file: Path | None = Field(
        default=Path("var/inference_dead_letters.jsonl"),
        description="Where inference records the database refused are kept (JSON lines).",
    )

    metrics_port: int | None = Field(
        default=None,
        ge=0,
        le=65535,
        description="Serve Prometheus metrics on this port (off when unset, 0: any free "
        "port); see docs/observability.md.",
    )
    metrics_multiproc_dir: Path = Field(
        default=Path("var/prometheus"),
        description="With several workers: where they write metrics (emptied at start).",
    )
    metrics_sample_seconds: float = Field(default=5.0, gt=0)
    trace_content: bool = Field(
        default=False,
        description="Put prompt text on model spans when tracing is on (prompts may hold PII).",
    )
    # Access control, limits and audit: docs/security.md.
    api_key_prefix: str = Field(
        default="{{ cookiecutter.package_name.replace('_', '')[:12] }}",
        pattern=r"^[a-z][a-z0-9]{1,15}$",
        description="First part of every API key, so scanners and the log redactor spot one.",
    )
    anonymous_loopback: bool | None = Field(
        default=None,
        description="Serve loopback clients without a credential. Unset: on in development only;"
        " staging and production refuse it.",
    )
    auth_cache_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How long a key's lookup is reused; a revocation made"
        " on another worker or replica takes effect within it.",
    )
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = None
    oidc_roles_claim: str = "roles"
    oidc_jwks_cache_seconds: float = Field(default=300.0, gt=0)
    redis_url: SecretStr | None = Field(
        default=None, description="Shares rate limits and the spend ledger across processes."
    )
    redis_key_prefix: str = "{{ cookiecutter.project_slug }}"
    rate_limit_fail_open: bool = Field(
        default=False,
        description="Redis down: serve requests without rate limits (spend"
        " limits always fail closed).",
    )

    @property
    def effective_log_format(self) -> LogFormat:
        if self.log_format is not None:
            return self.log_format
        return LogFormat.CONSOLE if self.env is AppEnv.DEVELOPMENT else LogFormat.JSON

    @property
    def effective_docs_enabled(self) -> bool:
        if self.docs_enabled is not None:
            return self.docs_enabled
        return self.env is not AppEnv.PRODUCTION

    @property
    def effective_readiness_details(self) -> bool:
        if self.readiness_details is not None:
            return self.readiness_details
        return self.env in (AppEnv.DEVELOPMENT, AppEnv.TEST)

    def secret_values(self) -> list[str]:
        """The raw values of every secret, so the log redactor can scrub them anywhere."""
        values = [
            value.get_secret_value()
            for name in type(self).model_fields
            if isinstance(value := getattr(self, name), SecretStr) and name != "database_url"
        ]
        # Of the database URL only the password is secret; the rest helps when debugging.
        password = make_url(self.database_url.get_secret_value()).password
        return [value for value in [*values, password] if value]

    @property
    def effective_anonymous_loopback(self) -> bool:
        if self.anonymous_loopback is not None:
            return self.anonymous_loopback
        return self.env is AppEnv.DEVELOPMENT

    @model_validator(mode="after")
    def _refuse_anonymous_calls_when_deployed(self) -> Self:
        if self.anonymous_loopback and self.env in (AppEnv.STAGING, AppEnv.PRODUCTION):
            msg = f"{ENV_PREFIX}ANONYMOUS_LOOPBACK is refused because APP_ENV={self.env.value}"
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _refuse_weak_secrets_in_production(self) -> Self:
        if self.env is not AppEnv.PRODUCTION:
            return self
        for name in type(self).model_fields:
            value = getattr(self, name)
            if not isinstance(value, SecretStr) or name == "redis_url":
                # Redis may run without a password inside a private network. An optional
                # secret (a provider's API key) is checked when the model configuration uses
                # it; see llm/setup.py.
                continue
            problem = weakness(name, value.get_secret_value())
            if problem:
                msg = f"{ENV_PREFIX}{name.upper()} {problem} (refused because APP_ENV=production)"
                raise ValueError(msg)
        return self


def weakness(name: str, value: str) -> str | None:
    """Why a secret is unfit for production, or None when it looks like a real secret."""
    if name == "database_url":
        password = make_url(value).password
        if password is None:
            return None  # SQLite, or a server that authenticates without a password.
        value = str(password)
        if value.lower() in WEAK_PASSWORDS:
            return "has a default password"
    if not value:
        return "is missing"
    if any(marker in value.lower() for marker in PLACEHOLDER_MARKERS):
        return "is a placeholder"
    is_password = name == "database_url"
    min_length = MIN_PASSWORD_LENGTH if is_password else MIN_SECRET_LENGTH
    if len(value) < min_length:
        what = "has a password" if is_password else "is"
        return f"{what} shorter than {min_length} characters"
    min_distinct = MIN_PASSWORD_DISTINCT_CHARS if is_password else MIN_SECRET_DISTINCT_CHARS
    if len(set(value)) < min_distinct:
        return f"has too little variety (fewer than {min_distinct} different characters)"
    return None


def load_settings() -> Settings:
    """Settings from the environment, `.env` and the secrets directory when it exists.

    A secret file is named like its variable, e.g. `/run/secrets/app_secret_key`.
    """
    return Settings(_secrets_dir=secrets_directory())


def secrets_directory() -> Path | None:
    """`APP_SECRETS_DIR` (default /run/secrets) when it exists."""
    secrets_dir = Path(os.environ.get(f"{ENV_PREFIX}SECRETS_DIR", DEFAULT_SECRETS_DIR))
    return secrets_dir if secrets_dir.is_dir() else None
