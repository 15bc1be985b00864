"""Cookies and CSRF: a double-submit token (a cookie the page echoes in a header or form
field) checked on every state-changing request; the session cookie is HttpOnly."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response

SESSION_COOKIE = "lookback_session"
CSRF_COOKIE = "lookback_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
LANG_COOKIE = "lookback_lang"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class CsrfRejected(Exception):
    """A state-changing request without the page's CSRF token."""


def csrf_token(request: Request) -> str:
    """The CSRF token the page must echo (set on the request by the middleware)."""
    return request.state.csrf


class CsrfCookieMiddleware(BaseHTTPMiddleware):
    """Give every browser a CSRF cookie (SameSite=Strict) the first time it comes."""

    def __init__(self, app: object, *, secure: bool) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.secure = secure

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        """Read or make the token, run the request, set the cookie if it was new."""
        existing = request.cookies.get(CSRF_COOKIE)
        request.state.csrf = existing or secrets.token_urlsafe(32)
        response = await call_next(request)
        if not existing:
            response.set_cookie(CSRF_COOKIE, request.state.csrf, httponly=True,
                                samesite="strict", secure=self.secure, path="/")
        return response


async def check_csrf(request: Request) -> None:
    """CsrfRejected unless a state-changing request echoes the CSRF cookie."""
    if request.method in SAFE_METHODS:
        return
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get(CSRF_FIELD)  # type: ignore[assignment]
    if not cookie or not isinstance(sent, str) or not hmac.compare_digest(cookie, sent):
        raise CsrfRejected(f"{request.method} {request.url.path}: missing or wrong CSRF token "
                           f"(send the {CSRF_COOKIE} cookie's value in {CSRF_HEADER})")
