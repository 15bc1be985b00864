"""Cases, look-back rounds and tickets as a user may see them: a record outside what their
role sees is "not found"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import sqlalchemy as sa

from imagery.errors import PhotoNotFound
from inspections import cases as case_store
from inspections import lookbacks, tickets
from inspections.errors import NotFound
from inspections.schema import lookback_rounds
from inspections.schema import tickets as ticket_rows
from web.accounts.users import User
from web.services.photos import get_visible
from web.services.visibility import round_condition, ticket_condition, visible_case_ids

T = TypeVar("T")


def case_for(conn: sa.Connection, user: User, reference: str) -> case_store.Case:
    """The case by reference, if the user may see it."""
    case = case_store.find_case(conn, reference)
    allowed = visible_case_ids(conn, user)
    if allowed is not None and case.id not in allowed:
        raise NotFound(f"case {reference}: no such case")
    return case


def cases_for(conn: sa.Connection, user: User, **filters: object) -> list[case_store.Case]:
    """The cases matching the filters that the user may see."""
    allowed = visible_case_ids(conn, user)
    found = case_store.list_cases(conn, **filters)  # type: ignore[arg-type]
    return found if allowed is None else [c for c in found if c.id in allowed]


def _visible(conn: sa.Connection, condition: sa.ColumnElement[bool] | None,
             table: sa.Table, record_id: int) -> bool:
    if condition is None:
        return True
    return conn.execute(sa.select(table.c.id).where(table.c.id == record_id, condition)
                        ).first() is not None


def round_for(conn: sa.Connection, user: User, round_id: int) -> lookbacks.Round:
    """The look-back round, if the user may see it."""
    if not _visible(conn, round_condition(user), lookback_rounds, round_id):
        raise NotFound(f"look-back round {round_id}: no such round")
    return lookbacks.get_round(conn, round_id)


def _only_visible(conn: sa.Connection, found: list[T], table: sa.Table,
                  condition: sa.ColumnElement[bool] | None) -> list[T]:
    """The records (with an `id`) whose row meets the condition (all when there is none)."""
    if condition is None:
        return found
    allowed = set(conn.execute(sa.select(table.c.id).where(condition)).scalars())
    return [record for record in found if record.id in allowed]  # type: ignore[attr-defined]


def rounds_for(conn: sa.Connection, user: User, **filters: object) -> list[lookbacks.Round]:
    """The rounds matching the filters that the user may see."""
    found = lookbacks.list_rounds(conn, **filters)  # type: ignore[arg-type]
    return _only_visible(conn, found, lookback_rounds, round_condition(user))


def ticket_for(conn: sa.Connection, user: User, ticket_id: int) -> tickets.Ticket:
    """The ticket, if the user may see it."""
    if not _visible(conn, ticket_condition(user), ticket_rows, ticket_id):
        raise NotFound(f"ticket {ticket_id}: no such ticket")
    return tickets.get_ticket(conn, ticket_id)


def tickets_for(conn: sa.Connection, user: User, **filters: object) -> list[tickets.Ticket]:
    """The tickets matching the filters that the user may see."""
    found = tickets.list_tickets(conn, **filters)  # type: ignore[arg-type]
    return _only_visible(conn, found, ticket_rows, ticket_condition(user))


def check_photos(conn: sa.Connection, user: User, photo_ids: Sequence[int]) -> list[int]:
    """The photo ids, each one the user may see (PhotoNotFound names the first that is not)."""
    for photo_id in photo_ids:
        try:
            get_visible(conn, user, photo_id)
        except PhotoNotFound:
            raise PhotoNotFound(f"photo {photo_id}: no such photo") from None
    return list(photo_ids)
