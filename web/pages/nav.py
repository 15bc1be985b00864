"""The frame's navigation: which pages each role uses (the top bar on a desktop) and its four
most used (the bottom tabs on a phone). Pages still decide who may open them."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from inspections import organisation
from inspections.rectification_tasks import VIEW_ROLES


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


@dataclass(frozen=True)
class NavLink:
    """A link as the frame shows it."""

    key: str
    href: str
    active: bool


def _active(path: str, href: str) -> bool:
    return path == "/" if href == "/" else path == href or path.startswith(href + "/")


def nav_for(request: Request, role: str) -> tuple[list[NavLink], list[NavLink]]:
    """The top bar's links and the phone's bottom tabs for a role on this page."""
    path = request.url.path
    links = [NavLink(e.key, e.href, _active(path, e.href)) for e in NAV if role in e.roles]
    by_href = {link.href: link for link in links}
    tabs = [by_href[href] for href in TABS.get(role, ()) if href in by_href]
    return links, tabs
