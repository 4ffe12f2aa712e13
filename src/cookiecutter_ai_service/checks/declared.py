"""Where a service declares its models when it has no config/models.toml.

Typed settings fields (`BaseSettings`: `llm_model`, `AZURE_OPENAI_MODEL`), settings YAML
(`llm:`, `models:`, LiteLLM's `model_list:`) and infrastructure files that set a `*_MODEL`
variable (compose, Kubernetes, Helm, Terraform, `.env.example`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ci_config import as_dict
from ..repo import Repo
from .base import Skip, first_line

MODELS = "config/models.toml"


def model_files(repo: Repo) -> list[str]:
    """config/models.toml and its variants (config/models.offline.toml, ...)."""
    variants = [path for path in repo.glob(repo.svc("config/models.*.toml"))]
    main = repo.svc(MODELS)
    return ([main] if repo.exists(main) else []) + sorted(variants)


SETTINGS_FIELD = re.compile(
    r"^\s+(?P<name>\w*(?:model|llm|deployment)\w*)\s*:\s*[^=\n]+(?:=\s*(?P<default>[^\n]+))?$",
    re.I | re.M,
)
ENV_MODEL = re.compile(
    r"(?m)^\s*-?\s*(?:name:\s*)?[\"']?(\w*_MODEL(?:_NAME|_ID)?|MODEL(?:_NAME|_ID)?)\b"
)
SETTINGS_FILES = ("settings*.yaml", "settings*.yml", "config*.yaml", "config*.yml", "config/*.yaml")
INFRA_FILES = (
    "**/*.tf",
    "**/k8s/**.y*ml",
    "**/helm/**.y*ml",
    "**/kubernetes/**.y*ml",
    "**/deploy/**.y*ml",
    "**/*compose*.y*ml",
    "**/.env.example",
    "**/*.env.example",
    "**/.env.sample",
    "**/.env.template",
    "**/*.bicep",
    "**/*.parameters.json",
)


@dataclass(frozen=True)
class Declaration:
    path: str
    line: int
    what: str
    value: str | None = None


def declarations(repo: Repo) -> list[Declaration]:
    """Where the service declares its models outside config/models.toml: typed settings
    fields, settings YAML (`llm:`, `models:`, LiteLLM's `model_list:`) and infrastructure
    files that set a `*_MODEL` variable (Kubernetes, Helm, compose, Terraform)."""
    return repo.memo("model declarations", lambda: find_declarations(repo))  # type: ignore[no-any-return]


def find_declarations(repo: Repo) -> list[Declaration]:
    found: list[Declaration] = []
    for path in repo.service_python_files:
        text = repo.text(path) or ""
        if "BaseSettings" not in text:
            continue
        for match in SETTINGS_FIELD.finditer(text):
            if match.group("name").lower() in ("model_config", "model_fields"):
                continue
            line = text.count("\n", 0, match.start()) + 1
            default = (match.group("default") or "").strip().strip("\"'")
            found.append(Declaration(path, line, f"settings field {match.group('name')}", default))
    for path in repo.service_glob(*SETTINGS_FILES):
        data = as_dict(repo.yaml(path))
        for key in ("llm", "models", "model", "model_list", "llms"):
            if key in data:
                text = repo.text(path) or ""
                found.append(Declaration(path, first_line(text, f"{key}:") or 1, f"`{key}:`"))
    for path in repo.glob(*INFRA_FILES):
        text = repo.text(path) or ""
        variable = ENV_MODEL.search(text)
        if variable:
            line = text.count("\n", 0, variable.start()) + 1
            found.append(Declaration(path, line, variable.group(1)))
    return found


def template_config_only(repo: Repo) -> Skip | None:
    """MDL002-MDL004 and MDL006 read the template's config/models.toml: elsewhere they say so."""
    if model_files(repo):
        return None
    found = declarations(repo)
    where = f"{found[0].path}:{found[0].line}" if found else "code"
    return Skip(
        f"nothing to check: these fields live in {repo.svc(MODELS)}, and this service declares "
        f"its models in {where}"
    )
