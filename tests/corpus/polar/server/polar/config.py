import functools
import os
import tempfile
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, unquote, urlparse

from annotated_types import Ge
from pydantic import AfterValidator, DirectoryPath, Field, PostgresDsn, model_validator
from pydantic_ai.models import Model, infer_model, parse_model_id
from pydantic_ai.providers.gateway import gateway_provider
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import URL

from polar.enums import EmailSender, TaxProcessor
from polar.kit.address import Address, CountryAlpha2
from polar.kit.jwk import JWKSFile


class Environment(StrEnum):
    development = "development"
    testing = "testing"  # Used for running tests
    sandbox = "sandbox"
    production = "production"
    test = "test"  # Used for the test environment in Render


def _validate_email_renderer_binary_path(value: Path) -> Path:
    # On Vercel the binary is produced later in the build (see vercel.toml),
    # after this import-time check runs.
    if "VERCEL" in os.environ:
        return value

    if not value.exists() and not value.is_file():
        raise ValueError(
            f"""
        The provided email renderer binary path {value} is not a valid file path
        or does not exist.\n
        If you're in local development, you should build the email renderer binary
        by running the following command:\n
        uv run task emails\n
        """
        )

    return value


env = Environment(os.getenv("POLAR_ENV", Environment.development))
if env == Environment.testing:
    env_file = ".env.testing"
elif env == Environment.test:
    env_file = ".env.test"
else:
    env_file = ".env"
file_extension = ".exe" if os.name == "nt" else ""


