"""API for checking running agents"""
from reworkd_platform.web.api.agent.views import router

__all__ = ["router"]
