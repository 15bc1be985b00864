"""Who sees which jobs, decided here only: a user sees the jobs they started; admins see
every job (the system's daily tick included)."""

from __future__ import annotations

import sqlalchemy as sa

from web.accounts.users import User
from web.jobs.schema import jobs

SEE_ALL = ("admin",)


def job_condition(user: User) -> sa.ColumnElement[bool]:
    """The jobs `user` may see, as a WHERE condition."""
    if user.role in SEE_ALL:
        return sa.true()
    return jobs.c.user_id == user.id


def may_see(user: User, row: sa.RowMapping) -> bool:
    """Whether `user` may see (and download the result of, and retry) this job."""
    return user.role in SEE_ALL or row["user_id"] == user.id
