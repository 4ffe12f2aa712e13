"""Model: calls go through the gateway, deployments are pinned with timeouts and prices."""

from __future__ import annotations

import re
from typing import Any

from ..globs import matches
from ..repo import Repo
from .base import Check, Outcome, Skip, first_line
from .declared import MODELS, declarations, model_files, template_config_only
from .llm import behind_one_interface, imported_modules, model_uses, no_model_calls, uses

PRICES = "config/prices.toml"
TIMEOUT_KEYS = ("connect_seconds", "first_token_seconds", "total_seconds")
PROVIDER_HOSTS = re.compile(
    r"api\.openai\.com|openai\.azure\.com|api\.anthropic\.com|generativelanguage\.googleapis\.com"
    r"|api\.mistral\.ai|api\.cohere\.(?:ai|com)|api\.groq\.com|api\.together\.xyz"
)
HTTP_CLIENTS = ("httpx", "requests", "aiohttp", "urllib.request", "urllib3")
PROVIDERS_DIR = "src/*/llm/providers/**"


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


class ModelCheck(Check):
    family = "model"
    introduced = "0.2.0"
    location = MODELS


class MDL001(ModelCheck):
    """Model deployments are declared (config/models.toml, typed settings or deploy config)"""

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Declare every model the service calls in `config/models.toml`: a `version`, and one
        `[deployments.<name>]` table per deployment with `provider` and `model`."""
        repo = ai_service_repo
        reason = no_model_calls(repo)
        if reason:
            return Skip(reason)
        if not model_files(repo):
            if declarations(repo):
                return True
            calls = sorted(model_uses(repo), key=lambda use: not use.providers)
            shown = ", ".join(
                f"{use.path} ({', '.join(use.providers or use.frameworks)})" for use in calls[:3]
            )
            return cls.fail(
                f"Models are chosen in code only ({shown}): looked for {repo.svc(MODELS)}, model "
                "fields of typed settings (BaseSettings) that the code reads, `llm:`/`models:`/"
                "`model_list:`/`default_model` in settings and config files (YAML, JSON, TOML), "
                "and *_MODEL variables and Bicep/ARM *ModelName parameters in "
                "compose, Kubernetes, Helm, Terraform, Bicep and .env.example files.",
                path=calls[0].path if calls else repo.svc(MODELS),
                line=first_line(
                    repo.text(calls[0].path) or "", (calls[0].providers or calls[0].frameworks)[0]
                )
                if calls
                else None,
            )
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
        repo = ai_service_repo
        if not model_files(repo):
            latest = [d for d in declarations(repo) if (d.value or "").lower().endswith("latest")]
            if latest:
                return cls.fail(
                    f"Unpinned model id {latest[0].value!r} ({latest[0].what}).",
                    path=latest[0].path,
                    line=latest[0].line,
                )
            return True
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
        skip = template_config_only(ai_service_repo)
        if skip:
            return skip
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
        skip = template_config_only(ai_service_repo)
        if skip:
            return skip
        repo = ai_service_repo
        prices = (repo.toml(repo.svc(PRICES)) or {}).get("prices")
        if not isinstance(prices, dict):
            return cls.fail(
                f"{repo.svc(PRICES)} is missing, invalid or has no [prices] table.",
                path=repo.svc(PRICES),
            )
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
    """Model providers are called only through one gateway or provider package"""

    location = ""

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Move provider SDK and HTTP calls into a provider module under
        `src/<package>/llm/providers/` and call models through the gateway, which applies
        timeouts, retries, pricing and logging to every call."""
        repo = ai_service_repo
        reason = no_model_calls(repo)
        if reason:
            return Skip(reason)
        calling = [use for use in model_uses(repo) if use.providers]
        offenders = [
            f"{use.path} imports {', '.join(use.providers)}"
            for use in calling
            if not matches(repo.svc(PROVIDERS_DIR), use.path)
        ]
        for path in repo.service_python_files:
            text = repo.text(path) or ""
            if PROVIDER_HOSTS.search(text) and uses(imported_modules(text), HTTP_CLIENTS):
                offenders.append(f"{path} calls a provider's API over HTTP")
        if not offenders or behind_one_interface([o.split(" ", 1)[0] for o in offenders]):
            return True
        first = offenders[0].split(" ", 1)[0]
        module = offenders[0].split(" imports ", 1)[-1].split(",")[0]
        return cls.fail(
            f"Provider calls outside one gateway or provider package: {'; '.join(offenders)}.",
            path=first,
            line=first_line(repo.text(first) or "", module),
        )


class MDL006(ModelCheck):
    """Model aliases name declared deployments"""

    requires = frozenset({"MDL001"})

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Make every `[aliases.<name>] deployments = [...]` entry the name of a
        `[deployments.<name>]` table in the same file, and give each alias at least one."""
        skip = template_config_only(ai_service_repo)
        if skip:
            return skip
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
