"""The template's own tooling: `cookiecutter-ai-service audit` (docs/audit.md)."""

__version__ = "0.1.0"
