"""Who sees which records: SQL conditions per role, used by every listing and every fetch."""

from __future__ import annotations

import sqlalchemy as sa

from imagery.schema import photos
from inspections.schema import (
    case_photos,
    cases,
    lookback_rounds,
    round_photos,
    ticket_photos,
    tickets,
)
from web.accounts.users import User

EVERYTHING = ("leader", "admin")


def photo_condition(user: User) -> sa.ColumnElement[bool] | None:
    """The photos a user may see (None: all of them).

    Grid officers: their grid cells' photos and their own uploads. Inspectors: their own
    uploads and the evidence of their agency's cases and rounds. Unit staff: their own uploads
    and the evidence of their unit's cases and tickets."""
    if user.role in EVERYTHING:
        return None
    own = photos.c.uploaded_by == user.name
    if user.role == "grid_officer":
        return sa.or_(own, photos.c.grid_cell_id.in_(user.grid_cell_ids))
    if user.role == "inspector":
        of_rounds = (sa.select(round_photos.c.photo_id)
                     .join(lookback_rounds, lookback_rounds.c.id == round_photos.c.round_id)
                     .where(lookback_rounds.c.agency == user.agency))
        of_cases = (sa.select(case_photos.c.photo_id).join(cases, cases.c.id ==
                                                           case_photos.c.case_id)
                    .where(cases.c.lookback_agency == user.agency))
        return sa.or_(own, photos.c.id.in_(of_rounds), photos.c.id.in_(of_cases))
    of_cases = (sa.select(case_photos.c.photo_id).join(cases, cases.c.id == case_photos.c.case_id)
                .where(cases.c.responsible_unit == user.unit))
    of_tickets = (sa.select(ticket_photos.c.photo_id)
                  .join(tickets, tickets.c.id == ticket_photos.c.ticket_id)
                  .where(tickets.c.responsible_unit == user.unit))
    return sa.or_(own, photos.c.id.in_(of_cases), photos.c.id.in_(of_tickets))


def may_see_original(user: User, photo: sa.RowMapping) -> bool:
    """Originals go to leaders, admins, inspectors and the uploader; the others see
    thumbnails."""
    return user.role in (*EVERYTHING, "inspector") or photo["uploaded_by"] == user.name
