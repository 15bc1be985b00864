"""The record pages of one kind (complaints, enforcement, checks), from its RecordKind: the
list (filters in the URL, 50 a page), the form, the import template, the import from Excel
(all rows or none, each bad row named by row and column) and the export of the list. Every
route is a plain (threaded) function; the only awaiting is the form's parsing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Engine
from starlette.datastructures import FormData
from starlette.datastructures import UploadFile as SentFile

from imagery.errors import ImageryError
from inspections.clock import Clock
from inspections.complaints import towns
from inspections.errors import NotAllowed
from web.accounts.users import User
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep, SettingsDep
from web.i18n import t
from web.pages.form_photos import store_form_photos
from web.pages.listing import paginate
from web.pages.record_kind import RecordKind
from web.pages.record_pages import day_or_none, sort_url, uploaded, xlsx_download
from web.pages.render import render
from web.pages.ticket_forms import photo_error
from web.services.uploads import UploadOptions
from web.services.xlsx import (
    Problem,
    SheetRefused,
    check_all,
    parse_fields,
    read_sheet,
    write_sheet,
)
from web.settings import Settings
from web.store import file_store


async def sent_form(request: Request) -> FormData:
    """The form the request sent (parsed once; the CSRF check has read it already)."""
    return await request.form()


SentForm = Annotated[FormData, Depends(sent_form)]


def _may(allowed: bool, user: User, verb: str, kind: RecordKind) -> None:
    if not allowed:
        raise NotAllowed(f"role {user.role!r} may not {verb} {kind.noun}")


def filters_of(kind: RecordKind, q: Mapping[str, str]) -> dict[str, Any]:
    """The list's filters and order from the URL's parameters (a date or code that is not
    one is left out), as the kind's list query takes them."""
    code = q.get(kind.coded.param)
    return {kind.coded.param: code if code in kind.coded.choices else None,
            "start": day_or_none(q.get("start")), "end": day_or_none(q.get("end")),
            "town": q.get("town") or None, "search": q.get("q") or None,
            "oldest_first": q.get("sort") == "oldest"}


def _list_page(request: Request, engine: Engine, user: User, lang: str, kind: RecordKind,
               filters: dict[str, Any], number: int, problems: list[Problem] | None = None,
               status: int = 200) -> Response:
    with engine.connect() as conn:
        page = paginate(kind.listed(conn, **filters), number)
        town_names = towns(conn)
    return render(request, "records.html", lang, status_code=status, user=user, kind=kind,
                  page=page, rows=kind.rows(page.rows), filters=filters, towns=town_names,
                  may_record=kind.may_record(user.role), problems=problems,
                  money=(lambda amount: kind.money(amount, lang)) if kind.money else None,
                  imported=request.query_params.get("imported"),
                  recorded=request.query_params.get("recorded"),
                  export_query=str(request.url.include_query_params().query),
                  sort_url=sort_url(request, filters["oldest_first"]))


def _form_page(request: Request, engine: Engine, user: User, lang: str, kind: RecordKind,
               values: dict[str, Any], errors: dict[str, str], status: int = 200) -> Response:
    with engine.connect() as conn:
        extra = kind.form_context(conn)
    return render(request, kind.form_template, lang, status_code=status, user=user,
                  kind=kind, values=values, errors=errors, **extra)


def _photos(form: FormData, kind: RecordKind, engine: Engine, clock: Clock, user: User,
            settings: Settings) -> list[int]:
    if not kind.photos:
        return []
    files = [f for f in form.getlist("photos") if isinstance(f, SentFile)]
    return store_form_photos(files, engine=engine, clock=clock, user=user,  # type: ignore[arg-type]
                             store=file_store(settings),
                             options=UploadOptions.of(settings))


def _create(request: Request, engine: Engine, clock: Clock, user: User, lang: str,
            settings: Settings, kind: RecordKind, form: FormData) -> Response:
    """Check the form, store its photos, then record it in one transaction; the form again
    with each problem beside its field (nothing recorded) otherwise."""
    typed = {c.field: str(form.get(c.field) or "") for c in kind.columns}
    values, errors = parse_fields(typed, kind.columns, lang)
    with engine.connect() as conn:
        errors = kind.check(conn, values, clock.today(), lang, None)[1] | errors
    photo_ids: list[int] = []
    if not errors:
        try:
            photo_ids = _photos(form, kind, engine, clock, user, settings)
        except ImageryError as exc:
            errors = {"photos": photo_error(exc, lang)}
    if not errors:
        with engine.begin() as conn:
            checked, errors = kind.check(conn, values, clock.today(), lang, None)
            if not errors:
                if kind.photos:
                    checked = replace(checked, photo_ids=tuple(photo_ids))
                [new_id] = kind.record(conn, [checked], user, clock)
    if errors:
        return _form_page(request, engine, user, lang, kind, typed, errors, status=422)
    done = kind.created_url(new_id) if kind.created_url else f"{kind.path}?recorded=1"
    return RedirectResponse(done, status_code=303)


