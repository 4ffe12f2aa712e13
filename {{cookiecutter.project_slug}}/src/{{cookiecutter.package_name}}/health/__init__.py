"""Liveness and readiness: is the process up, and can it serve traffic right now."""

from .router import router

__all__ = ["router"]
