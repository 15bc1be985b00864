"""The look-back agency's orthophotos (正射影像) of three landfills: on each landfill's second
and third look-back flight it hands over an orthophoto (a real GeoTIFF, imagery.changes'
synthetic ground), ingested like an upload; the third round's of HTK-2018-TB-25 shows the
new dump pile of its relapse (死灰复燃), the others only light, season and shadow. Change
detection then runs on each new orthophoto (the scenario's `on_ingest`)."""

from __future__ import annotations

import math

import sqlalchemy as sa

from geo.layers import SITES
from imagery.changes.grid import to_crs, utm_crs
from imagery.changes.synthetic import write_scene_pair
from inspections import lookbacks
from inspections.demo.lookback_days import RECURRENCE
from inspections.demo.people import INSPECTOR
from inspections.demo.world import World
from inspections.lookbacks import Round

# Case reference -> whether its third round finds a relapse on the ground, and the seed of
# its synthetic ground. The relapse's seed puts the new dump pile (about 750 m²) inside its
# landfill's outline (the change is planted near the image's centre, the outline is
# irregular); tests/web/test_demo_changes.py checks that it is found.
LANDFILLS = {RECURRENCE: (True, 20_221_120), "HTK-2018-TB-26": (False, 20_221_101),
             "HTK-2018-TB-27": (False, 20_221_102)}
ROUNDS = (2, 3)  # the earlier and the later survey
GSD_M = 1.0  # coarse for an orthophoto, small and quick to build and compare (~300 px)
MARGIN_M = 60.0  # ground beyond the site on each side (the detection's buffer and more)


def _extent(world: World, site_id: int) -> tuple[tuple[float, float], float]:
    """The site's bounding-box centre (lon, lat) and the side in metres of the square
    photographed around it."""
    with world.engine.connect() as conn:
        geom = conn.execute(sa.select(SITES.table.c.geom)
                            .where(SITES.table.c.id == site_id)).scalar_one()
    lon0, lat0, lon1, lat1 = geom.bounds
    centre = ((lon0 + lon1) / 2, (lat0 + lat1) / 2)
    x0, y0, x1, y1 = to_crs(geom, "EPSG:4326", utm_crs(*centre)).bounds
    return centre, math.ceil(max(x1 - x0, y1 - y0) + 2 * MARGIN_M)


def _survey(world: World, r: Round) -> None:
    """Write the round's orthophoto of its landfill, ingest it as the agency and hand it
    over as the round's evidence."""
    centre, side = _extent(world, r.site_ids[0])
    folder = world.photo_dir
    before = folder / f"{r.case_reference}_第2轮正射影像.tif"
    after = folder / f"{r.case_reference}_第3轮正射影像.tif"
    if r.number == ROUNDS[0]:
        relapse, seed = LANDFILLS[r.case_reference]
        write_scene_pair(before, after, centre, side, GSD_M, seed, change=relapse)
    path = before if r.number == ROUNDS[0] else after
    ids = world.ingest_files([path], INSPECTOR.name)
    path.unlink()
    with world.tx() as conn:  # handed over for the round: its evidence
        lookbacks.add_evidence(conn, round_id=r.id, photo_ids=ids, actor=INSPECTOR,
                               clock=world.clock)


def survey(world: World, flying: list[Round]) -> None:
    """Hand over the orthophotos of the flown rounds that have one."""
    for r in flying:
        if r.case_reference in LANDFILLS and r.number in ROUNDS and r.site_ids:
            _survey(world, r)
