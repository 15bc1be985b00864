"""Environmental complaints (环境信访举报) in the browser: their RecordKind, served by the
record pages (list, form with a map pin, template, import, export)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from geo import spatial
from geo.layers import GRID_CELLS
from inspections.complaints import list_complaints, may_read, may_record
from inspections.schema import COMPLAINT_CHANNELS
from web.pages.record_kind import Coded, Ids, ListColumn, RecordKind
from web.pages.record_routes import record_routes
from web.services import complaint_sheet as sheet


def _form_context(conn: sa.Connection) -> dict[str, Any]:
    """The pin map's extent: the district's grid cells."""
    return {"bounds": spatial.extent(conn, GRID_CELLS, None)}


COMPLAINTS = RecordKind(
    path="/complaints", msg="complaints", columns=sheet.COLUMNS,
    export_columns=sheet.EXPORT_COLUMNS,
    list_columns=(ListColumn("received_on", "complaints.received_on", "day"),
                  ListColumn("channel", "complaints.channel", "chip", "channel."),
                  ListColumn("summary", "complaints.summary", "summary"),
                  ListColumn("site_name", "complaints.site_name"),
                  ListColumn("town", "complaints.town"),
                  ListColumn("case_reference", "complaints.case", "case")),
    coded=Coded("channel", COMPLAINT_CHANNELS, "channel.", "complaints.channel"),
    ids=Ids(count="complaint-count", new="new-complaint", table="complaints",
            form="complaint-form"),
    form_template="complaint_form.html", listed=list_complaints, rows=sheet.export_rows,
    check=sheet.check, record=sheet.record_all, may_read=may_read, may_record=may_record,
    noun="complaints", date_field="received_on", form_context=_form_context)

routes = record_routes(COMPLAINTS)
router = routes.router
complaint_import = routes.import_file
