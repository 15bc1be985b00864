"""Who sees which records: SQL conditions per role, used by every listing and every fetch."""

from __future__ import annotations

import sqlalchemy as sa

from imagery.schema import photos
from inspections.schema import (
    case_photos,
    cases,
    check_photos,
    lookback_rounds,
    round_photos,
    ticket_photos,
    tickets,
)
from web.accounts.users import User

EVERYTHING = ("leader", "admin", "acceptor", "assessor")  # the last two: government groups


def photo_condition(user: User) -> sa.ColumnElement[bool] | None:
    """The photos a user may see (None: all of them).

    Grid officers: their grid cells' photos and their own uploads. Inspectors: their own
    uploads, the evidence of their agency's cases and rounds, the checks' photos and the
    answers to the tickets they see (those they issued too). Unit staff: their own uploads
    and the evidence of their unit's cases and tickets."""
    if user.role in EVERYTHING:
        return None
    own = photos.c.uploaded_by == user.name
    if user.role == "grid_officer":
        return sa.or_(own, photos.c.grid_cell_id.in_(user.grid_cell_ids))
    of_tickets = (sa.select(ticket_photos.c.photo_id)  # the answers to tickets they see
                  .join(tickets, tickets.c.id == ticket_photos.c.ticket_id)
                  .where(ticket_condition(user)))
    if user.role == "inspector":
        of_rounds = (sa.select(round_photos.c.photo_id)
                     .join(lookback_rounds, lookback_rounds.c.id == round_photos.c.round_id)
                     .where(lookback_rounds.c.agency == user.agency))
        of_cases = (sa.select(case_photos.c.photo_id).join(cases, cases.c.id ==
                                                           case_photos.c.case_id)
                    .where(cases.c.lookback_agency == user.agency))
        of_checks = sa.select(check_photos.c.photo_id)  # every inspector reads the checks
        return sa.or_(own, photos.c.id.in_(of_rounds), photos.c.id.in_(of_cases),
                      photos.c.id.in_(of_tickets), photos.c.id.in_(of_checks))
    of_cases = (sa.select(case_photos.c.photo_id).join(cases, cases.c.id == case_photos.c.case_id)
                .where(cases.c.responsible_unit == user.unit))
    return sa.or_(own, photos.c.id.in_(of_cases), photos.c.id.in_(of_tickets))


def may_see_original(user: User, photo: sa.RowMapping) -> bool:
    """Originals go to leaders, admins, inspectors and the uploader; the others see
    thumbnails."""
    return user.role in (*EVERYTHING, "inspector") or photo["uploaded_by"] == user.name


def case_condition(user: User) -> sa.ColumnElement[bool] | None:
    """The cases a user may see (None: all of them).

    Inspectors: their agency's cases. Unit staff: their unit's. Grid officers: cases with a
    photo (patrol, evidence or look-back) taken in their grid cells."""
    if user.role in EVERYTHING:
        return None
    if user.role == "inspector":
        return cases.c.lookback_agency == user.agency
    if user.role == "unit":
        return cases.c.responsible_unit == user.unit
    in_grid = sa.select(photos.c.id).where(photos.c.grid_cell_id.in_(user.grid_cell_ids))
    with_photo = sa.select(case_photos.c.case_id).where(case_photos.c.photo_id.in_(in_grid))
    with_round_photo = (sa.select(lookback_rounds.c.case_id)
                        .join(round_photos, round_photos.c.round_id == lookback_rounds.c.id)
                        .where(round_photos.c.photo_id.in_(in_grid)))
    return sa.or_(cases.c.id.in_(with_photo), cases.c.id.in_(with_round_photo))


def visible_case_ids(conn: sa.Connection, user: User) -> set[int] | None:
    """The ids of the cases a user may see (None: all)."""
    condition = case_condition(user)
    if condition is None:
        return None
    return set(conn.execute(sa.select(cases.c.id).where(condition)).scalars())


def round_condition(user: User) -> sa.ColumnElement[bool] | None:
    """The look-back rounds a user may see: inspectors their agency's, the others those of
    the cases they see (None: all)."""
    if user.role in EVERYTHING:
        return None
    if user.role == "inspector":
        return lookback_rounds.c.agency == user.agency
    return lookback_rounds.c.case_id.in_(sa.select(cases.c.id).where(case_condition(user)))


def ticket_condition(user: User) -> sa.ColumnElement[bool] | None:
    """The tickets a user may see: unit staff their unit's, inspectors those on their
    agency's cases or issued by them; grid officers none (None: all)."""
    if user.role in EVERYTHING:
        return None
    if user.role == "unit":
        return tickets.c.responsible_unit == user.unit
    if user.role == "inspector":
        agency_cases = sa.select(cases.c.id).where(cases.c.lookback_agency == user.agency)
        return sa.or_(tickets.c.issued_by == user.name, tickets.c.case_id.in_(agency_cases))
    return sa.false()
