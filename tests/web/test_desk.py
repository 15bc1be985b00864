"""The work desk (工作台) on the demo scenario: each role's to-do cards, each card's number the
length of the list it links to, the urgent items and recent activity in Chinese."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from geo.db import create_engine
from tests.scenario import Played
from tests.web.client import client_for, sign_in
from web.accounts.schema import users

CARD = re.compile(r'id="card-(?P<key>[a-z_]+)" href="(?P<href>[^"]+)">\s*'
                  r'<span class="todo-count">(?P<count>\d+)</span>')
CARDS = {
    "unit": ["measures_due", "recurrences", "to_claim", "tickets_to_answer", "tickets_overdue"],
    "inspector": ["rounds"],
    "leader": ["key_cases", "overdue_cases", "tickets_overdue", "objections", "to_publicise",
               "to_close"],
    "officer": ["patrol", "uploads_today"],
    "admin": ["accounts"],
    "acceptor": ["acceptances"],
    "assessor": ["assessments"],
}


def cards_of(page: str) -> dict[str, tuple[str, int]]:
    """The cards on a work desk page: key -> (link, number)."""
    return {m["key"]: (html.unescape(m["href"]), int(m["count"])) for m in CARD.finditer(page)}


def listed(page: str, href: str) -> int:
    """How many records the list page at `href` shows."""
    if href.startswith("/review"):
        queue = re.search(r'<ul class="queue" id="queue">(.*?)</ul>', page, re.S)
        return 0 if queue is None else queue.group(1).count("<li")
    if href.startswith("/desk/"):
        return page.count('<li class="desk-item')
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    return 0 if body is None else body.group(1).count("<tr")


def _desk(played: Played, name: str):  # noqa: ANN202
    client = client_for(played.env["url"], data_dir=played.env["data"], now=played.env["now"])
    assert sign_in(client, name).status_code == 303
    page = client.get("/")
    assert page.status_code == 200
    return client, page.text


@pytest.mark.parametrize("name", ["unit", "inspector", "leader", "officer", "acceptor",
                                  "assessor"])
def test_each_cards_number_is_the_length_of_the_list_it_links_to(played: Played,
                                                                 name: str) -> None:
    client, page = _desk(played, name)
    cards = cards_of(page)
    assert list(cards) == CARDS[name]
    if name != "unit":  # the scenario leaves the demo unit nothing to do (see test_notifications)
        assert sum(count for _, count in cards.values()) > 0
    for key, (href, count) in cards.items():
        target = client.get(href)
        assert target.status_code == 200, (key, href)
        assert listed(target.text, href) == count, (key, href)


def test_the_leaders_desk_shows_overdue_work_in_red_and_the_most_urgent(played: Played) -> None:
    _, page = _desk(played, "leader")
    cards = cards_of(page)
    assert cards["overdue_cases"][1] > 0
    assert 'class="todo-card alarm" id="card-overdue_cases"' in page
    assert 'id="urgent"' in page and "已逾期" in page
    assert re.search(r'<span class="desk-date">20\d\d年\d{1,2}月\d{1,2}日</span>', page)
    activity = re.search(r'<ol class="activity" id="activity">(.*?)</ol>', page, re.S).group(1)
    assert activity.count("<li>") == 8
    assert "T" not in re.findall(r"<time[^>]*>([^<]+)</time>", activity)[0]  # local, no ISO
    assert not re.search(r"\b(case|ticket|round)\.[a-z_]+\b", activity)  # no raw codes


def test_an_admin_counts_the_active_accounts(played: Played) -> None:
    _, page = _desk(played, "admin")
    engine = create_engine(played.env["url"])  # the demo's seven, and any an earlier test
    with engine.connect() as conn:           # of this process added to the shared copy
        active = conn.execute(sa.select(sa.func.count()).select_from(users)
                              .where(users.c.active.is_(True))).scalar_one()
    engine.dispose()
    assert active >= 7
    assert cards_of(page) == {"accounts": ("/accounts", active)}


def test_a_card_of_another_role_is_not_found(played: Played) -> None:
    client, _ = _desk(played, "unit")
    assert client.get("/desk/objections").status_code == 404
    assert client.get("/desk/no-such-card").status_code == 404


def test_strangers_are_sent_to_sign_in(played: Played) -> None:
    client = client_for(played.env["url"], now=played.env["now"])
    assert client.get("/").headers["location"] == "/login"
    for path in ("/notifications", "/desk/to_claim"):
        response = client.get(path)
        assert (response.status_code, response.headers["location"]) == (303,
                                                                        f"/login?next={path}")


def test_the_desk_in_english(played: Played) -> None:
    client, _ = _desk(played, "inspector")
    page = client.get("/?lang=en").text
    assert "<h1>Work desk</h1>" in page and "Rounds to review" in page
    assert "Recent activity" in page and "工作台" not in page.split("<main")[1]
