"""Domain errors to HTTP status codes, in one table; every error body says what was wrong.

API requests get JSON `{"error": <kind>, "detail": <message>}`; pages get the login page
(when not signed in) or an error page in the reader's language."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from geo.errors import GeoError, LayerImportError, QueryError
from imagery.errors import (
    FileTooLarge,
    ImageryError,
    PhotoNotFound,
    RejectedFile,
    StoreUnavailable,
    TileOutside,
    UploadConflict,
)
from inspections.errors import (
    AuditError,
    IllegalTransition,
    InspectionError,
    InvalidInput,
    MissingEvidence,
    NotAllowed,
    NotFound,
    TaskBlocked,
)
from web.accounts.errors import (
    AccountError,
    InvalidAccount,
    LoginFailed,
    LoginLimited,
    NotSignedIn,
    UnknownUser,
)
from web.accounts.sessions import log_event
from web.deps import client_ip, get_engine, get_lang, get_wall_clock
from web.security import CsrfRejected
from web.services.rejections import rejection_code
from web.store import store_message

# (error class, status, kind): the first match wins, so subclasses come before bases.
STATUS: tuple[tuple[type[Exception], int, str], ...] = (
    (NotSignedIn, 401, "not_signed_in"),
    (LoginFailed, 401, "login_failed"),
    (LoginLimited, 429, "too_many_attempts"),
    (CsrfRejected, 403, "csrf"),
    (NotAllowed, 403, "not_allowed"),
    (NotFound, 404, "not_found"),
    (UnknownUser, 404, "not_found"),
    (PhotoNotFound, 404, "not_found"),
    (TileOutside, 404, "not_found"),
    (IllegalTransition, 409, "illegal_transition"),
    (UploadConflict, 409, "conflict"),
    (FileTooLarge, 413, "too_large"),
    (MissingEvidence, 422, "missing_evidence"),
    (InvalidInput, 422, "invalid_input"),
    (InvalidAccount, 422, "invalid_input"),
    (RejectedFile, 422, "rejected_file"),
    (LayerImportError, 422, "invalid_input"),
    (QueryError, 422, "invalid_input"),
    (StoreUnavailable, 503, "store_unavailable"),  # the installation's store, not the request
    (AuditError, 500, "internal"),  # the installation's audit key, not the request
    (InspectionError, 400, "bad_request"),
    (ImageryError, 400, "bad_request"),
    (AccountError, 400, "bad_request"),
    (GeoError, 400, "bad_request"),
)
DOMAIN_ERRORS = (InspectionError, ImageryError, AccountError, GeoError, CsrfRejected)


class ErrorBody(BaseModel):
    """What every error answer carries: a kind to branch on and a sentence for people."""

    error: str
    detail: str


# Documented on every API route, so clients (and schema checks) know the error shapes.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in (
        (400, "Bad request"), (401, "Not signed in"), (403, "Not allowed, or no CSRF token"),
        (404, "Not found, or not visible to this user"), (409, "Not in a state for this"),
        (422, "Invalid input, with what was wrong"), (429, "Too many attempts"),
        (503, "The file store cannot be reached"))}


def status_of(exc: Exception) -> tuple[int, str]:
    """The status code and error kind of a domain error (a task's step refused for one of
    its cases: that case's)."""
    if isinstance(exc, TaskBlocked):
        return status_of(exc.cause)
    for cls, status, kind in STATUS:
        if isinstance(exc, cls):
            return status, kind
    return 500, "internal"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _log_denied(request: Request, exc: Exception, status: int) -> None:
    if status != 403:
        return
    user = getattr(request.state, "user_name", None)
    with get_engine(request).begin() as conn:
        log_event(conn, kind="denied", now=get_wall_clock(request).now(), user_name=user,
                  ip=client_ip(request), detail=f"{request.method} {request.url.path}: {exc}")


async def domain_error(request: Request, exc: Exception) -> Response:
    """Answer a domain error with its status and message."""
    status, kind = status_of(exc)
    await run_in_threadpool(_log_denied, request, exc, status)  # a write: off the loop
    detail = str(exc)
    if isinstance(exc, StoreUnavailable):
        detail = store_message(exc, get_lang(request))
    if not _is_api(request):
        if isinstance(exc, NotSignedIn):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        from web.pages.render import error_page  # pages import this module

        return error_page(request, status, kind, detail)
    headers = {"Retry-After": str(exc.retry_after_s)} if isinstance(exc, LoginLimited) else None
    body = {"error": kind, "detail": detail}
    if isinstance(exc, RejectedFile) and (code := rejection_code(exc.reason)):
        body["reason_code"] = code  # for pages to say it in their reader's language
    return JSONResponse(body, status_code=status, headers=headers)


def _location(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc if part not in ("body", "query", "path", "form"))


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    """Request validation in the same shape: which field, what was wrong."""
    detail = "; ".join(f"{_location(tuple(e.get('loc', ()))) or 'request'}: {e.get('msg')}"
                       for e in exc.errors())
    return JSONResponse({"error": "invalid_input", "detail": detail}, status_code=422)


async def http_error(request: Request, exc: HTTPException) -> Response:
    """Starlette's own errors (404 for unknown paths, 405...) in the same JSON shape."""
    kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return JSONResponse({"error": kind, "detail": str(exc.detail)},
                        status_code=exc.status_code, headers=exc.headers)


def install(app: FastAPI) -> None:
    """Register the handlers."""
    for cls in DOMAIN_ERRORS:
        app.add_exception_handler(cls, domain_error)
    app.add_exception_handler(HTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
