"""Layers and their features: the site and grid-cell tables, written and read (shapely is
imported by the functions that handle geometries: a light command reads the tables without)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from geo import schema
from geo.db import is_sqlite

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Layer:
    """A table with a geometry column and, in SQLite, its R*Tree index table."""

    name: str
    table: sa.Table
    key: tuple[str, ...]
    geom: str = "geom"
    rtree_name: str | None = None

    @property
    def geom_column(self) -> sa.Column:
        """The geometry column this layer indexes and queries."""
        return self.table.c[self.geom]

    @property
    def rtree(self) -> sa.TableClause:
        """The SQLite R*Tree table that indexes this layer's bounding boxes."""
        return sa.table(
            self.rtree_name or f"{self.table.name}_rtree",
            *(sa.column(c) for c in ("id", "minx", "maxx", "miny", "maxy")),
        )


SITES = Layer("sites", schema.sites, ("kind", "code"))
GRID_CELLS = Layer("grid_cells", schema.grid_cells, ("code",))


@dataclass(frozen=True)
class Feature:
    """One feature to store: its key columns, attributes and EPSG:4326 geometry."""

    code: str
    name: str
    geometry: BaseGeometry
    town: str | None = None
    kind: str | None = None
    industry: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UpsertCounts:
    """How many features an upsert added and how many it updated in place."""

    inserted: int
    updated: int


def _row(layer: Layer, feature: Feature, now: datetime) -> dict[str, Any]:
    row = {
        "code": feature.code,
        "name": feature.name,
        "town": feature.town,
        "attributes": feature.attributes,
        "geom": feature.geometry,
        "updated_at": now,
    }
    if layer is SITES:
        row |= {"kind": feature.kind, "industry": feature.industry}
    return row


def _existing_ids(conn: sa.Connection, layer: Layer, rows: list[dict]) -> dict[tuple, int]:
    key_cols = [layer.table.c[k] for k in layer.key]
    wanted = {tuple(r[k] for k in layer.key) for r in rows}
    codes = sorted({r["code"] for r in rows})
    stmt = sa.select(layer.table.c.id, *key_cols).where(layer.table.c.code.in_(codes))
    found: dict[tuple, int] = {}
    for rec in conn.execute(stmt):
        key = tuple(rec[1:])
        if key in wanted:
            found[key] = rec[0]
    return found


def upsert(conn: sa.Connection, layer: Layer, features: Sequence[Feature],
           *, now: datetime) -> UpsertCounts:
    """Insert new features and update the ones whose key already exists, in the caller's
    transaction."""
    rows = [_row(layer, f, now) for f in features]
    if not rows:
        return UpsertCounts(0, 0)
    existing = _existing_ids(conn, layer, rows)
    new = [r for r in rows if tuple(r[k] for k in layer.key) not in existing]
    old = [r | {"_id": existing[tuple(r[k] for k in layer.key)]} for r in rows
           if tuple(r[k] for k in layer.key) in existing]
    new_ids: list[int] = []
    if new:
        result = conn.execute(
            sa.insert(layer.table).returning(layer.table.c.id, sort_by_parameter_order=True), new
        )
        new_ids = [r[0] for r in result]
    if old:
        table = layer.table
        stmt = sa.update(table).where(table.c.id == sa.bindparam("_id")).values(
            {c: sa.bindparam(c) for c in rows[0] if c not in layer.key}
        )
        conn.execute(stmt, old)
    index_geometries(conn, layer, new_ids + [r["_id"] for r in old],
                     [r["geom"] for r in new] + [r["geom"] for r in old])
    _raise_revision(conn, layer)
    return UpsertCounts(inserted=len(new), updated=len(old))


def _raise_revision(conn: sa.Connection, layer: Layer) -> None:
    """Tell every process's cache of the layer that it changed (see `version`)."""
    t = schema.layer_revisions
    conn.execute(sa.update(t).where(t.c.layer == layer.table.name)
                 .values(revision=t.c.revision + 1))


