"""Model: calls go through the gateway, deployments are pinned with timeouts and prices."""

from __future__ import annotations

import ast
import re
from typing import Any

from ..globs import matches
from ..repo import Repo
from .base import Check, Outcome

MODELS = "config/models.toml"
PRICES = "config/prices.toml"
TIMEOUT_KEYS = ("connect_seconds", "first_token_seconds", "total_seconds")
PROVIDER_SDKS = (
    "openai",
    "anthropic",
    "google.genai",
    "google.generativeai",
    "vertexai",
    "mistralai",
    "cohere",
    "groq",
    "litellm",
    "together",
    "ollama",
    "replicate",
)
PROVIDER_HOSTS = re.compile(
    r"api\.openai\.com|openai\.azure\.com|api\.anthropic\.com|generativelanguage\.googleapis\.com"
    r"|api\.mistral\.ai|api\.cohere\.(?:ai|com)|api\.groq\.com|api\.together\.xyz"
)
HTTP_CLIENTS = ("httpx", "requests", "aiohttp", "urllib.request", "urllib3")
PROVIDERS_DIR = "src/*/llm/providers/**"


def model_files(repo: Repo) -> list[str]:
    """config/models.toml and its variants (config/models.offline.toml, ...)."""
    variants = [path for path in repo.glob("config/models.*.toml")]
    return ([MODELS] if repo.exists(MODELS) else []) + sorted(variants)


def deployments_in(repo: Repo, path: str) -> dict[str, Any]:
    table = (repo.toml(path) or {}).get("deployments")
    return table if isinstance(table, dict) else {}


def deployments(repo: Repo) -> list[tuple[str, str, Any]]:
    """(file, name, spec) of every deployment in every model file."""
    return [
        (path, name, spec)
        for path in model_files(repo)
        for name, spec in deployments_in(repo, path).items()
    ]


