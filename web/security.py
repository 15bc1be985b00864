"""Cookies and CSRF: every state-changing request echoes the page's token in a header or
form field. Signed in, the token is derived from the session (a planted cookie cannot match
it); before sign-in it is a double-submit cookie. The session cookie is HttpOnly."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "lookback_session"
CSRF_COOKIE = "lookback_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
LANG_COOKIE = "lookback_lang"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class CsrfRejected(Exception):
    """A state-changing request without the page's CSRF token."""


def session_csrf(session_token: str) -> str:
    """The CSRF token of a session: a one-way digest of its secret cookie, so only a page
    served to that session's holder knows it."""
    return hashlib.sha256(b"lookback-csrf:" + session_token.encode()).hexdigest()


def expected_csrf(request: Request) -> str | None:
    """The token a request must echo: the session's, else the anonymous cookie's."""
    session = request.cookies.get(SESSION_COOKIE)
    return session_csrf(session) if session else request.cookies.get(CSRF_COOKIE)


def csrf_token(request: Request) -> str:
    """The CSRF token the page must echo (set on the request by the middleware)."""
    return request.state.csrf


class CsrfCookieMiddleware:
    """Give every browser a CSRF cookie (SameSite=Strict) the first time it comes.

    Plain ASGI (not BaseHTTPMiddleware, which runs a task group for every chunk of a
    request's body: half the server's time on a burst of photo uploads)."""

    def __init__(self, app: ASGIApp, *, secure: bool) -> None:
        self.app, self.secure = app, secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read or make the token for the request; set the cookie on the answer if new."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        existing = request.cookies.get(CSRF_COOKIE)
        anonymous = existing or secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf"] = expected_csrf(request) or anonymous
        if existing:
            await self.app(scope, receive, send)
            return
        cookie = self._cookie(anonymous)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, token: str) -> str:
        """The Set-Cookie value, as Starlette's responses write it."""
        response = Response()
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict",
                            secure=self.secure, path="/")
        return response.headers["set-cookie"]


async def check_csrf(request: Request) -> None:
    """CsrfRejected unless a state-changing request echoes its token (the session's when
    signed in, else the CSRF cookie's). The API takes it from the header only, so no body
    is read (or spooled) before the request is judged; a page's form may carry it."""
    if request.method in SAFE_METHODS:
        return
    cookie = expected_csrf(request)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and not request.url.path.startswith("/api/") and \
            request.headers.get("content-type", "").startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get(CSRF_FIELD)  # type: ignore[assignment]
    if not cookie or not isinstance(sent, str) or not hmac.compare_digest(cookie, sent):
        raise CsrfRejected(f"{request.method} {request.url.path}: missing or wrong CSRF token "
                           f"(send the page's csrf-token in the {CSRF_HEADER} header)")
