"""API for checking project status."""
from reworkd_platform.web.api.monitoring.views import router

__all__ = ["router"]