def index_geometries(conn: sa.Connection, layer: Layer, ids: Sequence[int],
                     geoms: Sequence[BaseGeometry | None]) -> None:
    """Keep the SQLite R*Tree in step with rows just written (PostGIS indexes by itself);
    a row whose geometry is None leaves the index."""
    if not is_sqlite(conn) or not ids:
        return
    name = layer.rtree.name
    gone = [{"id": i} for i, g in zip(ids, geoms, strict=True) if g is None or g.is_empty]
    if gone:
        conn.execute(sa.text(f"DELETE FROM {name} WHERE id = :id"), gone)
    kept = [(i, g) for i, g in zip(ids, geoms, strict=True) if g is not None and not g.is_empty]
    if not kept:
        return
    import shapely

    bounds = shapely.bounds([g for _, g in kept])
    conn.execute(
        sa.text(f"INSERT OR REPLACE INTO {name} (id, minx, maxx, miny, maxy) "
                "VALUES (:id, :minx, :maxx, :miny, :maxy)"),
        [{"id": i, "minx": b[0], "maxx": b[2], "miny": b[1], "maxy": b[3]}
         for (i, _), b in zip(kept, bounds, strict=True)],
    )


def count(conn: sa.Connection, layer: Layer, **where: object) -> int:
    """Number of features in a layer, optionally filtered by column values."""
    stmt = sa.select(sa.func.count()).select_from(layer.table)
    for column, value in where.items():
        stmt = stmt.where(layer.table.c[column] == value)
    return conn.execute(stmt).scalar_one()


def version(conn: sa.Connection, layer: Layer) -> tuple:
    """A cheap fingerprint of a layer's contents: its count, last id, last update and
    revision (raised by every upsert, so an import under a frozen clock changes it too);
    what per-process caches are checked against."""
    t, r = layer.table, schema.layer_revisions
    revision = sa.select(r.c.revision).where(r.c.layer == t.name).scalar_subquery()
    return tuple(conn.execute(sa.select(sa.func.count(), sa.func.max(t.c.id),
                                        sa.func.max(t.c.updated_at), revision)).one())


def revisions(conn: sa.Connection) -> tuple:
    """The grid cells' and the sites' revisions and last ids, in one query that reads no
    layer (a province's layers take tens of milliseconds to count): what a cache of both
    layers, kept across requests, is checked against. Every import raises a revision; the
    application never deletes features."""
    return tuple(conn.execute(_revisions_query()).one())


@functools.cache
def _revisions_query() -> sa.Select:
    """The query of `revisions`, built once: it runs on every upload's transaction, and a
    statement built anew is walked again for SQLAlchemy's cache key each time."""
    r = schema.layer_revisions
    parts = [sa.select(sa.func.max(t.c.id)).scalar_subquery()
             for t in (GRID_CELLS.table, SITES.table)]
    parts += [sa.select(r.c.revision).where(r.c.layer == t.name).scalar_subquery()
              for t in (GRID_CELLS.table, SITES.table)]
    return sa.select(*parts)


def site_counts(conn: sa.Connection) -> dict[str, int]:
    """Number of sites of each kind (kinds with none are reported as 0)."""
    t = schema.sites
    counts = dict.fromkeys(schema.SITE_KINDS, 0)
    for kind, n in conn.execute(sa.select(t.c.kind, sa.func.count()).group_by(t.c.kind)):
        counts[kind] = n
    return counts


def all_features(conn: sa.Connection, layer: Layer,
                 columns: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Every feature of a layer with its id, geometry and the named extra columns."""
    t = layer.table
    # The stored value as it comes (WKB, or PostGIS hex EWKB), decoded in one vectorised
    # call: row-by-row decoding dominates loading a province-sized layer.
    raw = sa.type_coerce(layer.geom_column, sa.types.NullType()).label("_raw_geom")
    rows = conn.execute(sa.select(t.c.id, raw, *(t.c[c] for c in columns))
                        .order_by(t.c.id)).mappings().all()
    import shapely

    geoms = shapely.from_wkb([r["_raw_geom"] for r in rows]) if rows else []
    return [{k: v for k, v in r.items() if k != "_raw_geom"} | {layer.geom: g}
            for r, g in zip(rows, geoms, strict=True)]
