"""The work desk (工作台) each role starts from: to-do cards, the most urgent items, recent
activity; the lists behind the cards no other list filters yet; the notifications page."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inspections.clock import local_date
from inspections.errors import NotFound
from web.accounts.errors import NotSignedIn
from web.accounts.sessions import user_of_session
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep, WallClockDep
from web.i18n import MESSAGES
from web.pages.auth import _remember_lang
from web.pages.render import render
from web.security import SESSION_COOKIE
from web.services.activity import recent_activity
from web.services.notification_reads import forget_reads, mark_read, read_keys
from web.services.notifications import WINDOW_DAYS, notifications_for
from web.services.todos import When, cards_for, desk_list, most_urgent

router = APIRouter(include_in_schema=False)
LABELLED = {key.removeprefix("action.") for key in MESSAGES  # the actions people have words for
            if key.startswith("action.") and key != "action.unknown"}


def written_day(day: date | None, lang: str) -> str:
    """A date as the bureau writes it (2022年6月30日), ISO in English."""
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.isoformat()


def _helpers(lang: str, today: date) -> dict[str, object]:
    return {"day": lambda d: written_day(d, lang),
            "days_left": lambda d: None if d is None else (d - today).days,
            "today": today}


@router.get("/", response_class=HTMLResponse)
def home(request: Request, engine: EngineDep, clock: ClockDep, wall: WallClockDep,
         lang: LangDep) -> Response:
    """The signed-in user's work desk; the sign-in page for anybody else."""
    with engine.connect() as conn:
        try:
            user = user_of_session(conn, request.cookies.get(SESSION_COOKIE), wall.now())
        except NotSignedIn:
            return RedirectResponse("/login", status_code=303)
        when = When(clock.now(), clock.tz)
        cards = cards_for(conn, user, when)
        activity = recent_activity(conn, user, LABELLED)
    page = render(request, "home.html", lang, user=user, cards=cards,
                  urgent=most_urgent(cards), activity=activity,
                  **_helpers(lang, when.today))
    return _remember_lang(request, page, lang)


@router.get("/desk/{key}", response_class=HTMLResponse)
def desk_records(key: str, request: Request, engine: EngineDep, clock: ClockDep,
                 user: CurrentUser, lang: LangDep) -> Response:
    """The records one of the user's cards counts (for cards no other list filters yet)."""
    when = When(clock.now(), clock.tz)
    with engine.connect() as conn:
        card = desk_list(conn, user, when, key)
    if card is None:
        raise NotFound(f"work desk list {key!r}: not one of this role's to-do cards")
    return render(request, "desk_list.html", lang, user=user, card=card,
                  **_helpers(lang, when.today))


@router.get("/notifications", response_class=HTMLResponse)
def notifications_page(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
                       lang: LangDep) -> Response:
    """The user's notifications, newest first, the unread marked; opening the page marks
    them read (a read receipt, like a mail client's)."""
    when = When(clock.now(), clock.tz)
    with engine.begin() as conn:
        found = notifications_for(conn, user, when)
        read = read_keys(conn, user.id)
        forget_reads(conn, user.id, when.now - timedelta(days=WINDOW_DAYS))
        mark_read(conn, user.id, [n.key for n in found], when.now)
    return render(request, "notifications.html", lang, user=user, bell=0,
                  notes=[(n, n.key not in read) for n in found],
                  **_helpers(lang, local_date(when.now, when.tz)))
