"""The photo pages (照片) on the demo scenario: the list's count and pages come from the
database, each filter narrows it to exactly the photos a hand-written query finds, each role
sees only its photos (404 alike for a photo not shown and one that does not exist), and bad
filter values are named and left out, never an error page."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from fastapi.testclient import TestClient

from geo.db import create_engine
from geo.layers import GRID_CELLS, SITES
from imagery.schema import photo_sites, photos
from inspections.clock import aware
from inspections.schema import case_photos, cases, lookback_rounds, round_photos, ticket_photos
from inspections.schema import tickets as ticket_table
from tests.imagery.images import exif_bytes, jpeg
from tests.scenario import Played
from tests.web.client import client_for, headers, inside_town, sign_in
from web.accounts.demo import DEMO_TOWN
from web.accounts.users import find_user

TZ = ZoneInfo("Asia/Shanghai")
ROW = re.compile(r'<tr class="photo-row" data-photo="(\d+)">')
UPLOAD_DAY = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)  # 10:00 on 20 December in the district
COUNT = re.compile(r'id="photo-count">共 (\d+) 张<')


def _client(played: Played, name: str) -> TestClient:
    client = client_for(played.env["url"], data_dir=played.env["data"], now=played.env["now"])
    assert sign_in(client, name).status_code == 303
    return client


def _page(client: TestClient, query: str = "") -> tuple[int, list[int], str]:
    """The list's total, the ids of its rows and its HTML."""
    response = client.get(f"/photos{query}")
    assert response.status_code == 200, response.text
    total = int(COUNT.search(response.text).group(1))
    return total, [int(i) for i in ROW.findall(response.text)], response.text


def _all_ids(client: TestClient, query: str = "") -> list[int]:
    """Every id of the list, page after page."""
    total, ids, _ = _page(client, query)
    number = 1
    while len(ids) < total:
        number += 1
        _, more, _ = _page(client, f"{query}{'&' if query else '?'}page={number}")
        assert more, number
        ids += more
    assert len(ids) == len(set(ids)) == total
    return ids


def _rows(played: Played) -> list[sa.RowMapping]:
    """Every photo with its grid cell's code and town, read straight from the database."""
    cells = GRID_CELLS.table
    engine = create_engine(played.env["url"])
    with engine.connect() as conn:
        rows = list(conn.execute(
            sa.select(photos.c.id, photos.c.kind, photos.c.taken_at, photos.c.uploaded_by,
                      photos.c.grid_cell_id, photos.c.original_name, cells.c.code, cells.c.town)
            .outerjoin(cells, cells.c.id == photos.c.grid_cell_id)).mappings())
    engine.dispose()
    return rows


def _ids(played: Played, stmt: sa.Select) -> set[int]:
    engine = create_engine(played.env["url"])
    with engine.connect() as conn:
        found = set(conn.execute(stmt).scalars())
    engine.dispose()
    return found


def _local_day(at: datetime) -> str:
    return aware(at).astimezone(TZ).date().isoformat()


