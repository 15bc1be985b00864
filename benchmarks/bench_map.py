"""The map at province scale: the map page's size and the viewport API's p95 at every zoom
from the whole province down to a street, against a plain folium map embedding the same
features, measured in the same run.

Data: the province-scale layers (~28,000 grid cells, 44,500 sites), a million photos near
the sites and a flagged case on 5 % of the sites (benchmarks/map_data.py, written once).
Each view is 1280 x 800 px around a random site; at each zoom the page's script asks for what
it would ask for (sites always, cases always, grid cells from zoom 13, photos from zoom 14),
and every request is timed through the whole app (routing, auth, queries, JSON).
Targets: page under 300 KB; p95 under 150 ms at every zoom.
"""

from __future__ import annotations

import argparse
import math
import time

import folium
import numpy as np
import sqlalchemy as sa
from fastapi.testclient import TestClient

from benchmarks.common import backends, loaded_engine, province_files
from benchmarks.map_data import NOW, add_cases, add_photos, counts
from geo.layers import SITES
from imagery.schema import photos
from web.accounts.users import add_user, find_user
from web.app import create_app
from web.settings import Settings

ZOOMS = range(7, 18)
VIEW_PX = (1280, 800)
PAGE_LIMIT = 300_000
P95_LIMIT_MS = 150.0


def view(lon: float, lat: float, zoom: int) -> str:
    """The bbox of a 1280 x 800 px Web Mercator view centred on a point."""
    deg = 360 / (256 * 2**zoom)
    half_w = VIEW_PX[0] / 2 * deg
    half_h = VIEW_PX[1] / 2 * deg * math.cos(math.radians(lat))
    return f"{lon - half_w:.6f},{lat - half_h:.6f},{lon + half_w:.6f},{lat + half_h:.6f}"


def requests_for(zoom: int, bbox: str) -> list[tuple[str, dict]]:
    """What the map page's script asks for in one view."""
    wanted = [("/api/map/sites", {"bbox": bbox, "zoom": zoom}),
              ("/api/map/cases", {"bbox": bbox})]
    if zoom >= 13:
        wanted.append(("/api/layers/grid-cells", {"bbox": bbox}))
    if zoom >= 14:
        wanted.append(("/api/map/photos", {"bbox": bbox}))
    return wanted


def signed_in(url: str) -> TestClient:
    """A leader's client of the app on this database."""
    client = TestClient(create_app(Settings(database_url=url, now=NOW)),
                        follow_redirects=False)
    client.get("/login")
    response = client.post("/login", data={"name": "bench-leader", "password":
                                           "bench-leader-pass", "next": "/",
                                           "csrf_token": client.cookies["lookback_csrf"]})
    assert response.status_code == 303, response.text
    return client


def p95_per_zoom(client: TestClient, centres: np.ndarray, views: int) -> dict[int, float]:
    """p95 in ms of every request the page makes, per zoom."""
    rng = np.random.default_rng(3)
    found = {}
    for zoom in ZOOMS:
        times = []
        for lon, lat in centres[rng.integers(0, len(centres), views)]:
            for path, params in requests_for(zoom, view(lon, lat, zoom)):
                start = time.perf_counter()
                response = client.get(path, params=params)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, params, response.text[:200])
        found[zoom] = float(np.percentile(times, 95))
    return found


def folium_baseline(engine: sa.engine.Engine, photo_limit: int) -> tuple[int, float]:
    """A plain folium map embedding every site and `photo_limit` photos: size and seconds."""
    with engine.connect() as conn:
        sites = list(conn.execute(sa.select(SITES.table.c.name, SITES.table.c.geom)))
        shots = list(conn.execute(sa.select(photos.c.id, photos.c.geom).limit(photo_limit)))
    start = time.perf_counter()
    m = folium.Map(location=[29.5, 120.5], zoom_start=8, tiles=None)
    for name, geom in sites:
        p = geom if geom.geom_type == "Point" else geom.representative_point()
        folium.CircleMarker([p.y, p.x], radius=5, tooltip=name).add_to(m)
    for photo_id, geom in shots:
        folium.CircleMarker([geom.y, geom.x], radius=3, popup=str(photo_id)).add_to(m)
    html = m.get_root().render()
    return len(html.encode()), time.perf_counter() - start


def ensure_leader(engine: sa.engine.Engine) -> None:
    """The account the benchmark signs in with."""
    with engine.begin() as conn:
        if find_user(conn, "bench-leader") is None:
            add_user(conn, name="bench-leader", password="bench-leader-pass", role="leader",
                     now=NOW)


def run(url: str, photo_count: int, views: int, folium_photos: int) -> bool:
    """Measure one backend; True when the targets hold."""
    engine = loaded_engine(url, province_files())
    add_photos(engine, photo_count)
    add_cases(engine)
    ensure_leader(engine)
    print(f"  data: {counts(engine)}", flush=True)
    with engine.connect() as conn:
        centres = np.array([g.representative_point().coords[0] for g in
                            conn.execute(sa.select(SITES.table.c.geom)).scalars()])
    client = signed_in(url)
    page = len(client.get("/map").content)
    p95 = p95_per_zoom(client, centres, views)
    size, seconds = folium_baseline(engine, folium_photos)
    worst = max(p95.values())
    print("  p95 per zoom (ms): " + ", ".join(f"z{z} {v:.0f}" for z, v in p95.items()))
    print(f"  map page: ours {page / 1000:.1f} KB vs folium with {len(centres):,} sites + "
          f"{folium_photos:,} photos {size / 1e6:.1f} MB built in {seconds:.1f} s; "
          f"ratio {page / size:.5f}")
    print(f"  viewport p95 worst {worst:.0f} ms (target < {P95_LIMIT_MS:.0f}) vs the folium "
          f"page's build {seconds * 1000:.0f} ms; ratio {worst / (seconds * 1000):.4f}")
    return page < PAGE_LIMIT and worst < P95_LIMIT_MS


def main() -> int:
    """Measure every configured backend."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=1_000_000)
    parser.add_argument("--views", type=int, default=20, help="views per zoom")
    parser.add_argument("--folium-photos", type=int, default=100_000)
    parser.add_argument("--only", choices=("sqlite", "postgis"), help="one backend")
    args = parser.parse_args()
    ok = True
    for name, url in backends().items():
        if args.only and name != args.only:
            continue
        print(f"{name}:", flush=True)
        ok = run(url, args.photos, args.views, args.folium_photos) and ok
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
