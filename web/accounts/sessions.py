"""Logins and server-side sessions: the cookie holds a random token, the database its hash;
failed logins are rate-limited and, with denied actions, written as security events."""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from inspections.clock import aware, to_utc
from web.accounts.errors import LoginFailed, LoginLimited, NotSignedIn
from web.accounts.passwords import dummy_verify, verify_password
from web.accounts.schema import login_failures, security_events, sessions, users
from web.accounts.users import User, find_user, user_of_row

SESSION_HOURS = 12
WINDOW = timedelta(minutes=15)
MAX_PER_NAME = 5  # failed logins for one name within the window
MAX_PER_IP = 20  # failed logins from one address within the window
LOGIN_LOCKS = 4_242  # the advisory locks' key space for names (two-key form: its own space)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def log_event(conn: sa.Connection, *, kind: str, now: datetime, detail: str,
              user_name: str | None = None, ip: str | None = None) -> None:
    """Write a security event (failed login, limited login, denied action)."""
    conn.execute(sa.insert(security_events), {"at": to_utc(now), "kind": kind,
                                              "user_name": user_name, "ip": ip,
                                              "detail": detail})


def _one_attempt_at_a_time(conn: sa.Connection, name: str) -> None:
    """Hold a lock on the name until the transaction ends, so concurrent guesses (on any of
    the server's processes) cannot all pass the count before one failure is written
    (PostgreSQL; on SQLite the login's BEGIN IMMEDIATE already serialises them)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:space, hashtext(:name))"),
                     {"space": LOGIN_LOCKS, "name": name})


def _check_limit(conn: sa.Connection, name: str, ip: str, now: datetime) -> None:
    since = to_utc(now - WINDOW)
    f = login_failures
    by_name = conn.execute(sa.select(sa.func.count()).where(f.c.name == name, f.c.at >= since)
                           ).scalar_one()
    by_ip = conn.execute(sa.select(sa.func.count()).where(f.c.ip == ip, f.c.at >= since)
                         ).scalar_one()
    if by_name >= MAX_PER_NAME or by_ip >= MAX_PER_IP:
        oldest = conn.execute(sa.select(sa.func.min(f.c.at)).where(
            sa.or_(f.c.name == name, f.c.ip == ip), f.c.at >= since)).scalar_one()
        retry = max(1, int((aware(oldest) + WINDOW - now).total_seconds()))
        raise LoginLimited(f"login {name}: too many failed attempts; try again in "
                           f"{retry // 60 + 1} minutes", retry)


def login(conn: sa.Connection, *, name: str, password: str, ip: str,
          now: datetime) -> tuple[User, str]:
    """Check the password and open a session; the user and the cookie token.

    LoginLimited after too many failures (nothing else is checked then); LoginFailed for a
    wrong name or password alike. The failure and its security event are written in the
    caller's transaction: commit it even when this raises."""
    name = (name or "").strip().lower()
    _one_attempt_at_a_time(conn, name)
    try:
        _check_limit(conn, name, ip, now)
    except LoginLimited as exc:
        log_event(conn, kind="login_limited", now=now, user_name=name, ip=ip, detail=str(exc))
        raise
    found = find_user(conn, name)
    if found is None:
        dummy_verify()
    ok = found is not None and found[0].active and verify_password(password or "", found[1])
    if not ok:
        conn.execute(sa.insert(login_failures), {"name": name, "ip": ip, "at": to_utc(now)})
        log_event(conn, kind="login_failed", now=now, user_name=name, ip=ip,
                  detail="wrong name or password")
        raise LoginFailed(f"login {name}: wrong name or password")
    token = secrets.token_urlsafe(32)
    conn.execute(sa.insert(sessions), {"token_hash": _digest(token), "user_id": found[0].id,
                                       "created_at": to_utc(now),
                                       "expires_at": to_utc(now + timedelta(hours=SESSION_HOURS))})
    return found[0], token


def user_of_session(conn: sa.Connection, token: str | None, now: datetime) -> User:
    """The signed-in user of a session token; NotSignedIn when there is none or it expired."""
    if not token:
        raise NotSignedIn("not signed in")
    row = conn.execute(_session_user_query(), {"token_hash": _digest(token)}
                       ).mappings().first()
    if row is None or aware(row["session_expires_at"]) <= now:
        raise NotSignedIn("the session has ended; sign in again")
    user = user_of_row(conn, row)
    if not user.active:
        raise NotSignedIn(f"user {user.name} is disabled")
    return user


@functools.cache
def _session_user_query() -> sa.Select:
    """A session's user and its end, by the token's hash: built once (every request runs it)."""
    return (sa.select(users, sessions.c.expires_at.label("session_expires_at"))
            .join(sessions, sessions.c.user_id == users.c.id)
            .where(sessions.c.token_hash == sa.bindparam("token_hash")))


def logout(conn: sa.Connection, token: str | None) -> None:
    """End a session (nothing happens for an unknown token)."""
    if token:
        conn.execute(sa.delete(sessions).where(sessions.c.token_hash == _digest(token)))
