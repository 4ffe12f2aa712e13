"""Access control: API keys, OIDC tokens, roles and permissions, per-key rate limits."""

from .dependencies import CurrentKey, require
from .principal import Principal
from .roles import Permission, Role

__all__ = ["CurrentKey", "Permission", "Principal", "Role", "require"]
