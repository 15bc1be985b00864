"""Enforcement actions (执法) in the browser: their RecordKind, served by the record pages
(list, form, template, import, export); fines as the bureau writes them."""

from __future__ import annotations

from decimal import Decimal

from inspections.enforcement import list_records, may_record
from inspections.schema import ENFORCEMENT_KINDS
from web.i18n import t
from web.pages.record_kind import Coded, Ids, ListColumn, RecordKind
from web.pages.record_routes import record_routes
from web.services import enforcement_sheet as sheet


def money(amount: Decimal | None, lang: str) -> str:
    """A fine as the bureau writes it: 万元 from 10,000 yuan, else yuan."""
    if amount is None:
        return "—"
    if amount >= 10_000:
        return t("enforcement.wan", lang, amount=f"{amount / 10_000:,.2f}")
    return t("enforcement.yuan", lang, amount=f"{amount:,.2f}")


ENFORCEMENT = RecordKind(
    path="/enforcement", msg="enforcement", columns=sheet.COLUMNS,
    export_columns=sheet.EXPORT_COLUMNS,
    list_columns=(ListColumn("decided_on", "enforcement.decided_on", "day"),
                  ListColumn("kind", "enforcement.kind", "chip", "enforcement.kind."),
                  ListColumn("number", "enforcement.number", "summary"),
                  ListColumn("fine_yuan", "enforcement.fine", "money"),
                  ListColumn("persons", "enforcement.persons", "num"),
                  ListColumn("site_name", "complaints.site_name"),
                  ListColumn("town", "complaints.town"),
                  ListColumn("case_reference", "complaints.case", "case")),
    coded=Coded("kind", ENFORCEMENT_KINDS, "enforcement.kind.", "enforcement.kind"),
    ids=Ids(count="action-count", new="new-action", table="actions", form="action-form"),
    form_template="enforcement_form.html", listed=list_records, rows=sheet.export_rows,
    check=sheet.check, record=sheet.record_all, may_read=may_record, may_record=may_record,
    noun="enforcement actions", date_field="decided_on", money=money)

routes = record_routes(ENFORCEMENT)
router = routes.router
enforcement_import = routes.import_file
