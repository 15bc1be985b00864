"""The work desk's to-do cards (工作台待办), per role: each card's records, counted under the
same access rules the lists use (web/services/records.py, visibility.py), and the link to the
list that shows exactly those records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from imagery.schema import photos
from inspections import progress, step_roles, workflow
from inspections.cases import Case
from inspections.clock import day_start, local_date
from inspections.errors import NotAllowed
from inspections.schema import objections
from inspections.site_flags import round_flag
from web.accounts.schema import users
from web.accounts.users import User
from web.services.records import cases_for, rounds_for, tickets_for

DUE_DAYS = 7  # a measure is "due" when its case's deadline is this close (or past)
URGENT_SHOWN = 8  # the most urgent items listed under the cards


@dataclass(frozen=True)
class Item:
    """One record a card counts: its deadline, reference, site or title, and where to act."""

    deadline: date | None
    reference: str
    title: str
    href: str
    action: str  # message key of the one action button
    overdue: bool
    round_number: int | None = None  # a look-back round's number (its title says so)


@dataclass(frozen=True)
class Card:
    """A to-do card: its key (message desk.card.<key>), its records and its list's link."""

    key: str
    items: tuple[Item, ...]
    href: str
    count_only: int | None = None  # a count without records (accounts)

    @property
    def count(self) -> int:
        """The number the card shows (the length of the list it links to)."""
        return self.count_only if self.count_only is not None else len(self.items)

    @property
    def alarm(self) -> bool:
        """Red: one of its records is overdue."""
        return any(item.overdue for item in self.items)


@dataclass(frozen=True)
class When:
    """The moment the desk is read: the instant, the district's zone and its date."""

    now: datetime
    tz: ZoneInfo

    @property
    def today(self) -> date:
        """The district's date now."""
        return local_date(self.now, self.tz)


def _case_item(case: Case, when: When, action: str) -> Item:
    overdue = progress.progress(case, when.now, tz=when.tz).overdue
    return Item(case.deadline, case.reference, case.title,
                f"/cases/{quote(case.reference)}", action, overdue)


def _by_deadline(items: list[Item]) -> tuple[Item, ...]:
    return tuple(sorted(items, key=lambda i: (i.deadline or date.max, i.reference)))


def _desk(key: str) -> str:
    return f"/desk/{key}"


# --- unit ------------------------------------------------------------------------------------

def measures_due(conn: sa.Connection, user: User, when: When) -> Card:
    """Cases in hand with measures left and the deadline within DUE_DAYS days (or past)."""
    limit = when.today + timedelta(days=DUE_DAYS)
    found = [c for c in cases_for(conn, user) if c.state in progress.ACTIVE_STATES
             and c.deadline <= limit
             and (not c.measures or any(m.done_at is None for m in c.measures))]
    items = [_case_item(c, when, "desk.act.rectify") for c in found]
    return Card("measures_due", _by_deadline(items), _desk("measures_due"))


def recurrences(conn: sa.Connection, user: User, when: When) -> Card:
    """Cases reopened by a recurrence (死灰复燃) with measures to do again, whatever their new
    deadline: the unit must rectify them anew."""
    found = [c for c in cases_for(conn, user, state="rectifying") if c.is_recurrence
             and (not c.measures or any(m.done_at is None for m in c.measures))]
    items = [_case_item(c, when, "desk.act.rectify") for c in found]
    return Card("recurrences", _by_deadline(items), _desk("recurrences"))


def to_claim(conn: sa.Connection, user: User, when: When) -> Card:
    """Cases in rectification whose measures are all done: ready to claim rectified."""
    found = [c for c in cases_for(conn, user, state="rectifying")
             if c.measures and all(m.done_at is not None for m in c.measures)]
    items = [_case_item(c, when, "desk.act.claim") for c in found]
    return Card("to_claim", _by_deadline(items), _desk("to_claim"))


def _tickets(conn: sa.Connection, user: User, when: When, state: str, action: str) -> Card:
    found = tickets_for(conn, user, state=state)
    items = [Item(t.deadline, t.number, t.request, f"/tickets/{quote(t.number)}", action,
                  state == "overdue" or t.deadline < when.today) for t in found]
    key = "tickets_to_answer" if state == "issued" else f"tickets_{state}"
    return Card(key, _by_deadline(items), f"/tickets?state={state}")


def tickets_to_answer(conn: sa.Connection, user: User, when: When) -> Card:
    """Tickets issued to the unit and not answered yet (待答复督办单)."""
    return _tickets(conn, user, when, "issued", "desk.act.answer")


