"""Tasks: the service's extension point. Add one by adding a module and a prompt to `catalog/`."""

from .router import build_router

__all__ = ["build_router"]
