from .views import router

__all__ = ["router"]
