"""Tasks: the service's extension point. Add one by adding a module and a prompt to `catalog/`."""

from .router import router

__all__ = ["router"]
