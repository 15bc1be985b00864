"""Tables of the rectification domain (mirrors the inspections migrations).

The `state` columns are projections kept for querying; the history of every change is the
append-only, hash-chained audit log.
"""

from __future__ import annotations

import sqlalchemy as sa

from geo.geometry_type import Geometry
from geo.layers import Layer
from geo.schema import metadata

CASE_SOURCES = ("inspection_feedback", "petition", "patrol", "lookback")
CASE_STATES = ("open", "rectifying", "rectified", "accepted", "assessed", "publicised",
               "closed")
CONFIGURABLE_STEPS = ("accept", "assess")  # whose roles case_step_roles may set per source
ROUND_STATES = ("scheduled", "due", "awaiting_review", "passed", "recurred", "overdue")
TICKET_STATES = ("issued", "responded", "verified", "overdue")
ENFORCEMENT_KINDS = ("penalty_decision", "police_referral", "administrative_detention",
                     "criminal_case", "seizure_or_limit")
COMPLAINT_CHANNELS = ("hotline_12369", "web", "letter", "visit", "other")
PHOTO_PURPOSES = ("rectification", "acceptance", "patrol", "evidence")
CHECK_KINDS = ("unannounced", "announced")  # 明察暗访, 督查
ORGANISATION_KINDS = ("meeting", "instruction", "leader_check")  # 会议, 批示, 带队督查
RECEIVED_KINDS = ("photo", "orthophoto")
RECEIVED_STATES = ("processing", "stored", "duplicate", "rejected")
REPORT_PERIOD_KINDS = ("month", "year")
CHANGE_STATES = ("unreviewed", "confirmed", "dismissed")


def _in(column: str, values: tuple[str, ...], name: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} IN {values!r}", name=name)


def _fk(target: str, **kw: object) -> sa.ForeignKey:
    return sa.ForeignKey(target, ondelete="CASCADE", **kw)


