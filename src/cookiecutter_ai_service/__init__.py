"""cookiecutter-ai-service: the template's own tooling (the `audit` command arrives here)."""

__version__ = "0.1.0"
