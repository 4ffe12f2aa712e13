"""The admin and auditor API: API keys, the audit trail and per-key usage."""

from fastapi import APIRouter

from . import audit_router, keys_router

router = APIRouter()
router.include_router(keys_router.router)
router.include_router(audit_router.router)

__all__ = ["router"]
