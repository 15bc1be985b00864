"""What the photo pages show beside a photo row (照片关联): its grid cell and town, the sites it
was matched to and the cases, tickets and look-back rounds it is evidence of, read for a whole
page of photos at once and each record only if the user may see it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from geo.layers import GRID_CELLS, SITES
from imagery.schema import photo_sites, photos
from inspections.schema import (
    case_photos,
    cases,
    lookback_rounds,
    round_photos,
    ticket_photos,
    tickets,
)
from web.accounts.users import User
from web.services.visibility import (
    case_condition,
    photo_condition,
    round_condition,
    ticket_condition,
)


@dataclass(frozen=True)
class Evidence:
    """A record a photo is evidence of: its kind (case, ticket, round), reference and id."""

    kind: str
    reference: str
    record_id: int
    round_number: int | None = None


@dataclass
class Links:
    """A photo's grid cell, town, sites and the records it is evidence of."""

    cell: str | None = None
    town: str | None = None
    sites: list[dict] = field(default_factory=list)  # code, name, town, covered, distance_m
    evidence: list[Evidence] = field(default_factory=list)


def _where(stmt: sa.Select, condition: sa.ColumnElement[bool] | None) -> sa.Select:
    return stmt if condition is None else stmt.where(condition)


def _cells(conn: sa.Connection, ids: Sequence[int], links: dict[int, Links]) -> None:
    cells = GRID_CELLS.table
    rows = conn.execute(sa.select(photos.c.id, cells.c.code, cells.c.town)
                        .join(cells, cells.c.id == photos.c.grid_cell_id)
                        .where(photos.c.id.in_(ids)))
    for photo_id, code, town in rows:
        links[photo_id].cell, links[photo_id].town = code, town


def _sites(conn: sa.Connection, ids: Sequence[int], links: dict[int, Links]) -> None:
    s = SITES.table
    rows = conn.execute(sa.select(photo_sites.c.photo_id, s.c.code, s.c.name, s.c.town,
                                  photo_sites.c.relation, photo_sites.c.distance_m)
                        .join(s, s.c.id == photo_sites.c.site_id)
                        .where(photo_sites.c.photo_id.in_(ids)).order_by(s.c.code))
    for row in rows.mappings():
        found = links[row["photo_id"]].sites
        if not found or found[-1]["code"] != row["code"]:
            found.append({"code": row["code"], "name": row["name"], "town": row["town"],
                          "covered": False, "distance_m": None})
        if row["relation"] == "covered":
            found[-1]["covered"] = True
        else:
            found[-1]["distance_m"] = row["distance_m"]


def _evidence(conn: sa.Connection, user: User, ids: Sequence[int],
              links: dict[int, Links]) -> None:
    queries = (
        ("case", _where(sa.select(case_photos.c.photo_id, cases.c.reference, cases.c.id,
                                  sa.null()).join(cases, cases.c.id == case_photos.c.case_id)
                        .where(case_photos.c.photo_id.in_(ids)), case_condition(user))),
        ("ticket", _where(sa.select(ticket_photos.c.photo_id, tickets.c.number, tickets.c.id,
                                    sa.null())
                          .join(tickets, tickets.c.id == ticket_photos.c.ticket_id)
                          .where(ticket_photos.c.photo_id.in_(ids)), ticket_condition(user))),
        ("round", _where(sa.select(round_photos.c.photo_id, cases.c.reference,
                                   lookback_rounds.c.id, lookback_rounds.c.number)
                         .join(lookback_rounds, lookback_rounds.c.id == round_photos.c.round_id)
                         .join(cases, cases.c.id == lookback_rounds.c.case_id)
                         .where(round_photos.c.photo_id.in_(ids)), round_condition(user))),
    )
    for kind, stmt in queries:
        for photo_id, reference, record_id, number in conn.execute(stmt.distinct()):
            links[photo_id].evidence.append(Evidence(kind, reference, record_id, number))
    for found in links.values():
        found.evidence.sort(key=lambda e: (e.kind, e.reference, e.round_number or 0))


def links_of(conn: sa.Connection, user: User, ids: Sequence[int]) -> dict[int, Links]:
    """Each photo's grid cell, town, sites and the records (that the user may see) it is
    evidence of, by photo id; four queries whatever the number of photos."""
    links: dict[int, Links] = defaultdict(Links)
    if ids:
        _cells(conn, ids, links)
        _sites(conn, ids, links)
        _evidence(conn, user, ids, links)
    return {i: links[i] for i in ids}


def uploaders(conn: sa.Connection, user: User) -> list[str]:
    """Who uploaded the photos the user may see (for the list's filter)."""
    stmt = _where(sa.select(photos.c.uploaded_by).where(photos.c.uploaded_by.is_not(None))
                  .distinct(), photo_condition(user))
    return sorted(conn.execute(stmt).scalars())


def grid_cells(conn: sa.Connection) -> list[tuple[str, str | None]]:
    """Every grid cell's code and town (for the list's filters)."""
    cells = GRID_CELLS.table
    return [tuple(r) for r in conn.execute(sa.select(cells.c.code, cells.c.town)
                                           .order_by(cells.c.code))]