def tickets_overdue(conn: sa.Connection, user: User, when: When) -> Card:
    """Tickets escalated as overdue (逾期督办单)."""
    action = "desk.act.answer" if user.role == "unit" else "desk.act.open"
    return _tickets(conn, user, when, "overdue", action)


# --- inspector -------------------------------------------------------------------------------

def rounds_to_review(conn: sa.Connection, user: User, when: When) -> Card:
    """Look-back rounds that want a decision now (the review queue: due, awaiting review,
    overdue), the earliest window end first."""
    items = []
    for r in rounds_for(conn, user):
        flag = round_flag(r.state, r.window_start, r.window_end, when.now)
        if flag in ("due", "awaiting_review", "overdue") and r.state not in ("passed",
                                                                             "recurred"):
            items.append(Item(local_date(r.window_end, when.tz), r.case_reference, "",
                              f"/review/{r.id}", "desk.act.review", flag == "overdue",
                              round_number=r.number))
    return Card("rounds", _by_deadline(items), "/review")


def _cases_in(conn: sa.Connection, user: User, when: When, key: str, state: str,
              action: str) -> Card:
    items = [_case_item(c, when, action) for c in cases_for(conn, user, state=state)]
    return Card(key, _by_deadline(items), f"/cases?state={state}")


def _cases_to_take(conn: sa.Connection, user: User, when: When, key: str, state: str,
                   action: str, button: str) -> Card:
    """The cases in `state` whose next step (`action`) the user's role takes for their source
    (as the workflow's permission check decides), listed on the desk's own list."""
    found = [c for c in cases_for(conn, user, state=state)
             if _may_take(conn, c, action, user)]
    return Card(key, _by_deadline([_case_item(c, when, button) for c in found]), _desk(key))


def _may_take(conn: sa.Connection, case: Case, action: str, user: User) -> bool:
    try:
        workflow.check_allowed(conn, case, action, user.actor)
    except NotAllowed:
        return False
    return True


def acceptances(conn: sa.Connection, user: User, when: When) -> Card:
    """Cases claimed rectified, waiting for the acceptance on site (待验收)."""
    return _cases_to_take(conn, user, when, "acceptances", "rectified", "accept",
                          "desk.act.accept")


def assessments(conn: sa.Connection, user: User, when: When) -> Card:
    """Accepted cases waiting for the closure assessment (待评估)."""
    return _cases_to_take(conn, user, when, "assessments", "accepted", "assess",
                          "desk.act.assess")


# --- leader ----------------------------------------------------------------------------------

def key_cases(conn: sa.Connection, user: User, when: When) -> Card:
    """Key cases (重点案件) not closed yet."""
    items = [_case_item(c, when, "desk.act.open") for c in cases_for(conn, user)
             if c.key_case and c.state != "closed"]
    return Card("key_cases", _by_deadline(items), _desk("key_cases"))


def overdue_cases(conn: sa.Connection, user: User, when: When) -> Card:
    """Unfinished cases past their deadline."""
    items = [i for i in (_case_item(c, when, "desk.act.open") for c in cases_for(conn, user))
             if i.overdue]
    return Card("overdue_cases", _by_deadline(items), _desk("overdue_cases"))


def objections_to_decide(conn: sa.Connection, user: User, when: When) -> Card:
    """Objections received during a public notice and not decided yet (one item each)."""
    by_id = {c.id: c for c in cases_for(conn, user, state="publicised")}
    rows = conn.execute(sa.select(objections.c.case_id, objections.c.received_at)
                        .where(objections.c.decision.is_(None))
                        .order_by(objections.c.received_at, objections.c.id)).all()
    items = [Item(by_id[r.case_id].notice_end, by_id[r.case_id].reference,
                  by_id[r.case_id].title, f"/cases/{quote(by_id[r.case_id].reference)}",
                  "desk.act.decide", False) for r in rows if r.case_id in by_id]
    return Card("objections", tuple(items), _desk("objections"))


def to_publicise(conn: sa.Connection, user: User, when: When) -> Card:
    """Assessed cases, ready to go on public notice (公示) with their conclusion."""
    return _cases_in(conn, user, when, "to_publicise", "assessed", "desk.act.publicise")