def imported_modules(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def uses(modules: set[str], wanted: tuple[str, ...]) -> list[str]:
    return [name for name in wanted if any(m == name or m.startswith(name + ".") for m in modules)]


class ModelCheck(Check):
    family = "model"
    introduced = "0.2.0"
    location = MODELS


class MDL001(ModelCheck):
    """Model deployments are declared in config/models.toml"""

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Declare every model the service calls in `config/models.toml`: a `version`, and one
        `[deployments.<name>]` table per deployment with `provider` and `model`."""
        repo = ai_service_repo
        if not repo.exists(MODELS):
            return cls.fail(f"{MODELS} is missing.")
        problems: list[tuple[str, str]] = []
        for path in model_files(repo):
            table = repo.toml(path)
            if table is None:
                problems.append((path, "not valid TOML"))
                continue
            if "version" not in table:
                problems.append((path, "no `version`"))
            found = deployments_in(repo, path)
            if not found:
                problems.append((path, "no [deployments.<name>] table"))
            for name, spec in found.items():
                missing = [
                    key
                    for key in ("provider", "model")
                    if not isinstance(spec, dict) or not isinstance(spec.get(key), str)
                ]
                if missing:
                    problems.append((path, f"deployment {name!r} lacks {', '.join(missing)}"))
        if not problems:
            return True
        first = problems[0][0]
        listed = "; ".join(text if path == first else f"{path}: {text}" for path, text in problems)
        return cls.fail(f"{listed}.", path=first)


class MDL002(ModelCheck):
    """Model ids are pinned: no empty ids, no `latest` aliases"""

    requires = frozenset({"MDL001"})

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Set each deployment's `model` to an exact, dated or versioned model id (for example
        `gpt-4o-2024-08-06`), never `...-latest`: a moving alias changes behaviour, cost and
        eval results without a commit."""
        loose = [
            f"{name} ({spec.get('model')!r}) in {path}"
            for path, name, spec in deployments(ai_service_repo)
            if isinstance(spec, dict)
            and (
                not str(spec.get("model", "")).strip()
                or str(spec.get("model")).strip().lower().endswith("latest")
            )
        ]
        return cls.fail(f"Unpinned model ids: {', '.join(loose)}.") if loose else True


class MDL003(ModelCheck):
    """Model calls have timeouts: connect, first token and total"""

    requires = frozenset({"MDL001"})

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Give deployments `timeouts = {connect_seconds = ..., first_token_seconds = ...,
        total_seconds = ...}` with positive numbers (or keep the gateway's defaults), so a
        stalled provider cannot hold a request forever."""
        problems = []
        for path, name, spec in deployments(ai_service_repo):
            name = f"{path}: {name}"
            timeouts = spec.get("timeouts", {}) if isinstance(spec, dict) else {}
            if not isinstance(timeouts, dict):
                problems.append(f"{name}: timeouts is not a table")
                continue
            for key, value in timeouts.items():
                if key not in TIMEOUT_KEYS:
                    problems.append(f"{name}: unknown timeout {key!r}")
                elif isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                    problems.append(f"{name}: {key} must be a positive number")
        return cls.fail(f"Timeouts: {'; '.join(problems)}.") if problems else True


class MDL004(ModelCheck):
    """The price table covers every deployment"""

    requires = frozenset({"MDL001"})
    location = PRICES

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add `[prices."<provider>/<model>"]` to `config/prices.toml` with
        `input_usd_per_million_tokens` and `output_usd_per_million_tokens` for every deployment,
        so every call's cost is recorded."""
        repo = ai_service_repo
        prices = (repo.toml(PRICES) or {}).get("prices")
        if not isinstance(prices, dict):
            return cls.fail(f"{PRICES} is missing, invalid or has no [prices] table.")
        missing = []
        for _, _, spec in deployments(repo):
            if not isinstance(spec, dict):
                continue
            key = f"{spec.get('provider')}/{spec.get('model')}"
            entry = prices.get(key)
            fields = ("input_usd_per_million_tokens", "output_usd_per_million_tokens")
            if not isinstance(entry, dict) or not all(
                isinstance(entry.get(f), int | float)
                and not isinstance(entry.get(f), bool)
                and entry[f] >= 0
                for f in fields
            ):
                missing.append(key)
        return (
            cls.fail(f"No complete price for: {', '.join(sorted(set(missing)))}.")
            if missing
            else True
        )


class MDL005(ModelCheck):
    """Model providers are called only through the gateway (src/<pkg>/llm/providers/)"""

    location = ""

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Move provider SDK and HTTP calls into a provider module under
        `src/<package>/llm/providers/` and call models through the gateway, which applies
        timeouts, retries, pricing and logging to every call."""
        repo = ai_service_repo
        offenders = []
        for path in repo.service_python_files:
            if matches(PROVIDERS_DIR, path):
                continue
            text = repo.text(path) or ""
            modules = imported_modules(text)
            sdks = uses(modules, PROVIDER_SDKS)
            if sdks:
                offenders.append(f"{path} imports {', '.join(sdks)}")
            elif uses(modules, HTTP_CLIENTS) and PROVIDER_HOSTS.search(text):
                offenders.append(f"{path} calls a provider's API over HTTP")
        if not offenders:
            return True
        first = offenders[0].split(" ", 1)[0]
        return cls.fail(f"Provider calls outside the gateway: {'; '.join(offenders)}.", path=first)


class MDL006(ModelCheck):
    """Model aliases name declared deployments"""

    requires = frozenset({"MDL001"})

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Make every `[aliases.<name>] deployments = [...]` entry the name of a
        `[deployments.<name>]` table in the same file, and give each alias at least one."""
        repo = ai_service_repo
        problems = []
        for path in model_files(repo):
            aliases = (repo.toml(path) or {}).get("aliases", {})
            known = set(deployments_in(repo, path))
            for name, spec in aliases.items() if isinstance(aliases, dict) else []:
                targets = spec.get("deployments") if isinstance(spec, dict) else None
                if not isinstance(targets, list) or not targets:
                    problems.append(f"{path}: {name} has no deployments")
                    continue
                unknown = [str(target) for target in targets if target not in known]
                if unknown:
                    problems.append(f"{path}: {name} names unknown {', '.join(unknown)}")
        return cls.fail(f"Aliases: {'; '.join(problems)}.") if problems else True
