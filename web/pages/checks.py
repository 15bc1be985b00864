"""Unannounced and announced checks (明察暗访 / 督查) in the browser: their RecordKind, served
by the record pages (list, form with photos, template, import, export), and a check's own
page with its photos and the button that issues a ticket from its findings."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from inspections.checks import get_check, list_checks, may_read, may_record
from inspections.errors import NotAllowed
from inspections.schema import CHECK_KINDS
from inspections.tickets import may_issue
from web.deps import CurrentUser, EngineDep, LangDep
from web.pages.record_kind import Coded, Ids, ListColumn, RecordKind
from web.pages.record_routes import record_routes
from web.pages.render import render
from web.services import check_sheet as sheet
from web.services.records import tickets_for

CHECKS = RecordKind(
    path="/checks", msg="checks", columns=sheet.COLUMNS, export_columns=sheet.EXPORT_COLUMNS,
    list_columns=(ListColumn("checked_on", "checks.checked_on", "day"),
                  ListColumn("kind", "checks.kind", "chip", "checks.kind."),
                  ListColumn("findings", "checks.findings", "summary"),
                  ListColumn("problems_found", "checks.problems", "chip", "checks.found.",
                             tone="found_tone"),
                  ListColumn("organiser", "checks.organiser"),
                  ListColumn("site_name", "complaints.site_name"),
                  ListColumn("town", "complaints.town"),
                  ListColumn("case_reference", "complaints.case", "case")),
    coded=Coded("kind", CHECK_KINDS, "checks.kind.", "checks.kind"),
    ids=Ids(count="check-count", new="new-check", table="checks", form="check-form"),
    form_template="check_form.html", listed=list_checks, rows=sheet.export_rows,
    check=sheet.check, record=sheet.record_all, may_read=may_read, may_record=may_record,
    noun="checks", date_field="checked_on", photos=True,
    created_url=lambda check_id: f"/checks/{check_id}?recorded=1")

routes = record_routes(CHECKS)
router = routes.router


@router.get("/checks/{check_id:int}", response_class=HTMLResponse)
def check_page(check_id: int, request: Request, engine: EngineDep, user: CurrentUser,
               lang: LangDep) -> Response:
    """One check: what was found where, by whom, its photos, 下发督办单 and the tickets
    issued from it."""
    if not may_read(user.role):
        raise NotAllowed(f"role {user.role!r} may not read checks")
    with engine.connect() as conn:
        check = get_check(conn, check_id)
        issued = tickets_for(conn, user, check_id=check.id)
    return render(request, "check.html", lang, user=user, check=check,
                  may_issue=may_issue(user.role), issued=issued,
                  recorded=request.query_params.get("recorded"))
