"""Where a service declares its models when it has no config/models.toml.

Typed settings fields (`BaseSettings`: `llm_model`, `AZURE_OPENAI_MODEL`) that the code reads,
settings or config files (`llm:`, `models:`, LiteLLM's `model_list:`, a `providers` table with
`default_model`, in YAML, JSON or TOML) and infrastructure files that set a `*_MODEL` variable
or a Bicep/ARM `*ModelName`/`*DeploymentName` parameter
(compose, Kubernetes, Helm, Terraform, `.env.example`, Bicep).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

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
# Bicep and ARM parameters are camelCase: `param openAiModelName`, `"chatDeploymentName": {`.
# (An env variable naming only an Azure deployment is not enough: opengpts has one beside
# model ids chosen in code.)
INFRA_PARAMETER = re.compile(
    r"(?m)^\s*(?:param\s+|\")([a-z]\w*(?:Model|Deployment)(?:Name|Id)?|model(?:Name|Id)?)\b"
)
SETTINGS_FILES = (
    "settings*.yaml",
    "settings*.yml",
    "config*.yaml",
    "config*.yml",
    "config/*.yaml",
    "config/*.yml",
    "config/*.json",
    "config/*.toml",
)
# Keys that declare a model in a settings or config file, at the top or nested in a provider
# table (`providers: {google: {default_model: ..., models: {...}}}`).
MODEL_KEYS = ("llm", "llms", "models", "model", "model_list", "default_model", "model_name")
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
            if not read_by_code(repo, match.group("name")):
                continue
            found.append(Declaration(path, line, f"settings field {match.group('name')}", default))
    for path in repo.service_glob(*SETTINGS_FILES):
        if path == repo.svc(MODELS):
            continue
        key = model_key(config_data(repo, path))
        if key:
            text = repo.text(path) or ""
            line = first_line(text, f"{key}:") or first_line(text, f'"{key}"') or 1
            found.append(Declaration(path, line, f"`{key}:`"))
    for path in repo.glob(*INFRA_FILES):
        text = repo.text(path) or ""
        variable = ENV_MODEL.search(text)
        if not variable and path.endswith((".bicep", ".json")):
            variable = INFRA_PARAMETER.search(text)
        if variable:
            line = text.count("\n", 0, variable.start()) + 1
            found.append(Declaration(path, line, variable.group(1)))
    return found


def config_data(repo: Repo, path: str) -> Any:
    if path.endswith(".toml"):
        return repo.toml(path)
    if path.endswith(".json"):
        try:
            return json.loads(repo.text(path) or "null")
        except ValueError:
            return None
    return repo.yaml(path)


def model_key(data: Any, depth: int = 3) -> str | None:
    """The first key that declares a model, at the top of a config file or up to `depth`
    tables down (a provider table), with a value that says something."""
    table = as_dict(data)
    for key in MODEL_KEYS:
        if table.get(key) not in (None, "", [], {}):
            return key
    if depth > 1:
        for value in table.values():
            nested = model_key(value, depth - 1)
            if nested:
                return nested
    return None


def read_by_code(repo: Repo, field: str) -> bool:
    """Whether the service's code reads a settings field (`settings.llm_model`, or the name
    used anywhere but its definition): a field nobody reads chooses no model."""
    uses = re.compile(rf"\b{re.escape(field)}\b")
    count = sum(len(uses.findall(repo.text(path) or "")) for path in repo.service_python_files)
    return count > 1


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