rectification_tasks = sa.Table(  # 整改任务: cases (sites) accepted, assessed, reported as one
    "rectification_tasks", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("inspection", sa.String(100)),  # e.g. 2018年“回头看”
    sa.Column("serial", sa.String(50)),  # 督察序号, as the inspection numbers it
    sa.Column("contact_person", sa.String(100)),  # the closure report's contact, over the
    sa.Column("contact_phone", sa.String(50)),  # settings' (a case's own over these)
    sa.Column("contact_email", sa.String(200)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
)

cases = sa.Table(
    "cases", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reference", sa.String(64), nullable=False),
    sa.Column("source", sa.String(24), nullable=False),
    sa.Column("batch", sa.Integer),
    # The inspection (督察) a feedback problem or petition came from, e.g. the second round.
    sa.Column("inspection", sa.String(100)),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("responsible_unit", sa.String(100), nullable=False),
    sa.Column("leader", sa.String(100)),
    sa.Column("deadline", sa.Date, nullable=False),
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("key_case", sa.Boolean, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("is_recurrence", sa.Boolean, nullable=False),
    sa.Column("geom", Geometry),
    sa.Column("notice_start", sa.Date),
    sa.Column("notice_end", sa.Date),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    sa.Column("lookback_agency", sa.String(100)),
    sa.Column("person_in_charge", sa.String(100)),  # 责任人 at the responsible unit
    # The rectification task (整改任务) the case is part of, if any.
    sa.Column("task_id", sa.Integer, sa.ForeignKey("rectification_tasks.id",
                                                   ondelete="SET NULL",
                                                   name="fk_cases_task_id")),
    # The closure report's contact for this case, over its task's and the settings'.
    sa.Column("contact_person", sa.String(100)),
    sa.Column("contact_phone", sa.String(50)),
    sa.Column("contact_email", sa.String(200)),
    sa.UniqueConstraint("reference", name="uq_cases_reference"),
    _in("source", CASE_SOURCES, "ck_cases_source"),
    _in("state", CASE_STATES, "ck_cases_state"),
    sa.Index("ix_cases_source_inspection", "source", "inspection"),
    sa.Index("ix_cases_task_id", "task_id"),
)

measures = sa.Table(
    "measures", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("case_id", sa.Integer, _fk("cases.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("done_at", sa.DateTime(timezone=True)),
    sa.Column("note", sa.Text),
    sa.UniqueConstraint("case_id", "position", name="uq_measures_case_position"),
)

case_sites = sa.Table(
    "case_sites", metadata,
    sa.Column("case_id", sa.Integer, _fk("cases.id"), primary_key=True),
    sa.Column("site_id", sa.Integer, _fk("sites.id"), primary_key=True),
)

case_photos = sa.Table(
    "case_photos", metadata,
    sa.Column("case_id", sa.Integer, _fk("cases.id"), primary_key=True),
    sa.Column("photo_id", sa.Integer, _fk("photos.id"), primary_key=True),
    sa.Column("purpose", sa.String(16), primary_key=True),
    sa.Column("measure_id", sa.Integer, _fk("measures.id")),
    sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("linked_by", sa.String(100), nullable=False),
    _in("purpose", PHOTO_PURPOSES, "ck_case_photos_purpose"),
)

objections = sa.Table(
    "objections", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("case_id", sa.Integer, _fk("cases.id"), nullable=False),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("contact", sa.String(100)),  # how to reach whoever raised it (never public)
    sa.Column("submitter", sa.String(50)),  # their name, when given
    sa.Column("decision", sa.String(16)),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("decided_by", sa.String(100)),
    sa.CheckConstraint("decision IS NULL OR decision IN ('upheld', 'dismissed')",
                       name="ck_objections_decision"),
)

lookback_rounds = sa.Table(
    "lookback_rounds", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("case_id", sa.Integer, _fk("cases.id"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
    sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
    sa.Column("agency", sa.String(100)),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("reviewed_at", sa.DateTime(timezone=True)),
    sa.Column("reviewed_by", sa.String(100)),
    sa.Column("note", sa.Text),
    sa.UniqueConstraint("case_id", "number", name="uq_lookback_rounds_case_number"),
    _in("state", ROUND_STATES, "ck_lookback_rounds_state"),
)

round_photos = sa.Table(
    "round_photos", metadata,
    sa.Column("round_id", sa.Integer, _fk("lookback_rounds.id"), primary_key=True),
    sa.Column("photo_id", sa.Integer, _fk("photos.id"), primary_key=True),
)

tickets = sa.Table(
    "tickets", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("number", sa.String(32), nullable=False),
    sa.Column("case_id", sa.Integer, _fk("cases.id")),
    sa.Column("round_id", sa.Integer, _fk("lookback_rounds.id")),
    sa.Column("responsible_unit", sa.String(100), nullable=False),
    sa.Column("copy_to_leader", sa.String(100)),
    sa.Column("deadline", sa.Date, nullable=False),
    sa.Column("request", sa.Text, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("issued_by", sa.String(100), nullable=False),
    sa.Column("response", sa.Text),
    sa.Column("responded_at", sa.DateTime(timezone=True)),
    sa.Column("verified_at", sa.DateTime(timezone=True)),
    sa.Column("verified_by", sa.String(100)),
    sa.Column("escalated_at", sa.DateTime(timezone=True)),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="SET NULL",
                                                   name="fk_tickets_site_id")),
    sa.Column("check_id", sa.Integer, sa.ForeignKey("checks.id", ondelete="SET NULL",
                                                    name="fk_tickets_check_id")),
    sa.UniqueConstraint("number", name="uq_tickets_number"),
    _in("state", TICKET_STATES, "ck_tickets_state"),
)

ticket_photos = sa.Table(
    "ticket_photos", metadata,
    sa.Column("ticket_id", sa.Integer, _fk("tickets.id"), primary_key=True),
    sa.Column("photo_id", sa.Integer, _fk("photos.id"), primary_key=True),
)

enforcement_actions = sa.Table(
    "enforcement_actions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="SET NULL")),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="SET NULL")),
    sa.Column("decided_on", sa.Date, nullable=False),
    sa.Column("number", sa.String(64), nullable=False),
    sa.Column("fine_yuan", sa.Numeric(14, 2)),
    sa.Column("document_ref", sa.String(200)),
    sa.Column("persons", sa.Integer),
    sa.UniqueConstraint("kind", "number", name="uq_enforcement_kind_number"),
    _in("kind", ENFORCEMENT_KINDS, "ck_enforcement_kind"),
)

complaints = sa.Table(
    "complaints", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("received_on", sa.Date, nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("geom", Geometry),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="SET NULL")),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="SET NULL")),
    _in("channel", COMPLAINT_CHANNELS, "ck_complaints_channel"),
)

checks = sa.Table(  # 明察暗访 / 督查: a check on a site, its findings and photos
    "checks", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("checked_on", sa.Date, nullable=False),
    sa.Column("organiser", sa.String(100), nullable=False),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="SET NULL")),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="SET NULL")),
    sa.Column("findings", sa.Text, nullable=False),
    sa.Column("problems_found", sa.Boolean, nullable=False),
    sa.Column("recorded_by", sa.String(100), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    _in("kind", CHECK_KINDS, "ck_checks_kind"),
    sa.Index("ix_checks_checked_on", "checked_on"),
)

check_photos = sa.Table(
    "check_photos", metadata,
    sa.Column("check_id", sa.Integer, _fk("checks.id"), primary_key=True),
    sa.Column("photo_id", sa.Integer, _fk("photos.id"), primary_key=True),
)

