"""API for llm models"""
from reworkd_platform.web.api.models.views import router

__all__ = ["router"]