def _import(request: Request, engine: Engine, clock: Clock, user: User, lang: str,
            settings: Settings, kind: RecordKind, file: UploadFile) -> Response:
    """Every row read and checked first, then all recorded in one transaction, or none and
    each bad row named by row and column."""
    try:
        parsed = read_sheet(uploaded(file, settings.max_upload_bytes, lang), kind.columns, lang)
        with engine.begin() as conn:
            seen: set = set()
            checked = check_all(parsed, kind.columns, lang, lambda values: kind.check(
                conn, values, clock.today(), lang, seen))
            ids = kind.record(conn, checked, user, clock)
    except SheetRefused as refused:
        return _list_page(request, engine, user, lang, kind, filters_of(kind, {}), 1,
                          problems=refused.problems, status=422)
    return RedirectResponse(f"{kind.path}?imported={len(ids)}", status_code=303)


@dataclass(frozen=True)
class RecordRoutes:
    """A kind's router and its import route (named for the tests that check it is threaded)."""

    router: APIRouter
    import_file: Any


def record_routes(kind: RecordKind) -> RecordRoutes:
    """The list, export, template, import and form routes of one kind of record."""
    router = APIRouter(include_in_schema=False)
    sheet_title = f"{kind.msg}.sheet"

    @router.get(kind.path, response_class=HTMLResponse)
    def listing(request: Request, engine: EngineDep, user: CurrentUser, lang: LangDep,
                page: Annotated[int, Query(ge=1)] = 1) -> Response:
        """The records by code, date range, town and text; newest first, 50 a page."""
        _may(kind.may_read(user.role), user, "read", kind)
        filters = filters_of(kind, request.query_params)
        return _list_page(request, engine, user, lang, kind, filters, page)

    @router.get(f"{kind.path}/export.xlsx")
    def export(request: Request, engine: EngineDep, user: CurrentUser,
               lang: LangDep) -> Response:
        """The list, with its filters and order, as an Excel workbook."""
        _may(kind.may_read(user.role), user, "read", kind)
        with engine.connect() as conn:
            found = kind.listed(conn, **filters_of(kind, request.query_params))
        title = t(sheet_title, lang)
        data = write_sheet(kind.export_columns, kind.rows(found), lang, title)
        return xlsx_download(data, f"{title}.xlsx")

    @router.get(f"{kind.path}/template.xlsx")
    def template(user: CurrentUser, lang: LangDep) -> Response:
        """The import template: the columns' names, no rows."""
        _may(kind.may_record(user.role), user, "record", kind)
        return xlsx_download(write_sheet(kind.columns, [], lang, t(sheet_title, lang)),
                             f"{t('complaints.template', lang)}.xlsx")

    @router.post(f"{kind.path}/import", response_class=HTMLResponse)
    def import_file(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
                    lang: LangDep, settings: SettingsDep,
                    file: Annotated[UploadFile, File()]) -> Response:
        """Import an .xlsx, all rows or none (a sync route: parsing runs in the pool)."""
        _may(kind.may_record(user.role), user, "record", kind)
        return _import(request, engine, clock, user, lang, settings, kind, file)

    @router.get(f"{kind.path}/new", response_class=HTMLResponse)
    def new(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
            lang: LangDep) -> Response:
        """The form to record one (today's date proposed)."""
        _may(kind.may_record(user.role), user, "record", kind)
        return _form_page(request, engine, user, lang, kind,
                          {kind.date_field: clock.today().isoformat()}, {})

    @router.post(f"{kind.path}/new", response_class=HTMLResponse)
    def create(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
               lang: LangDep, settings: SettingsDep, form: SentForm) -> Response:
        """Record one; the form again with each problem beside its field."""
        _may(kind.may_record(user.role), user, "record", kind)
        return _create(request, engine, clock, user, lang, settings, kind, form)

    return RecordRoutes(router, import_file)