def to_close(conn: sa.Connection, user: User, when: When) -> Card:
    """Publicised cases whose notice period is over, with no objection left undecided."""
    pending = set(conn.execute(sa.select(objections.c.case_id)
                               .where(objections.c.decision.is_(None))).scalars())
    found = [c for c in cases_for(conn, user, state="publicised")
             if c.notice_end is not None and c.notice_end < when.today and c.id not in pending]
    items = [Item(c.notice_end, c.reference, c.title, f"/cases/{quote(c.reference)}",
                  "desk.act.close", False) for c in found]
    return Card("to_close", _by_deadline(items), _desk("to_close"))


# --- grid officer ----------------------------------------------------------------------------

def patrol_cases(conn: sa.Connection, user: User, when: When) -> Card:
    """Open patrol cases the officer sees (those with a photo in the officer's grid cells)."""
    items = [_case_item(c, when, "desk.act.open") for c in cases_for(conn, user, source="patrol")
             if c.state != "closed"]
    return Card("patrol", _by_deadline(items), "/cases?source=patrol&open=1")


def uploads_today(conn: sa.Connection, user: User, when: When) -> Card:
    """The photos the user uploaded today (the district's day)."""
    start = day_start(when.today, when.tz).astimezone(UTC)  # SQLite keeps UTC, no offset
    rows = conn.execute(sa.select(photos.c.id, photos.c.original_name, photos.c.uploaded_at)
                        .where(photos.c.uploaded_by == user.name,
                               photos.c.uploaded_at >= start,
                               photos.c.uploaded_at < start + timedelta(days=1))
                        .order_by(photos.c.uploaded_at.desc(), photos.c.id.desc())).all()
    items = tuple(Item(None, r.original_name, "", f"/photos/{r.id}", "desk.act.view", False)
                  for r in rows)
    link = "/photos?" + urlencode({"uploader": user.name, "uploaded": when.today.isoformat()})
    return Card("uploads_today", items, link)


# --- admin -----------------------------------------------------------------------------------

def accounts(conn: sa.Connection, user: User, when: When) -> Card:
    """The active accounts (the accounts page lists them)."""
    count = conn.execute(sa.select(sa.func.count()).select_from(users)
                         .where(users.c.active.is_(True))).scalar_one()
    return Card("accounts", (), "/accounts", count_only=count)


Builder = Callable[[sa.Connection, User, When], Card]
CARDS: dict[str, tuple[Builder, ...]] = {
    "unit": (measures_due, recurrences, to_claim, tickets_to_answer, tickets_overdue),
    "inspector": (rounds_to_review,),
    "leader": (key_cases, overdue_cases, tickets_overdue, objections_to_decide, to_publicise,
               to_close),
    "grid_officer": (patrol_cases, uploads_today),
    "admin": (accounts,),
}
# Cards of the configurable steps: shown to every role that takes the step for some source
# (by default the acceptance group's and the assessment group's).
STEP_CARDS: tuple[tuple[Builder, str], ...] = ((acceptances, "accept"),
                                               (assessments, "assess"))
DESK_LISTS: dict[str, Builder] = {  # cards whose records no other list filters yet
    "measures_due": measures_due, "recurrences": recurrences, "to_claim": to_claim,
    "key_cases": key_cases, "overdue_cases": overdue_cases, "objections": objections_to_decide,
    "to_close": to_close, "acceptances": acceptances, "assessments": assessments,
}


def _builders(conn: sa.Connection, user: User) -> tuple[Builder, ...]:
    """The role's cards, then those of the steps it takes for some case source."""
    taken = {row["step"] for row in step_roles.table(conn) if user.role in row["roles"]}
    return CARDS.get(user.role, ()) + tuple(b for b, step in STEP_CARDS if step in taken)


def cards_for(conn: sa.Connection, user: User, when: When) -> list[Card]:
    """The user's to-do cards, in the order the desk shows them."""
    return [build(conn, user, when) for build in _builders(conn, user)]


def desk_list(conn: sa.Connection, user: User, when: When, key: str) -> Card | None:
    """One card of the user's role with the records it counts (None: not the role's card)."""
    builders = {b.__name__: b for b in _builders(conn, user)}
    build = DESK_LISTS.get(key)
    return build(conn, user, when) if build and build.__name__ in builders else None


def most_urgent(cards: list[Card], limit: int = URGENT_SHOWN) -> list[Item]:
    """The records with the nearest deadlines across the cards (each record once)."""
    seen: dict[str, Item] = {}
    for card in cards:
        for item in card.items:
            if item.deadline is not None:
                seen.setdefault(item.href, item)
    return sorted(seen.values(), key=lambda i: (i.deadline, i.reference))[:limit]
