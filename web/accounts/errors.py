"""Account errors: one base class, specific subclasses (mapped to status codes in web)."""

from __future__ import annotations


class AccountError(Exception):
    """Base of every account error; the message names the input and what was wrong."""


class InvalidAccount(AccountError):
    """A user could not be created or changed as asked; `field` names the input at fault and
    `reason` says what was wrong with it (so pages can say it in the reader's language)."""

    def __init__(self, message: str, *, field: str = "", reason: str = "",
                 values: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.reason = reason
        self.values = values or {}


class LoginFailed(AccountError):
    """Wrong name or password (the message never says which)."""


class LoginLimited(AccountError):
    """Too many failed logins lately; try again later."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class NotSignedIn(AccountError):
    """No session, or an expired one."""


class UnknownUser(AccountError):
    """No user by that name."""
