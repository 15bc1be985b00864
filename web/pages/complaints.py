"""Environmental complaints (环境信访举报) in the browser: the list (filters in the URL, 50 a
page), the form, the import from Excel (all rows or none) and the export of the list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Engine

from geo import spatial
from geo.layers import GRID_CELLS
from inspections.complaints import list_complaints, may_read, may_record, towns
from inspections.errors import NotAllowed
from inspections.schema import COMPLAINT_CHANNELS
from web.accounts.users import User
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep, SettingsDep
from web.i18n import t
from web.pages.listing import paginate
from web.pages.record_pages import day_or_none, sort_url, uploaded, xlsx_download
from web.pages.render import render
from web.services import complaint_sheet as sheet
from web.services.xlsx import Problem, SheetRefused, read_sheet, write_sheet

router = APIRouter(include_in_schema=False)
Day = Annotated[str | None, Query()]
FormText = Annotated[str, Form()]


def _reader(user: User) -> None:
    if not may_read(user.role):
        raise NotAllowed(f"role {user.role!r} may not read complaints")


def _recorder(user: User) -> None:
    if not may_record(user.role):
        raise NotAllowed(f"role {user.role!r} may not record complaints")


def _filters(channel: str | None, start: str | None, end: str | None, town: str | None,
             q: str | None, sort: str | None = None) -> dict:
    """The list's filters and order from the URL (a date that is not one is left out)."""
    return {"channel": channel if channel in COMPLAINT_CHANNELS else None,
            "start": day_or_none(start), "end": day_or_none(end), "town": town or None,
            "search": q or None, "oldest_first": sort == "oldest"}


def _list_page(request: Request, engine: Engine, user: User, lang: str, filters: dict,
               page: int, problems: list[Problem] | None = None,
               status: int = 200) -> Response:
    with engine.connect() as conn:
        found = list_complaints(conn, **filters)
        town_names = towns(conn)
    return render(request, "complaints.html", lang, status_code=status, user=user,
                  page=paginate(found, page), filters=filters, towns=town_names,
                  channels=COMPLAINT_CHANNELS, may_record=may_record(user.role),
                  problems=problems, imported=request.query_params.get("imported"),
                  recorded=request.query_params.get("recorded"),
                  export_query=str(request.url.include_query_params().query),
                  sort_url=sort_url(request, filters["oldest_first"]))


@router.get("/complaints", response_class=HTMLResponse)
def complaint_list(request: Request, engine: EngineDep, user: CurrentUser, lang: LangDep,
                   channel: str | None = None, start: Day = None, end: Day = None,
                   town: str | None = None, q: str | None = None, sort: str | None = None,
                   page: Annotated[int, Query(ge=1)] = 1) -> Response:
    """Complaints by channel, date range, town and text; newest first, 50 a page."""
    _reader(user)
    return _list_page(request, engine, user, lang, _filters(channel, start, end, town, q, sort),
                      page)


@router.get("/complaints/export.xlsx")
def complaint_export(engine: EngineDep, user: CurrentUser, lang: LangDep,
                     channel: str | None = None, start: Day = None, end: Day = None,
                     town: str | None = None, q: str | None = None,
                     sort: str | None = None) -> Response:
    """The list, with its filters and order, as an Excel workbook."""
    _reader(user)
    with engine.connect() as conn:
        found = list_complaints(conn, **_filters(channel, start, end, town, q, sort))
    title = t("complaints.sheet", lang)
    data = write_sheet(sheet.EXPORT_COLUMNS, sheet.export_rows(found), lang, title)
    return xlsx_download(data, f"{title}.xlsx")


@router.get("/complaints/template.xlsx")
def complaint_template(user: CurrentUser, lang: LangDep) -> Response:
    """The import template: the columns' names, no rows."""
    _recorder(user)
    title = t("complaints.sheet", lang)
    return xlsx_download(write_sheet(sheet.COLUMNS, [], lang, title),
                         f"{t('complaints.template', lang)}.xlsx")


@router.post("/complaints/import", response_class=HTMLResponse)
def complaint_import(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
                     lang: LangDep, settings: SettingsDep,
                     file: Annotated[UploadFile, File()]) -> Response:
    """Import an .xlsx: every row read and checked first, then all recorded in one
    transaction, or none and each bad row named (a sync route: parsing runs in the pool)."""
    _recorder(user)
    try:
        data = uploaded(file, settings.max_upload_bytes, lang)
        parsed = read_sheet(data, sheet.COLUMNS, lang)
        with engine.begin() as conn:
            checked = sheet.check_rows(conn, parsed, clock.today(), lang)
            ids = sheet.record_all(conn, checked, user, clock)
    except SheetRefused as refused:
        return _list_page(request, engine, user, lang, _filters(None, None, None, None, None),
                          1, problems=refused.problems, status=422)
    return RedirectResponse(f"/complaints?imported={len(ids)}", status_code=303)


def _form(request: Request, engine: Engine, user: User, lang: str, values: dict,
          errors: dict, status: int = 200) -> Response:
    with engine.connect() as conn:
        bounds = spatial.extent(conn, GRID_CELLS, None)
    return render(request, "complaint_form.html", lang, status_code=status, user=user,
                  values=values, errors=errors, channels=COMPLAINT_CHANNELS, bounds=bounds)


@router.get("/complaints/new", response_class=HTMLResponse)
def complaint_new(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
                  lang: LangDep) -> Response:
    """The form to record one complaint (today's date proposed)."""
    _recorder(user)
    return _form(request, engine, user, lang, {"received_on": clock.today().isoformat()}, {})


@router.post("/complaints/new", response_class=HTMLResponse)
def complaint_create(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
                     lang: LangDep, received_on: FormText = "", channel: FormText = "",
                     summary: FormText = "", lon: FormText = "", lat: FormText = "",
                     site_code: FormText = "", case_reference: FormText = "") -> Response:
    """Record one complaint; the form again with each problem beside its field."""
    _recorder(user)
    form = {"received_on": received_on, "channel": channel, "summary": summary, "lon": lon,
            "lat": lat, "site_code": site_code, "case_reference": case_reference}
    values, errors = sheet.parse_form(form, lang)
    with engine.begin() as conn:
        checked, found = sheet.check(conn, values, clock.today(), lang)
        errors = found | errors  # a field's own problem first
        if not errors and checked is not None:
            sheet.record_all(conn, [checked], user, clock)
    if errors:
        return _form(request, engine, user, lang, form, errors, status=422)
    return RedirectResponse("/complaints?recorded=1", status_code=303)
