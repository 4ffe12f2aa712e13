"""What the service does with models: which modules call a provider, where models are declared.

Shared by the model and eval checks. A service whose code imports no model SDK or LLM framework
(and has no `config/models.toml`) makes no model calls: the model and eval controls do not
apply to it, and the report says so.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ..repo import Repo

# Provider SDKs, and the provider-specific integrations of frameworks: importing one calls that
# provider directly.
PROVIDER_MODULES = (
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
    "langchain_openai",
    "langchain_anthropic",
    "langchain_google_genai",
    "langchain_google_vertexai",
    "langchain_mistralai",
    "langchain_groq",
    "langchain_ollama",
    "langchain_aws",
    "langchain_fireworks",
    "langchain_together",
    "langchain_community.chat_models",
    "langchain_community.llms",
    "langchain_community.embeddings",
    "llama_index.llms",
    "llama_index.embeddings",
    "pydantic_ai.models.openai",
    "pydantic_ai.models.anthropic",
    "pydantic_ai.models.gemini",
    "pydantic_ai.models.google",
    "pydantic_ai.models.groq",
    "pydantic_ai.models.mistral",
    "pydantic_ai.models.bedrock",
    "pydantic_ai.models.cohere",
    "pydantic_ai.providers.openai",
    "pydantic_ai.providers.anthropic",
    "pydantic_ai.providers.google",
)
# Frameworks that call models (through whatever provider they are handed).
FRAMEWORKS = (
    "langchain",
    "langchain_core",
    "langgraph",
    "llama_index",
    "pydantic_ai",
    "instructor",
    "dspy",
    "haystack",
    "semantic_kernel",
    "autogen",
    "crewai",
    "smolagents",
)
# Model ids handed to a framework as a string ("openai:gpt-4o") reach the provider directly.
INLINE_MODEL = re.compile(
    r"""(?:Agent|init_chat_model|ChatOpenAI|ChatAnthropic)\(\s*(?:model(?:_name)?\s*=\s*)?["']"""
)
GATEWAY_DIRS = frozenset(
    "llm llms providers provider gateway gateways adapters backends model_clients embedding "
    "embeddings plugins".split()
)


# Importing only a provider's exceptions or types (`from openai.error import RateLimitError`,
# `from anthropic.types import Message`) handles its errors, it calls nothing.
NOT_A_CALL = re.compile(r"(?:^|\.)(?:_?errors?|_?exceptions?|types)(?:\.|$)|(?:Error|Exception)$")


def imported_modules(source: str, *, calls_only: bool = False) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported = [f"{node.module}.{alias.name}" for alias in node.names]
            if calls_only:
                imported = [name for name in imported if not NOT_A_CALL.search(name)]
                if not imported:
                    continue
            names.add(node.module)
            names.update(imported)
    if calls_only:
        names = {name for name in names if not NOT_A_CALL.search(name)}
    return names


def uses(modules: set[str], wanted: tuple[str, ...]) -> list[str]:
    return [name for name in wanted if any(m == name or m.startswith(name + ".") for m in modules)]


@dataclass(frozen=True)
class ModelUse:
    path: str
    providers: tuple[str, ...]  # provider SDKs or integrations imported
    frameworks: tuple[str, ...]


def model_uses(repo: Repo) -> list[ModelUse]:
    def compute() -> list[ModelUse]:
        found = []
        for path in repo.service_python_files:
            text = repo.text(path) or ""
            modules = imported_modules(text)
            calling = imported_modules(text, calls_only=True)
            providers = [p for p in uses(calling, PROVIDER_MODULES) if "gateway" not in p]
            frameworks = uses(modules, FRAMEWORKS)
            if INLINE_MODEL.search(text) and frameworks:
                providers.append("a model id passed inline")
            if providers or frameworks:
                found.append(ModelUse(path, tuple(providers), tuple(frameworks)))
        return found

    return repo.memo("model uses", compute)  # type: ignore[no-any-return]


def no_model_calls(repo: Repo) -> str | None:
    """Why the model and eval controls do not apply, or None when the service calls models."""
    if repo.exists(repo.svc("config/models.toml")) or model_uses(repo):
        return None
    return (
        f"not applicable: the service code ({len(repo.service_python_files)} files under "
        f"{repo.service_label}) imports no model SDK or LLM framework (openai, anthropic, "
        "litellm, langchain, llama_index, pydantic_ai, ...)"
    )


def behind_one_interface(paths: list[str]) -> bool:
    """Providers isolated behind a plugin interface: the one module that calls them, or
    modules that each sit in a folder named for the purpose (llm/, providers/, embeddings/,
    adapters/, gateway/, ...) or are named so themselves (llms.py)."""
    if len(set(paths)) == 1:
        return True
    return all(
        any(part.removesuffix(".py") in GATEWAY_DIRS for part in path.split("/")) for path in paths
    )
