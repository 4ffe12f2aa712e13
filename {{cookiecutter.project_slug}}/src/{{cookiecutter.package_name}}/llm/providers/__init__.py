"""Model provider adapters, built from a deployment's config.

Each adapter module is imported only when a deployment uses it, so importing the app never
pays for (or fails on) a provider it does not call.
"""

from __future__ import annotations

from pydantic import SecretStr

from ..client import ModelClient
from ..config import DeploymentConfig


def build_client(deployment: DeploymentConfig, api_key: SecretStr | None = None) -> ModelClient:
    """The client for one deployment, with the key it sends (llm/keys.py; None: no key)."""
    match deployment.provider:
        case "fake":
            from .fake import FakeModelClient

            latency_ms = float(deployment.options.get("latency_ms", 0))
            return FakeModelClient(deployment.model, latency_seconds=latency_ms / 1000)
        case "openai":
            from .openai import OpenAIClient

            return OpenAIClient(deployment, api_key)
        case "anthropic":
            from .anthropic import AnthropicClient

            return AnthropicClient(deployment, api_key)
