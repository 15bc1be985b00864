"""The ledgers (台账) in the browser: a page with an Excel export per ledger and the import
form, the export of chosen ledgers as one workbook (what the user sees of them), and the
import of a workbook (every sheet a ledger; all rows or none, each bad one named by sheet,
row and column). The list pages (cases, tickets, look-back review, complaints, enforcement)
link here with their own 导出Excel and 导入台账. Every route is a plain (threaded) function."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inspections.errors import NotAllowed
from web.accounts.users import User
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep, SettingsDep
from web.i18n import t
from web.pages.record_pages import uploaded, xlsx_download
from web.pages.render import render
from web.services.ledger_book import export_book, import_book
from web.services.ledgers import LEDGERS
from web.services.xlsx import Problem, SheetRefused

router = APIRouter(include_in_schema=False)


def exportable(user: User) -> list[str]:
    """The ledgers the user may export, in the workbook's order."""
    return [code for code, ledger in LEDGERS.items() if ledger.may_export(user.role)]


def importable(user: User, codes: tuple[str, ...] | None = None) -> bool:
    """Whether the user may import any of the ledgers (of `codes`, else of all)."""
    return any(LEDGERS[c].may_import(user.role) for c in (codes or tuple(LEDGERS)))


def export_url(codes: tuple[str, ...]) -> str:
    """The link that downloads these ledgers as one workbook."""
    return "/ledgers/export.xlsx?" + urlencode([("sheet", c) for c in codes])


def _page(request: Request, user: User, lang: str, problems: list[Problem] | None = None,
          status: int = 200) -> Response:
    q = request.query_params
    return render(request, "ledgers.html", lang, status_code=status, user=user,
                  ledgers=[LEDGERS[c] for c in exportable(user)], export_url=export_url,
                  may_import=importable(user), problems=problems,
                  created=q.get("created"), updated=q.get("updated"),
                  names="、".join(t(ledger.title, lang) for ledger in LEDGERS.values()))


@router.get("/ledgers", response_class=HTMLResponse)
def ledger_page(request: Request, user: CurrentUser, lang: LangDep) -> Response:
    """Each ledger the user may export, and the import form for those who may import."""
    if not exportable(user):
        raise NotAllowed(f"role {user.role!r} may not export ledgers")
    return _page(request, user, lang)


@router.get("/ledgers/export.xlsx")
def export(engine: EngineDep, clock: ClockDep, user: CurrentUser, lang: LangDep,
           sheet: Annotated[list[str] | None, Query()] = None) -> Response:
    """The ledgers asked for (all the user may export when none is) as one workbook, one
    sheet each, with the records the user sees."""
    codes = [c for c in dict.fromkeys(sheet or ()) if c in LEDGERS] or exportable(user)
    with engine.connect() as conn:
        data = export_book(conn, codes, user, clock, lang)
    titles = [t(LEDGERS[c].title, lang) for c in codes] if len(codes) < 3 else []
    return xlsx_download(data, "、".join(titles) + t("ledger.title", lang) + ".xlsx")


@router.post("/ledgers/import", response_class=HTMLResponse)
def import_file(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
                lang: LangDep, settings: SettingsDep,
                file: Annotated[UploadFile, File()]) -> Response:
    """Import a workbook: all its sheets' rows in one transaction, or none and the ledger
    page with every problem by sheet, row and column."""
    if not importable(user):
        raise NotAllowed(f"role {user.role!r} may not import ledgers")
    try:
        data = uploaded(file, settings.max_upload_bytes, lang)
        with engine.begin() as conn:
            done = import_book(conn, data, user, clock, lang)
    except SheetRefused as refused:
        return _page(request, user, lang, refused.problems, status=422)
    query = urlencode({"created": sum(done.created.values()),
                       "updated": sum(done.updated.values())})
    return RedirectResponse(f"/ledgers?{query}", status_code=303)
