"""The frame's navigation: which pages each role uses, the frame's own few in the top bar and
the rest under 更多 (on a desktop), and its four most used as bottom tabs with the rest under
更多 (on a phone). Pages still decide who may open them."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from inspections import organisation
from inspections.rectification_tasks import VIEW_ROLES
from web.i18n.catalog import MESSAGES


@dataclass(frozen=True)
class NavEntry:
    """A link of the frame: its message key, its path and the roles that use it."""

    key: str
    href: str
    roles: frozenset[str]


EVERYONE = frozenset({"grid_officer", "inspector", "unit", "leader", "admin", "acceptor",
                      "assessor"})
NAV = (
    NavEntry("nav.home", "/", EVERYONE),
    NavEntry("nav.map", "/map", EVERYONE),
    NavEntry("nav.cases", "/cases", EVERYONE),
    NavEntry("nav.rtasks", "/rectification-tasks", frozenset(VIEW_ROLES)),
    NavEntry("nav.tickets", "/tickets", frozenset({"inspector", "unit", "leader", "admin"})),
    NavEntry("nav.review", "/review", frozenset({"inspector", "leader", "admin"})),
    NavEntry("nav.dashboard", "/dashboard", frozenset({"leader", "admin"})),
    NavEntry("nav.reports", "/reports", frozenset({"leader", "admin"})),
    NavEntry("nav.photos", "/photos", EVERYONE),
    NavEntry("nav.upload", "/upload", frozenset({"grid_officer", "inspector", "admin"})),
    NavEntry("nav.flights", "/flights/new", frozenset({"inspector", "admin"})),
    NavEntry("nav.complaints", "/complaints", frozenset({"grid_officer", "leader", "admin"})),
    NavEntry("nav.enforcement", "/enforcement", frozenset({"leader", "admin"})),
    NavEntry("nav.checks", "/checks", frozenset({"inspector", "leader", "admin"})),
    NavEntry("nav.organisation", "/organisation", frozenset(organisation.READ_ROLES)),
    NavEntry("nav.accounts", "/accounts", frozenset({"admin"})),
    NavEntry("nav.tasks", "/tasks", frozenset({"inspector", "leader", "admin"})),
)
TABS = {  # a phone's bottom tabs, most used first
    "grid_officer": ("/", "/upload", "/map", "/cases"),
    "inspector": ("/", "/review", "/upload", "/map"),
    "unit": ("/", "/cases", "/tickets", "/map"),
    "leader": ("/", "/dashboard", "/cases", "/tickets"),
    "admin": ("/", "/accounts", "/dashboard", "/cases"),
    "acceptor": ("/", "/cases", "/map", "/photos"),
    "assessor": ("/", "/cases", "/map", "/photos"),
}


PRIMARY = frozenset({"/", "/map", "/cases", "/tickets", "/review", "/dashboard"})  # UI.md's bar


@dataclass(frozen=True)
class NavLink:
    """A link as the frame shows it."""

    key: str
    href: str
    active: bool

    @property
    def tab_key(self) -> str:
        """The message of its phone tab: a shorter name where the page has one."""
        short = f"{self.key}.tab"
        return short if short in MESSAGES else self.key


def _active(path: str, href: str) -> bool:
    return path == "/" if href == "/" else path == href or path.startswith(href + "/")


@dataclass(frozen=True)
class Nav:
    """A role's navigation on one page: the top bar's links and those under its 更多; the
    phone's bottom tabs and those under the tabs' 更多."""

    bar: list[NavLink]
    more: list[NavLink]
    tabs: list[NavLink]
    tab_more: list[NavLink]

    @property
    def more_active(self) -> bool:
        """Whether this page is one under the top bar's 更多."""
        return any(link.active for link in self.more)


def nav_for(request: Request, role: str) -> Nav:
    """The frame's links for a role on this page. The top bar keeps UI.md's entries and the
    role's most used; the rest fold under 更多, so the bar holds one line at 1366 px."""
    path = request.url.path
    links = [NavLink(e.key, e.href, _active(path, e.href)) for e in NAV if role in e.roles]
    by_href = {link.href: link for link in links}
    most_used = TABS.get(role, ())
    tabs = [by_href[href] for href in most_used if href in by_href]
    first = PRIMARY | set(most_used)
    return Nav(bar=[link for link in links if link.href in first],
               more=[link for link in links if link.href not in first],
               tabs=tabs, tab_more=[link for link in links if link not in tabs])