flights = sa.Table(  # 航飞批次: a drone flight handed over for a look-back round or a case
    "flights", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("round_id", sa.Integer, sa.ForeignKey("lookback_rounds.id", ondelete="SET NULL")),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="SET NULL")),
    sa.Column("metadata_only", sa.Boolean, nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

received_files = sa.Table(  # a file received by resumable upload, and its ingest's outcome
    "received_files", metadata,
    sa.Column("uid", sa.String(64), primary_key=True),
    sa.Column("uploaded_by", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("flight_id", sa.Integer, _fk("flights.id")),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("size_bytes", sa.BigInteger, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("photo_id", sa.Integer, sa.ForeignKey("photos.id", ondelete="SET NULL")),
    sa.Column("reason", sa.Text),
    sa.Column("result", sa.JSON),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    _in("kind", RECEIVED_KINDS, "ck_received_files_kind"),
    _in("state", RECEIVED_STATES, "ck_received_files_state"),
    sa.Index("ix_received_files_flight", "flight_id"),
)

case_assessments = sa.Table(  # 销号评估: the assessment group's conclusion on an accepted case
    "case_assessments", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("case_id", sa.Integer, _fk("cases.id"), nullable=False),
    sa.Column("conclusion", sa.Text, nullable=False),
    sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("assessed_by", sa.String(100), nullable=False),
    sa.Index("ix_case_assessments_case", "case_id"),
)

assessment_documents = sa.Table(  # the assessment's documents (PDF, DOCX, scans) in the store
    "assessment_documents", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("assessment_id", sa.Integer, _fk("case_assessments.id"), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("media_type", sa.String(100), nullable=False),
    sa.Column("size_bytes", sa.BigInteger, nullable=False),
    sa.Index("ix_assessment_documents_sha256", "sha256"),
)

case_step_roles = sa.Table(  # which roles take a configurable step for a case source
    "case_step_roles", metadata,
    sa.Column("source", sa.String(24), primary_key=True),
    sa.Column("step", sa.String(16), primary_key=True),
    sa.Column("roles", sa.String(200), nullable=False),  # comma-separated role names
    _in("source", CASE_SOURCES, "ck_case_step_roles_source"),
    _in("step", CONFIGURABLE_STEPS, "ck_case_step_roles_step"),
)

organisation_records = sa.Table(  # 组织领导: meetings, leaders' written instructions, site checks
    "organisation_records", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("leader", sa.String(100), nullable=False),  # who chaired, wrote or led it
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("recorded_by", sa.String(100), nullable=False),
    _in("kind", ORGANISATION_KINDS, "ck_organisation_records_kind"),
    sa.Index("ix_organisation_records_held_on", "held_on"),
)

organisation_record_cases = sa.Table(  # the cases a meeting, instruction or check was about
    "organisation_record_cases", metadata,
    sa.Column("record_id", sa.Integer, _fk("organisation_records.id"), primary_key=True),
    sa.Column("case_id", sa.Integer, _fk("cases.id"), primary_key=True),
)

report_texts = sa.Table(  # a progress report's written paragraphs, per period and part
    "report_texts", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("month", sa.Integer),  # none for a year's report
    sa.Column("part", sa.String(32), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.String(100), nullable=False),
    sa.UniqueConstraint("kind", "year", "month", "part", name="uq_report_texts_period_part"),
    _in("kind", REPORT_PERIOD_KINDS, "ck_report_texts_kind"),
    sa.CheckConstraint("(kind = 'year' AND month IS NULL) OR "
                       "(kind = 'month' AND month IS NOT NULL AND month BETWEEN 1 AND 12)",
                       name="ck_report_texts_month"),
)

change_polygons = sa.Table(  # 变化图斑: where a site's ground changed between two images
    "change_polygons", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("site_id", sa.Integer, _fk("sites.id"), nullable=False),
    sa.Column("before_photo_id", sa.Integer, _fk("photos.id"), nullable=False),
    sa.Column("after_photo_id", sa.Integer, _fk("photos.id"), nullable=False),
    sa.Column("geom", Geometry, nullable=False),
    sa.Column("area_m2", sa.Float, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("shift_m", sa.Float, nullable=False),
    # Thumbnails are derived files of the after photo in the store: their variant names.
    sa.Column("before_thumb", sa.String(100), nullable=False),
    sa.Column("after_thumb", sa.String(100), nullable=False),
    sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("round_id", sa.Integer,  # the recurred round a confirmed polygon backs
              sa.ForeignKey("lookback_rounds.id", ondelete="SET NULL")),
    sa.Column("reason", sa.Text),  # why it was dismissed
    sa.Column("reviewed_by", sa.String(100)),
    sa.Column("reviewed_at", sa.DateTime(timezone=True)),
    _in("state", CHANGE_STATES, "ck_change_polygons_state"),
    sa.Index("ix_change_polygons_site_state", "site_id", "state"),
    sa.Index("ix_change_polygons_after", "after_photo_id"),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("action", sa.String(48), nullable=False),
    sa.Column("entity", sa.String(24), nullable=False),
    sa.Column("entity_id", sa.Integer, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    # "sha256" (plain, before the installation had a key) or "hmac-sha256" (keyed)
    sa.Column("scheme", sa.String(16), nullable=False, server_default="sha256"),
)

CASES = Layer("cases", cases, ("reference",))