def test_the_list_is_counted_and_paged_by_the_database(played: Played) -> None:
    leader = _client(played, "leader")
    everything = _rows(played)
    total, first, page = _page(leader)
    assert total == len(everything) > 100 and len(first) == 50
    assert "第 1 / " in page and 'href="/photos?page=2"' in page
    dated = sorted((r for r in everything if r["taken_at"]),
                   key=lambda r: (aware(r["taken_at"]), r["id"]), reverse=True)
    assert first[0] == dated[0]["id"]  # newest taken first
    _, second, _ = _page(leader, "?page=2")
    assert len(second) == 50 and not set(first) & set(second)
    pages = -(-total // 50)
    _, last, _ = _page(leader, f"?page={pages}")
    assert len(last) == total - 50 * (pages - 1)
    assert _page(leader, "?page=999")[1] == last  # clamped to the last page
    assert _page(leader, "?page=abc")[1] == first  # not a number: the first page
    _, oldest, page = _page(leader, "?sort=oldest")
    assert oldest[0] == dated[-1]["id"] and 'aria-sort="ascending"' in page
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d</a>", page)  # the bureau's dates


def test_each_filter_lists_exactly_the_photos_it_names(played: Played) -> None:
    leader = _client(played, "leader")
    rows = _rows(played)
    town = sorted({r["town"] for r in rows if r["town"]})[0]
    cell = sorted(r["code"] for r in rows if r["code"])[0]
    uploader = sorted({r["uploaded_by"] for r in rows if r["uploaded_by"]})[0]
    days = sorted({_local_day(r["taken_at"]) for r in rows if r["taken_at"]})
    start, end = days[len(days) // 3], days[len(days) // 2]
    expected = {
        "?kind=drone": {r["id"] for r in rows if r["kind"] == "drone"},
        f"?town={town}": {r["id"] for r in rows if r["town"] == town},
        f"?cell={cell}": {r["id"] for r in rows if r["code"] == cell},
        f"?uploader={uploader}": {r["id"] for r in rows if r["uploaded_by"] == uploader},
        f"?start={start}&end={end}": {r["id"] for r in rows if r["taken_at"]
                                      and start <= _local_day(r["taken_at"]) <= end},
        "?q=dji_": {r["id"] for r in rows if "dji_" in r["original_name"].lower()},
        "?unlocated=1": set(),  # every demo photo has a position
        f"?kind=field&town={town}": {r["id"] for r in rows
                                     if r["kind"] == "field" and r["town"] == town},
    }
    for query, ids in expected.items():
        assert ids or query == "?unlocated=1", query
        assert set(_all_ids(leader, query)) == ids, query
    assert "没有符合条件的照片" in _page(leader, "?unlocated=1")[2]


def test_the_site_filter_takes_a_code_or_part_of_a_name(played: Played) -> None:
    s = SITES.table
    engine = create_engine(played.env["url"])
    with engine.connect() as conn:
        code, name = conn.execute(
            sa.select(s.c.code, s.c.name).join(photo_sites, photo_sites.c.site_id == s.c.id)
            .group_by(s.c.code, s.c.name).order_by(sa.func.count().desc(), s.c.code)).first()
    engine.dispose()
    expected = _ids(played, sa.select(photo_sites.c.photo_id).join(s, s.c.id ==
                                                                  photo_sites.c.site_id)
                    .where(s.c.code == code))
    leader = _client(played, "leader")
    assert set(_all_ids(leader, f"?site={code}")) == expected
    assert expected <= set(_all_ids(leader, f"?site={name[2:6]}"))
    _, ids, page = _page(leader, f"?site={code}")
    assert name in page and f'href="/map?site={code}"' in page  # the site, on the map


def test_an_officer_sees_their_cells_and_their_own_uploads_only(played: Played) -> None:
    engine = create_engine(played.env["url"])
    with engine.connect() as conn:
        officer = find_user(conn, "officer")[0]
    engine.dispose()
    expected = _ids(played, sa.select(photos.c.id).where(sa.or_(
        photos.c.grid_cell_id.in_(officer.grid_cell_ids), photos.c.uploaded_by == "officer")))
    client = _client(played, "officer")
    shown = _all_ids(client)
    assert set(shown) == expected and 0 < len(expected) < len(_rows(played))
    hidden = min({r["id"] for r in _rows(played)} - expected)
    _assert_not_found(client, hidden)


def test_a_unit_sees_only_its_evidence(played: Played) -> None:
    of_cases = (sa.select(case_photos.c.photo_id).join(cases, cases.c.id ==
                                                       case_photos.c.case_id)
                .where(cases.c.responsible_unit == sa.bindparam("unit")))
    engine = create_engine(played.env["url"])
    with engine.connect() as conn:
        unit = find_user(conn, "unit")[0].unit
    engine.dispose()
    expected = _ids(played, sa.select(photos.c.id).where(sa.or_(
        photos.c.uploaded_by == "unit",
        photos.c.id.in_(of_cases.params(unit=unit)),
        photos.c.id.in_(sa.select(ticket_photos.c.photo_id)
                        .join(ticket_table, ticket_table.c.id == ticket_photos.c.ticket_id)
                        .where(ticket_table.c.responsible_unit == unit)))))
    client = _client(played, "unit")
    assert set(_all_ids(client)) == expected and expected
    one = min(expected)
    page = client.get(f"/photos/{one}")
    assert page.status_code == 200
    assert "/cases/" in page.text.split('id="photo-evidence">')[1]
    assert "/review/" not in page.text  # a unit does not review rounds
    hidden = min({r["id"] for r in _rows(played)} - expected)
    _assert_not_found(client, hidden)


def _assert_not_found(client: TestClient, hidden: int) -> None:
    """A photo the user may not see answers like one that does not exist."""
    refused, absent = client.get(f"/photos/{hidden}"), client.get("/photos/999999")
    assert refused.status_code == absent.status_code == 404
    assert f"没有编号为 {hidden} 的照片，或您无权查看。" in refused.text
    def main(page: str, number: int) -> str:
        return page.split("<main")[1].split("</main>")[0].replace(f" {number} ", " N ")

    assert main(refused.text, hidden) == main(absent.text, 999999)


def test_a_photo_page_shows_its_details_sites_and_records(played: Played) -> None:
    evidence = _ids(played, sa.select(round_photos.c.photo_id)
                    .join(lookback_rounds, lookback_rounds.c.id == round_photos.c.round_id)
                    .where(round_photos.c.photo_id.in_(sa.select(photo_sites.c.photo_id))))
    one = min(evidence)
    engine = create_engine(played.env["url"])
    with engine.connect() as conn:
        round_id, reference = conn.execute(
            sa.select(round_photos.c.round_id, cases.c.reference)
            .join(lookback_rounds, lookback_rounds.c.id == round_photos.c.round_id)
            .join(cases, cases.c.id == lookback_rounds.c.case_id)
            .where(round_photos.c.photo_id == one)).first()
        row = conn.execute(sa.select(photos).where(photos.c.id == one)).mappings().one()
    engine.dispose()
    page = _client(played, "leader").get(f"/photos/{one}", headers={
        "referer": "http://testserver/photos?kind=drone&page=2"})
    assert page.status_code == 200
    text = page.text
    assert f'src="/api/photos/{one}/thumbnail?size=1024"' in text
    taken = aware(row["taken_at"]).astimezone(TZ)
    assert f"{taken.year}年{taken.month}月{taken.day}日 {taken:%H:%M}" in text
    assert f'href="/review/{round_id}">{reference} 第' in text
    assert 'href="/map?site=' in text.split('id="photo-sites">')[1]
    assert 'href="/photos?kind=drone&amp;page=2" id="back"' in text  # back keeps the filters
    assert "/tmp/" not in text  # the file's name, not the folder it was imported from


def test_bad_filter_values_are_named_and_left_out(played: Played) -> None:
    leader = _client(played, "leader")
    total, first, _ = _page(leader)
    bad_total, bad_first, page = _page(
        leader, "?kind=selfie&start=2022-13-45&end=tomorrow&cell=NOPE-1&uploaded=x")
    assert (bad_total, bad_first) == (total, first)  # every bad value left out
    notes = page.split('id="filter-notes"')[1].split("</div>")[0]
    assert "照片类型“selfie”不存在" in notes and "没有编码为“NOPE-1”的网格" in notes
    assert "拍摄日期起“2022-13-45”不是有效日期" in notes
    assert "拍摄日期止“tomorrow”不是有效日期" in notes and "上传日期“x”不是有效日期" in notes
    assert _page(leader, "?kind=&start=")[0] == total  # empty values are no filter
    assert leader.get("/photos/0").status_code in (404, 422)


def test_the_nav_offers_photos_to_every_role(played: Played) -> None:
    for name in ("officer", "inspector", "unit", "leader", "admin"):
        page = _client(played, name).get("/").text
        assert 'href="/photos"' in page, name
    english = _client(played, "leader").get("/photos?lang=en").text.split("<main")[1]
    assert re.search(r"\d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d</a>", english)
    assert re.search(r'id="photo-count">\d+ in all<', english) and "拍摄时间" not in english


def test_time_bounds_are_local_days(played: Played) -> None:
    rows = [r for r in _rows(played) if r["taken_at"]]
    day = _local_day(rows[0]["taken_at"])
    same_day = {r["id"] for r in rows if _local_day(r["taken_at"]) == day}
    leader = _client(played, "leader")
    assert set(_all_ids(leader, f"?start={day}&end={day}")) == same_day
    before = (datetime.fromisoformat(day) - timedelta(days=1)).date().isoformat()
    assert set(_all_ids(leader, f"?end={before}")).isdisjoint(same_day)


def _upload(client: TestClient, path: Path, **form: str) -> int:
    with path.open("rb") as f:
        response = client.post("/api/photos", headers=headers(client),
                               files={"file": (path.name, f, "image/jpeg")}, data=form)
    assert response.status_code == 200, response.text
    return response.json()["photo"]["id"]


def test_todays_uploads_card_links_to_a_list_as_long_as_its_number(fresh_demo_url: str,
                                                                   tmp_path: Path) -> None:
    officer = client_for(fresh_demo_url, now=UPLOAD_DAY)
    assert sign_in(officer, "officer").status_code == 303
    lon, lat = inside_town(fresh_demo_url, DEMO_TOWN)
    placed = _upload(officer, jpeg(tmp_path / "IMG_0101.JPG", seed=601, exif=exif_bytes(
        lon=lon, lat=lat, taken="2022:12:19 16:05:00")), upload_id="u-photo-list-1")
    lost = _upload(officer, jpeg(tmp_path / "IMG_0102.JPG", seed=602, exif=exif_bytes(
        taken="2022:12:20 08:40:00")), upload_id="u-photo-list-2", note="河边堆放 100% 垃圾")
    desk = officer.get("/").text
    card = re.search(r'id="card-uploads_today" href="([^"]+)">\s*'
                     r'<span class="todo-count">(\d+)</span>', desk)
    href, count = html.unescape(card.group(1)), int(card.group(2))
    assert href == "/photos?uploader=officer&uploaded=2022-12-20" and count == 2
    total, ids, page = _page(officer, href.removeprefix("/photos"))
    assert total == len(ids) == count and set(ids) == {placed, lost}
    assert "2022年12月19日 16:05" in page and "2022年12月20日 08:40" in page
    assert _page(officer, "?uploader=officer&uploaded=2022-12-19")[0] == 0  # another day
    assert _page(officer, "?unlocated=1")[1] == [lost]
    assert _page(officer, "?q=100%25")[1] == [lost]  # a % is text, not a wildcard
    assert _page(officer, "?q=100%25x")[1] == []
    assert _page(officer, "?q=img_0101")[1] == [placed]  # file names, any case
    assert _page(officer, "?sort=oldest")[1] == [placed, lost]
    one = officer.get(f"/photos/{lost}").text
    assert "河边堆放 100% 垃圾" in one and "缺少位置信息" in one and "无</dd>" in one
