"""Authentication and authorisation failures; their messages are safe to show the caller."""

from __future__ import annotations


class AuthenticationError(Exception):
    """No valid credential: 401 with WWW-Authenticate."""

    def __init__(self, message: str, *, presented: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.presented = presented


class PermissionDeniedError(Exception):
    """A valid credential without the permission or the task: 403."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
