"""The case list (案件): a filter bar whose filters live in the URL (so the dashboard's and
the work desk's links reproduce them), sortable columns, 50 a page with the total."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from inspections import progress, schema
from inspections.cases import Case
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep
from web.pages.case_view import long_date
from web.pages.ledgers import export_url, importable
from web.pages.listing import paginate
from web.pages.render import render
from web.services.records import cases_for

router = APIRouter(include_in_schema=False)
CASE_LEDGERS = ("cases", "measures")  # the ledgers the list's 导出Excel holds

SORTS: dict[str, Callable[[Case], Any]] = {
    "reference": lambda c: c.reference, "deadline": lambda c: c.deadline,
    "unit": lambda c: c.responsible_unit, "state": lambda c: schema.CASE_STATES.index(c.state),
    "opened": lambda c: c.opened_at,
}


@dataclass(frozen=True)
class Filters:
    """The list's filters as the URL gives them (empty: not filtered)."""

    state: str | None = None
    source: str | None = None
    inspection: str | None = None
    town: str | None = None
    unit: str | None = None
    q: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    open_only: bool = False
    key_only: bool = False
    overdue_only: bool = False

    def keeps(self, case: Case, overdue: bool) -> bool:
        """Whether the case passes every filter given."""
        text = f"{case.reference} {case.title} {case.responsible_unit}"
        return ((self.inspection is None or case.inspection == self.inspection)
                and (self.town is None or case.responsible_unit.startswith(self.town))
                and (self.unit is None or case.responsible_unit == self.unit)
                and (self.q is None or self.q.lower() in text.lower())
                and (self.date_from is None or case.deadline >= self.date_from)
                and (self.date_to is None or case.deadline <= self.date_to)
                and (not self.open_only or case.state != "closed")
                and (not self.key_only or case.key_case)
                and (not self.overdue_only or overdue))


def _day(value: str) -> date | None:
    """A date the filter bar sent (empty or not a date: no filter)."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _known(value: str | None, known: tuple[str, ...]) -> str | None:
    return value if value in known else None


@router.get("/cases", response_class=HTMLResponse)
def case_list(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
              lang: LangDep, source: str | None = None, state: str | None = None,
              inspection: str | None = None, town: str | None = None,
              unit: str | None = None, q: str | None = None,
              date_from: Annotated[str, Query(alias="from")] = "",
              date_to: Annotated[str, Query(alias="to")] = "",
              open_only: Annotated[bool, Query(alias="open")] = False,
              key: bool = False, overdue: bool = False, sort: str = "reference",
              desc: bool = False, page: Annotated[int, Query(ge=1)] = 1) -> Response:
    """Cases the user sees, filtered, sorted and a page of them."""
    f = Filters(state=_known(state, schema.CASE_STATES),
                source=_known(source, schema.CASE_SOURCES), inspection=inspection or None,
                town=town or None, unit=unit or None, q=(q or "").strip() or None,
                date_from=_day(date_from), date_to=_day(date_to), open_only=open_only, key_only=key,
                overdue_only=overdue)
    now = clock.now()
    with engine.connect() as conn:
        seen = cases_for(conn, user, source=f.source, state=f.state)
    units = sorted({c.responsible_unit for c in seen})
    rows = [(c, p) for c in seen
            for p in [progress.progress(c, now, tz=clock.tz)] if f.keeps(c, p.overdue)]
    sort = sort if sort in SORTS else "reference"
    rows.sort(key=lambda row: SORTS[sort](row[0]), reverse=desc)
    shown = paginate(rows, page)
    return render(request, "cases.html", lang, user=user, page=shown, filters=f,
                  units=units, sort=sort, desc=desc,
                  dates={c.id: long_date(c.deadline, lang) for c, _ in shown.rows},
                  may_create=user.role in ("leader", "admin"),
                  ledger_url=export_url(CASE_LEDGERS),
                  may_import_ledger=importable(user, CASE_LEDGERS),
                  sort_url=lambda column: _sort_url(request, column, sort, desc))


def _sort_url(request: Request, column: str, sort: str, desc: bool) -> str:
    from urllib.parse import urlencode

    params = [(k, v) for k, v in request.query_params.multi_items()
              if k not in ("sort", "desc", "page")]
    params.append(("sort", column))
    if column == sort and not desc:
        params.append(("desc", "1"))
    return f"{request.url.path}?{urlencode(params)}"
