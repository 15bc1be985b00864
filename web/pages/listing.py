"""Lists of records as the bureau's staff read them: 50 rows a page, a total, and links to
the other pages that keep the list's filters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Request

T = TypeVar("T")
PER_PAGE = 50


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, the list's length and where the page lies."""

    rows: Sequence[T]
    total: int
    number: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        """How many pages the list has (at least one)."""
        return max(1, -(-self.total // self.per_page))


def page_within(number: int, total: int, per_page: int = PER_PAGE) -> int:
    """The page number asked for, clamped to a list of `total` rows (from 1)."""
    return min(max(1, number), max(1, -(-total // per_page)))


def paginate(items: Sequence[T], number: int, per_page: int = PER_PAGE) -> Page[T]:
    """The `number`th page (from 1; clamped to the list) of the items."""
    number = page_within(number, len(items), per_page)
    start = (number - 1) * per_page
    return Page(items[start:start + per_page], len(items), number, per_page)


def page_url(request: Request, number: int) -> str:
    """This list's URL at another page, its filters kept."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    return f"{request.url.path}?{urlencode([*params, ('page', str(number))])}"
