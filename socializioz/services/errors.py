"""Errors services raise for the UI to show: ``code`` is an i18n message key, ``params`` fill it in."""

from __future__ import annotations


class ServiceError(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class AuthError(ServiceError):
    """Sign-up or sign-in refused."""


class PermissionDenied(ServiceError):
    """A member lacks the role for this action."""


class NotFound(ServiceError):
    """Missing, or not visible to this user (the same answer, so ids cannot be probed)."""


class ValidationError(ServiceError):
    """Input that breaks a rule."""