class Settings(BaseSettings):
    ENV: Environment = Environment.development
    SQLALCHEMY_DEBUG: bool = False
    POSTHOG_DEBUG: bool = False
    LOG_LEVEL: str = "DEBUG"
    TESTING: bool = False

    WORKER_HEALTH_CHECK_INTERVAL: timedelta = timedelta(seconds=30)
    WORKER_MAX_RETRIES: int = 20
    WORKER_MIN_BACKOFF_MILLISECONDS: int = 2_000
    # Misses in a row before the worker exits and gets restarted. Each miss
    # takes about 20s. Set to 0 to only log.
    WORKER_EVENT_LOOP_WATCHDOG_MAX_MISSES: int = 3
    WORKER_PROMETHEUS_DIR: Path = Path(tempfile.gettempdir()) / "prometheus_multiproc"

    # Grafana Cloud Prometheus
    GRAFANA_CLOUD_PROMETHEUS_WRITE_URL: str | None = None
    GRAFANA_CLOUD_PROMETHEUS_WRITE_USERNAME: str | None = None
    GRAFANA_CLOUD_PROMETHEUS_WRITE_PASSWORD: str | None = None
    GRAFANA_CLOUD_PROMETHEUS_WRITE_INTERVAL: Annotated[int, Ge(1)] = 60  # seconds
    GRAFANA_CLOUD_PROMETHEUS_QUERY_URL: str | None = None
    GRAFANA_CLOUD_PROMETHEUS_QUERY_USER: str | None = None
    GRAFANA_CLOUD_PROMETHEUS_QUERY_KEY: str | None = None

    # Slack
    SLACK_BOT_TOKEN: str | None = None
    SLACK_CHANNEL: str | None = None

    # SLO Report
    SLO_REPORT_ENABLED: bool = True

    WEBHOOK_MAX_RETRIES: int = 10
    WEBHOOK_FIFO_GUARD_DELAY_MS: int = 300  # p95 is 236ms
    WEBHOOK_FIFO_GUARD_MAX_AGE: timedelta = timedelta(minutes=1)
    WEBHOOK_EVENT_RETENTION_PERIOD: timedelta = timedelta(days=90)
    WEBHOOK_FAILURE_THRESHOLD: int = 10

    WORKER_DEFAULT_DEBOUNCE_MIN_THRESHOLD: timedelta = timedelta(seconds=15)
    WORKER_DEFAULT_DEBOUNCE_MAX_THRESHOLD: timedelta = timedelta(minutes=15)

    CUSTOMER_METER_UPDATE_DEBOUNCE_MIN_THRESHOLD: timedelta = timedelta(seconds=15)
    CUSTOMER_METER_UPDATE_DEBOUNCE_MAX_THRESHOLD: timedelta = timedelta(minutes=180)

    SECRET: str = "super secret jwt secret"
    JWKS: JWKSFile = Field(default="./.jwks.json")
    CURRENT_JWK_KID: str = "polar_dev"
    WWW_AUTHENTICATE_REALM: str = "polar"

    # JSON list of accepted CORS origins
    CORS_ORIGINS: list[str] = []

    ALLOWED_HOSTS: set[str] = {"127.0.0.1:3000", "localhost:3000"}

    # User-Agent sent by Polar's outbound HTTP clients (e.g. URL reachability
    # checks). Excludes the org review website/setup collectors, which use a
    # browser-like UA to avoid bot detection by CDNs.
    POLAR_USER_AGENT: str = "Polar/1.0 (+https://polar.sh)"

    # Base URL for the backend. Used by generate_external_url to
    # generate URLs to the backend accessible from the outside.
    BASE_URL: str = "http://127.0.0.1:8000"
    BACKOFFICE_HOST: str | None = None
    CHECKOUT_LINK_HOST: str | None = None  # e.g., "buy.polar.sh" in production

    # URL to frontend app.
    # Update to ngrok domain or similar in case you want
    # working Github badges in development.
    FRONTEND_BASE_URL: str = "http://127.0.0.1:3000"
    FRONTEND_DEFAULT_RETURN_PATH: str = "/"
    CHECKOUT_BASE_URL: str = (
        "http://127.0.0.1:8000/v1/checkout-links/{client_secret}/redirect"
    )

    # Authentication session
    AUTHENTICATION_SESSION_TTL: timedelta = timedelta(minutes=15)
    AUTHENTICATION_SESSION_COOKIE_KEY: str = "polar_auth_session"
    AUTHENTICATION_SESSION_COOKIE_DOMAIN: str | None = "127.0.0.1"

    # Email OTP
    EMAIL_OTP_TTL: timedelta = timedelta(minutes=30)
    EMAIL_OTP_CODE_LENGTH: int = 6

    # App Review bypass (for testing login flow during Apple/Google app reviews)
    APP_REVIEW_EMAIL: str | None = None
    APP_REVIEW_OTP_CODE: str | None = None

    # OAuth2 session state
    OAUTH2_SESSION_STATE_TTL: timedelta = timedelta(minutes=10)
    OAUTH2_SESSION_STATE_COOKIE_KEY: str = "polar_oauth2_state"
    OAUTH2_SESSION_STATE_COOKIE_DOMAIN: str | None = "127.0.0.1"

    # User session
    USER_SESSION_TTL: timedelta = timedelta(days=31)
    USER_SESSION_FRESHNESS_TTL: timedelta = timedelta(hours=1)
    USER_SESSION_COOKIE_KEY: str = "polar_session"
    USER_SESSION_COOKIE_DOMAIN: str | None = "127.0.0.1"

    # Customer session
    CUSTOMER_SESSION_TTL: timedelta = timedelta(hours=1)
    CUSTOMER_SESSION_CODE_TTL: timedelta = timedelta(minutes=30)
    CUSTOMER_SESSION_CODE_LENGTH: int = 6

    # Impersonation session
    IMPERSONATION_COOKIE_KEY: str = "polar_original_session"
    IMPERSONATION_INDICATOR_COOKIE_KEY: str = "polar_is_impersonating"

    # Email verification
    EMAIL_VERIFICATION_TTL_SECONDS: int = 60 * 30  # 30 minutes

    # Checkout
    CHECKOUT_TTL_SECONDS: int = 60 * 60 * 24  # 24 hours
    IP_GEOLOCATION_DATABASE_DIRECTORY_PATH: DirectoryPath = Path(__file__).parent.parent
    IP_GEOLOCATION_DATABASE_NAME: str = "ip-geolocation.mmdb"

    # Database
    POSTGRES_USER: str = "polar"
    POSTGRES_PWD: str = "polar"
    POSTGRES_HOST: str = "127.0.0.1"
    POSTGRES_PORT: int = 5432
    POSTGRES_HOST_FALLBACK: str | None = None
    POSTGRES_PORT_FALLBACK: int | None = None
    POSTGRES_DATABASE: str = "polar"
    POSTGRES_SSL: bool = False
    # Full connection URL, as injected by managed Postgres integrations
    # (e.g. Neon). When set, its components take precedence over the parts above.
    POSTGRES_URL_NON_POOLING: str | None = None
    DATABASE_POOL_SIZE: int = 5
    DATABASE_SYNC_POOL_SIZE: int = 1  # Specific pool size for sync connection: since we only use it in OAuth2 router, don't waste resources.
    DATABASE_POOL_RECYCLE_SECONDS: int = 600  # 10 minutes
    DATABASE_COMMAND_TIMEOUT_SECONDS: float = 30.0
    DATABASE_CONNECT_TIMEOUT_SECONDS: float = 10.0
    DATABASE_STREAM_YIELD_PER: int = 100

    POSTGRES_READ_USER: str | None = None
    POSTGRES_READ_PWD: str | None = None
    POSTGRES_READ_HOST: str | None = None
    POSTGRES_READ_PORT: int | None = None
    POSTGRES_READ_HOST_FALLBACK: str | None = None
    POSTGRES_READ_PORT_FALLBACK: int | None = None
    POSTGRES_READ_DATABASE: str | None = None

    # Redis
    REDIS_HOST: str = "127.0.0.1"
    REDIS_PORT: int = 6379
    REDIS_DB: int = 0
    # Full connection URL, for managed Redis requiring auth or TLS (rediss://),
    # which the parts above cannot express. Takes precedence when set.
    REDIS_URL: str | None = None

    # Emails
    EMAIL_RENDERER_BINARY_PATH: Annotated[
        Path, AfterValidator(_validate_email_renderer_binary_path)
    ] = (
        Path(__file__).parent.parent
        / "emails"
        / "bin"
        / f"react-email-pkg{file_extension}"
    )
    EMAIL_SENDER: EmailSender = EmailSender.logger
    RESEND_API_KEY: str = ""
    RESEND_API_BASE_URL: str = "https://api.resend.com"
    RESEND_WEBHOOK_SECRET: str = ""
    EMAIL_FROM_NAME: str = "Polar"
    EMAIL_FROM_DOMAIN: str = "notifications.polar.sh"
    EMAIL_FROM_LOCAL: str = "mail"
    EMAIL_DEFAULT_REPLY_TO_NAME: str = "Polar Support"
    EMAIL_DEFAULT_REPLY_TO_EMAIL_ADDRESS: str = "support@polar.sh"

    TURNSTILE_SECRET: str = ""

    # Github App
    GITHUB_CLIENT_ID: str = ""
    GITHUB_CLIENT_SECRET: str = ""

    # GitHub App for repository benefits
    GITHUB_REPOSITORY_BENEFITS_APP_NAMESPACE: str = ""
    GITHUB_REPOSITORY_BENEFITS_APP_IDENTIFIER: str = ""
    GITHUB_REPOSITORY_BENEFITS_APP_PRIVATE_KEY: str = ""
    GITHUB_REPOSITORY_BENEFITS_CLIENT_ID: str = ""
    GITHUB_REPOSITORY_BENEFITS_CLIENT_SECRET: str = ""

    # Discord
    DISCORD_CLIENT_ID: str = ""
    DISCORD_CLIENT_SECRET: str = ""
    DISCORD_BOT_TOKEN: str = ""
    DISCORD_BOT_PERMISSIONS: str = (
        "268435459"  # Manage Roles, Kick Members, Create Instant Invite
    )
    DISCORD_PROXY_URL: str = ""

    # Google
    GOOGLE_CLIENT_ID: str = ""
    GOOGLE_CLIENT_SECRET: str = ""
    # Service account (JSON key) used to fetch the organization review AUP from
    # Google Drive. The document must be shared with the service account email.
    GOOGLE_SERVICE_ACCOUNT_JSON: str = ""

    # Organization review Acceptable Use Policy source (Google Doc, fetched via
    # the Drive API and cached in-process).
    ORGANIZATION_REVIEW_AUP_DOCUMENT_ID: str = (
        "13dRNFns8e_BD7yJ0uagDp3_1RB1-hGgam93d3p_9piw"
    )
    ORGANIZATION_REVIEW_AUP_CACHE_TTL_SECONDS: int = 3600

    # Apple
    APPLE_CLIENT_ID: str = ""
    APPLE_TEAM_ID: str = ""
    APPLE_KEY_ID: str = ""
    APPLE_KEY_VALUE: str = ""

    # Pydantic AI Gateway
    PYDANTIC_AI_GATEWAY_API_KEY: str = "DummyKey"
    PYDANTIC_AI_GATEWAY_MODEL: str = "openai:gpt-5.5"

    # Organization review website scraping. Firecrawl Cloud backs the JS-render
    # path of the collector: it renders JavaScript, follows redirects, and
    # egresses from Firecrawl's network rather than ours.
    FIRECRAWL_API_KEY: str | None = None

    # How long an organization stays in `offboarding` before it automatically
    # transitions to the terminal `offboarded` state. Measured from the last paid
    # (not fully refunded) order, i.e. the post-chargeback-risk wind-down window.
    ORGANIZATION_OFFBOARDING_PERIOD: timedelta = timedelta(days=120)

    # Delay after an org becomes denied/blocked/offboarded before its customers'
    # subscriptions are auto-cancelled — silently, without notifying customers.
    ORGANIZATION_SUBSCRIPTION_CANCELLATION_DELAY: timedelta = timedelta(days=7)

    # Stripe
    STRIPE_SECRET_KEY: str = ""
    STRIPE_PUBLISHABLE_KEY: str = ""
    # Stripe webhook secrets
    STRIPE_WEBHOOK_SECRET: str = ""
    STRIPE_CONNECT_WEBHOOK_SECRET: str = ""
    # Account risk signals (preview). Empty disables the endpoint.
    STRIPE_ACCOUNT_RISK_WEBHOOK_SECRET: str = ""
    STRIPE_STATEMENT_DESCRIPTOR: str = "POLAR"
    # The Stripe account merchants copy or import their saved cards into. Shown to
    # the merchant so they can address the transfer to us.
    MERCHANT_MIGRATION_DESTINATION_STRIPE_ACCOUNT_ID: str = ""

    # Numeral
    NUMERAL_API_KEY: str | None = None

    # Sentry
    SENTRY_DSN: str | None = None

    # Discord
    FAVICON_URL: str = "https://raw.githubusercontent.com/polarsource/polar/2648cf7472b5128704a097cd1eb3ae5f1dd847e5/docs/docs/assets/favicon.png"
    THUMBNAIL_URL: str = "https://raw.githubusercontent.com/polarsource/polar/4fd899222e200ca70982f437039f549b7a822ecc/clients/apps/web/public/email-logo-dark.png"

    # Posthog
    POSTHOG_PROJECT_API_KEY: str = ""

    # Tinybird
    TINYBIRD_API_URL: str = "http://localhost:7181"
    TINYBIRD_API_TOKEN: str | None = None
    TINYBIRD_READ_TOKEN: str | None = None
    TINYBIRD_CLICKHOUSE_URL: str = "http://localhost:7182"
    TINYBIRD_CLICKHOUSE_USERNAME: str = "default"
    TINYBIRD_CLICKHOUSE_TOKEN: str | None = None
    TINYBIRD_WORKSPACE: str | None = None
    TINYBIRD_BRANCH: str | None = None
    # Logo.dev (for company logo avatars)
    LOGO_DEV_PUBLISHABLE_KEY: str | None = None
    PERSONAL_EMAIL_DOMAINS: set[str] = {
        "gmail.com",
        "yahoo.com",
        "hotmail.com",
        "outlook.com",
        "aol.com",
        "icloud.com",
        "mail.com",
        "protonmail.com",
        "proton.me",
        "zoho.com",
        "gmx.com",
        "yandex.com",
        "msn.com",
        "live.com",
        "qq.com",
    }

    # Memory Profiling
    MEMORY_PROFILE_ENABLED: bool = False
    MEMORY_PROFILE_INTERVAL: int = 300  # seconds between snapshots
    MEMORY_PROFILE_S3_BUCKET_NAME: str | None = None

    # Logfire
    LOGFIRE_TOKEN: str | None = None
    LOGFIRE_IGNORED_ACTORS: set[str] = {
        "organization_access_token.record_usage",
        "personal_access_token.record_usage",
    }
    # S3 logs storage
    S3_LOGS_BUCKET_NAME: str | None = None

    # Plain
    PLAIN_REQUEST_SIGNING_SECRET: str | None = None
    PLAIN_TOKEN: str | None = None
    PLAIN_CHAT_SECRET: str | None = None
    PLAIN_DEFAULT_TIER_EXTERNAL_ID: str | None = None

    # AWS (File Downloads)
    AWS_ACCESS_KEY_ID: str = "polar-development"
    AWS_SECRET_ACCESS_KEY: str = "polar123456789"
    AWS_REGION: str = "us-east-2"
    AWS_SIGNATURE_VERSION: str = "v4"
    # botocore defaults allow about 5 minutes per call. That is longer than the
    # job that started it, so a slow upload keeps a thread busy for nothing.
    AWS_S3_CONNECT_TIMEOUT_SECONDS: float = 5.0
    AWS_S3_READ_TIMEOUT_SECONDS: float = 20.0
    AWS_S3_MAX_ATTEMPTS: int = 3

    # Secrets encryption. Production and sandbox wrap data keys with a KMS key
    # (AWS_KMS_KEY_ID); local and CI use a static key instead, so tests make no
    # cloud calls.
    AWS_KMS_KEY_ID: str | None = None
    ENCRYPTION_LOCAL_KEY: str = "super secret encryption key"

    # Worker SQS/Lambda execution engine (POC)
    # When enabled, jobs enqueued for an allowlisted actor are routed to an
    # SQS queue consumed by the Lambda worker instead of Redis.
    WORKER_SQS_ENABLED: bool = False
    WORKER_SQS_ACTORS: set[str] = {
        "dummy",
        "observability.invariants.enqueue",
        "observability.invariants.check",
    }
    WORKER_SQS_QUEUE_PREFIX: str = "polar-tasks"
    # Override to http://127.0.0.1:4566 in .env to target LocalStack
    SQS_ENDPOINT_URL: str | None = None
    WORKER_SQS_AWS_ACCESS_KEY_ID: str | None = None
    WORKER_SQS_AWS_SECRET_ACCESS_KEY: str | None = None
    WORKER_SQS_SCHEDULER_ROLE_ARN: str | None = None

    # Downloadable files
    S3_FILES_BUCKET_NAME: str = "polar-s3"
    S3_FILES_PUBLIC_BUCKET_NAME: str = "polar-s3-public"
    S3_FILES_PRESIGN_TTL: int = 3600  # 60 minutes
    S3_FILES_DOWNLOAD_SECRET: str = "supersecret"
    S3_FILES_DOWNLOAD_SALT: str = "saltysalty"
    # Override to http://127.0.0.1:9000 in .env during development
    S3_ENDPOINT_URL: str | None = None
    # Endpoint used when generating presigned URLs handed to the browser.
    # In local dev Minio must be reached as http://localhost:9000 from the host,
    # while server-side calls use the in-network http://minio:9000. Defaults to
    # S3_ENDPOINT_URL (production: same real AWS endpoint).
    S3_PUBLIC_ENDPOINT_URL: str | None = None

    @property
    def s3_presign_endpoint_url(self) -> str | None:
        return self.S3_PUBLIC_ENDPOINT_URL or self.S3_ENDPOINT_URL

    MINIO_USER: str = "polar"
    MINIO_PWD: str = "polarpolar"

    # Chargeback Stop
    CHARGEBACK_STOP_WEBHOOK_SECRET: str = ""

    # Polar's usage of Polar
    POLAR_ACCESS_TOKEN: str = ""
    POLAR_WEBHOOK_SECRET: str = ""
    POLAR_ORGANIZATION_ID: str = ""
    POLAR_FREE_PRODUCT_ID: str = ""
    # Scale plan product, used by the Startup Program to grant a 100% discount
    POLAR_SCALE_PRODUCT_ID: str = ""
    POLAR_API_URL: str = "https://api.polar.sh"

    @property
    def POLAR_SELF_ENABLED(self) -> bool:
        return all(
            [
                self.POLAR_ACCESS_TOKEN,
                self.POLAR_ORGANIZATION_ID,
                self.POLAR_FREE_PRODUCT_ID,
            ]
        )

    @property
    def STARTUP_PROGRAM_ENABLED(self) -> bool:
        # All three are required: org_id to scope reads, scale_product_id to
        # attach the discount to, access_token so the SDK calls can auth.
        return bool(
            self.POLAR_ORGANIZATION_ID
            and self.POLAR_SCALE_PRODUCT_ID
            and self.POLAR_ACCESS_TOKEN
        )

    # Customer portal URL overrides per organization
    CUSTOMER_PORTAL_URL_OVERRIDES: dict[str, str] = {}

    # Invoices
    S3_CUSTOMER_INVOICES_BUCKET_NAME: str = "polar-customer-invoices"
    S3_CUSTOMER_RECEIPTS_BUCKET_NAME: str = "polar-customer-receipts"
    S3_PAYOUT_INVOICES_BUCKET_NAME: str = "polar-payout-invoices"
    INVOICES_NAME: str = "Polar Software, Inc."
    INVOICES_ADDRESS: Address = Address(
        line1="548 Market St",
        line2="PMB 61301",
        postal_code="94104",
        city="San Francisco",
        state="US-CA",
        country=CountryAlpha2("US"),
    )
    INVOICES_ADDITIONAL_INFO: str | None = "[support@polar.sh](mailto:support@polar.sh)"
    INVOICES_VAT_NUMBERS: dict[str, str] = {}
    PAYOUT_INVOICES_PREFIX: str = "POLAR-"

    # Application behaviours
    API_PAGINATION_MAX_LIMIT: int = 100
    API_MAX_REQUEST_BODY_SIZE: int = 10 * 1024 * 1024

    ACCOUNT_PAYOUT_DELAY: timedelta = timedelta(seconds=1)
    ACCOUNT_DEFAULT_PAYOUT_INTERVAL: timedelta = timedelta(hours=24)
    ACCOUNT_PAYOUT_MINIMUM_BALANCE: int = 1000

    _DEFAULT_ACCOUNT_PAYOUT_MINIMUM_BALANCE: int = 1000
    ACCOUNT_PAYOUT_MINIMUM_BALANCE_PER_PAYOUT_CURRENCY: dict[str, int] = {
        "all": 4000,
        "amd": 4000,
        "aoa": 3000,
        "azn": 4000,
        "bam": 4000,
        "bob": 4000,
        "btn": 4000,
        "chf": 1500,
        "clp": 4000,
        "cop": 5000,
        "eur": 1300,
        "gbp": 1500,
        "ghs": 4000,
        "gmd": 4000,
        "gyd": 4000,
        "khr": 4000,
        "krw": 4000,
        "lak": 4000,
        "mdl": 4000,
        "mga": 4000,
        "mkd": 4000,
        "mnt": 4000,
        "myr": 4000,
        "mzn": 4000,
        "nad": 4000,
        "pyg": 4000,
        "rsd": 4000,
        "thb": 4000,
        "twd": 4000,
        "uzs": 4000,
        # USD, default
        "usd": _DEFAULT_ACCOUNT_PAYOUT_MINIMUM_BALANCE,
    }

    # Stripe enforces per-country minimum payout amounts in the recipient's
    # local currency. For most countries the per-currency minimum above
    # already exceeds the country minimum after FX conversion, but a few
    # don't fit that pattern: USD-denominated countries with a higher local
    # minimum than the default $10, and BSD (not listed per-currency above).
    # Values are in USD cents and indexed by ISO 3166-1 alpha-2 country
    # code, rounded up to the next multiple of $5 USD for FX headroom. See:
    # https://docs.stripe.com/global-payouts/send-money
    ACCOUNT_PAYOUT_MINIMUM_BALANCE_PER_PAYOUT_COUNTRY: dict[str, int] = {
        "BS": 3000,  # Bahamas: 25 BSD
        "SV": 3000,  # El Salvador: 30 USD
        "PA": 5000,  # Panama: 50 USD
    }
    PLATFORM_FEE_BASIS_POINTS: int = 500
    PLATFORM_FEE_FIXED: int = 50
    PLATFORM_SUBSCRIPTION_FEE_BASIS_POINTS: int = 0
    PLATFORM_FEE_BASIS_POINTS_EARLY_ACCESS: int = 400
    PLATFORM_FEE_FIXED_EARLY_ACCESS: int = 40
    PLATFORM_SUBSCRIPTION_FEE_BASIS_POINTS_EARLY_ACCESS: int = 50

    ORGANIZATION_BLOCKED_WORDS: list[str] = [
        "porn",
        "porno",
        "pornography",
        "sex",
        "sexual",
        "sexy",
        "nsfw",
        "xxx",
        "hentai",
        "erotic",
        "erotica",
        "fetish",
        "nude",
        "nudes",
        "nudity",
        "onlyfans",
        "camgirl",
        "escort",
    ]

    ORGANIZATION_SLUG_RESERVED_KEYWORDS: list[str] = [
        # Landing pages
        "benefits",
        "donations",
        "issue-funding",
        "newsletters",
        "products",
        "careers",
        "legal",
        # App
        "docs",
        "login",
        "signup",
        "oauth2",
        "checkout",
        "embed",
        "maintainer",
        "dashboard",
        "feed",
        "for-you",
        "posts",
        "purchases",
        "funding",
        "rewards",
        "settings",
        "backoffice",
        "maintainer",
        "finance",
        # Misc
        ".well-known",
    ]

    # Dunning Configuration
    DUNNING_RETRY_INTERVALS: list[timedelta] = [
        timedelta(days=2),  # First retry after 2 days
        timedelta(days=5),  # Second retry after 7 days (2 + 5)
        timedelta(days=7),  # Third retry after 14 days (2 + 5 + 7)
        timedelta(days=7),  # Fourth retry after 21 days (2 + 5 + 7 + 7)
    ]
    CUSTOMER_RETRY_MAX_ATTEMPTS: int = 5
    PAYMENT_LOCK_STALE_THRESHOLD: timedelta = timedelta(hours=1)

    TAX_PROCESSORS: list[TaxProcessor] = [TaxProcessor.stripe]
    TAX_RECORD_PROCESSOR: TaxProcessor = TaxProcessor.stripe

    model_config = SettingsConfigDict(
        env_prefix="polar_",
        env_file_encoding="utf-8",
        case_sensitive=False,
        env_file=env_file,
        extra="allow",
    )

    @property
    def redis_url(self) -> str:
        if self.REDIS_URL:
            return self.REDIS_URL
        return f"redis://{self.REDIS_HOST}:{self.REDIS_PORT}/{self.REDIS_DB}"

    @model_validator(mode="after")
    def apply_vercel_defaults(self) -> "Settings":
        """Derive URL and cookie defaults from the deployment's own URL on Vercel.

        Deployment URLs change with every deployment, so these can't be set
        statically. The app origin serves the API under /api, and cookies are
        host-only since no fixed Domain can match the deployment host.
        Explicitly configured values are left untouched.
        """
        vercel_url = os.environ.get("VERCEL_URL")
        if not self.is_vercel() or not vercel_url:
            return self

        # Production deployments have a stable URL (the assigned domain);
        # prefer it over the per-deployment URL for generated links.
        production_url = os.environ.get("VERCEL_PROJECT_PRODUCTION_URL")
        canonical_url = (
            production_url
            if os.environ.get("VERCEL_ENV") == "production" and production_url
            else vercel_url
        )

        # Accept every host the deployment is reachable at.
        allowed_hosts = {
            host
            for host in (
                vercel_url,
                os.environ.get("VERCEL_BRANCH_URL"),
                production_url,
            )
            if host
        }

        defaults: dict[str, Any] = {
            "FRONTEND_BASE_URL": f"https://{canonical_url}",
            "BASE_URL": f"https://{canonical_url}/api",
            "CHECKOUT_BASE_URL": (
                f"https://{canonical_url}/api/v1/checkout-links/{{client_secret}}/redirect"
            ),
            "ALLOWED_HOSTS": allowed_hosts,
            "AUTHENTICATION_SESSION_COOKIE_DOMAIN": None,
            "OAUTH2_SESSION_STATE_COOKIE_DOMAIN": None,
            "USER_SESSION_COOKIE_DOMAIN": None,
        }
        for field, value in defaults.items():
            if field not in self.model_fields_set:
                setattr(self, field, value)
        return self

    @model_validator(mode="after")
    def apply_postgres_url_non_pooling(self) -> "Settings":
        if self.POSTGRES_URL_NON_POOLING is None:
            return self

        url = urlparse(self.POSTGRES_URL_NON_POOLING)
        if url.scheme not in ("postgres", "postgresql"):
            raise ValueError(
                "POSTGRES_URL_NON_POOLING must be a postgres:// or postgresql:// URL"
            )

        if url.username:
            self.POSTGRES_USER = unquote(url.username)
        if url.password:
            self.POSTGRES_PWD = unquote(url.password)
        if url.hostname:
            self.POSTGRES_HOST = url.hostname
        if url.port:
            self.POSTGRES_PORT = url.port
        database = url.path.lstrip("/")
        if database:
            self.POSTGRES_DATABASE = database
        sslmode = parse_qs(url.query).get("sslmode", [None])[0]
        if sslmode is not None:
            self.POSTGRES_SSL = sslmode != "disable"
        return self

    def _build_postgres_dsn(
        self,
        driver: Literal["asyncpg", "psycopg2"],
        *,
        username: str | None,
        password: str | None,
        host: str | None,
        port: int | None,
        database: str | None,
        fallback_host: str | None,
        fallback_port: int | None,
    ) -> str:
        if fallback_host is None:
            return str(
                PostgresDsn.build(
                    scheme=f"postgresql+{driver}",
                    username=username,
                    password=password,
                    host=host,
                    port=port,
                    path=database,
                )
            )
        return URL.create(
            f"postgresql+{driver}",
            username=username,
            password=password,
            database=database,
            query={
                "host": [
                    f"{host}:{port}",
                    f"{fallback_host}:{fallback_port or port}",
                ]
            },
        ).render_as_string(hide_password=False)

    def get_postgres_dsn(self, driver: Literal["asyncpg", "psycopg2"]) -> str:
        return self._build_postgres_dsn(
            driver,
            username=self.POSTGRES_USER,
            password=self.POSTGRES_PWD,
            host=self.POSTGRES_HOST,
            port=self.POSTGRES_PORT,
            database=self.POSTGRES_DATABASE,
            fallback_host=self.POSTGRES_HOST_FALLBACK,
            fallback_port=self.POSTGRES_PORT_FALLBACK,
        )

    def is_read_replica_configured(self) -> bool:
        return all(
            [
                self.POSTGRES_READ_USER,
                self.POSTGRES_READ_PWD,
                self.POSTGRES_READ_HOST,
                self.POSTGRES_READ_PORT,
                self.POSTGRES_READ_DATABASE,
            ]
        )

    def get_postgres_read_dsn(
        self, driver: Literal["asyncpg", "psycopg2"]
    ) -> str | None:
        if not self.is_read_replica_configured():
            return None

        return self._build_postgres_dsn(
            driver,
            username=self.POSTGRES_READ_USER,
            password=self.POSTGRES_READ_PWD,
            host=self.POSTGRES_READ_HOST,
            port=self.POSTGRES_READ_PORT,
            database=self.POSTGRES_READ_DATABASE,
            fallback_host=self.POSTGRES_READ_HOST_FALLBACK,
            fallback_port=self.POSTGRES_READ_PORT_FALLBACK,
        )

    def is_environment(self, environments: set[Environment]) -> bool:
        return self.ENV in environments

    def is_development(self) -> bool:
        return self.is_environment({Environment.development})

    def is_testing(self) -> bool:
        return self.is_environment({Environment.testing})

    def is_sandbox(self) -> bool:
        return self.is_environment({Environment.sandbox, Environment.test})

    def is_production(self) -> bool:
        return self.is_environment({Environment.production})

    def is_test(self) -> bool:
        return self.is_environment({Environment.test})

    def is_vercel(self) -> bool:
        return "VERCEL" in os.environ

    def generate_external_url(self, path: str) -> str:
        return f"{self.BASE_URL}{path}"

    def generate_frontend_url(self, path: str) -> str:
        return f"{self.FRONTEND_BASE_URL}{path}"

    @property
    def frontend_hostname(self) -> str:
        return urlparse(self.FRONTEND_BASE_URL).hostname or "polar.sh"

    def generate_backoffice_url(self, path: str) -> str:
        if self.BACKOFFICE_HOST is None:
            return self.generate_external_url(f"/backoffice{path}")
        return f"https://{self.BACKOFFICE_HOST}{path}"

    @property
    def stripe_descriptor_suffix_max_length(self) -> int:
        return 22 - len("* ") - len(self.STRIPE_STATEMENT_DESCRIPTOR)

    def get_minimum_payout(self, currency: str, country: str) -> int:
        currency_minimum = self.ACCOUNT_PAYOUT_MINIMUM_BALANCE_PER_PAYOUT_CURRENCY.get(
            currency.lower(), self._DEFAULT_ACCOUNT_PAYOUT_MINIMUM_BALANCE
        )
        country_minimum = self.ACCOUNT_PAYOUT_MINIMUM_BALANCE_PER_PAYOUT_COUNTRY.get(
            country.upper(), 0
        )
        return max(currency_minimum, country_minimum)

    def get_pydantic_gateway_model(
        self, model: str | None = None
    ) -> tuple[Model, str, str]:
        model = model or settings.PYDANTIC_AI_GATEWAY_MODEL
        model_provider, model_name = parse_model_id(model)
        assert model_provider is not None
        return (
            infer_model(
                model,
                provider_factory=functools.partial(
                    gateway_provider, api_key=self.PYDANTIC_AI_GATEWAY_API_KEY
                ),
            ),
            model_provider,
            model_name,
        )


settings = Settings()
