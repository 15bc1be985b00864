"""What one case's page shows: the header, the steps this user may take now, measures,
evidence photos and the history in the user's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from geo.layers import SITES
from inspections import audit, organisation, tickets, workflow
from inspections.assessment import current
from inspections.cases import ASSIGN_ROLES, Case
from inspections.clock import Clock
from inspections.errors import IllegalTransition, NotAllowed
from inspections.rectification_tasks import VIEW_ROLES, get_task
from inspections.schema import case_photos, objections
from web.accounts.users import User
from web.i18n import t
from web.pages.labels import action_label

# The page's steps, in the order of the loop, with the workflow step each one takes.
STEP_ACTIONS = (("start", "start_rectification"), ("measure", "complete_measure"),
                ("claim", "claim_rectified"), ("accept", "accept"),
                ("return", "return_for_rework"), ("assess", "assess"),
                ("publicise", "publicise"),
                ("decide", "decide_objection"), ("close", "close"))


@dataclass(frozen=True)
class Objection:
    """An objection waiting for a leader's decision."""

    id: int
    text: str
    received_at: Any


def long_date(day: date | None, lang: str) -> str:
    """A date as the bureau writes it (2021年4月6日), or ISO in English."""
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.isoformat()


def _may(conn: sa.Connection, case: Case, action: str, user: User) -> bool:
    try:
        workflow.check_allowed(conn, case, action, user.actor)
        workflow.check_state(case, action)
    except (NotAllowed, IllegalTransition):
        return False
    return True


def undecided_objections(conn: sa.Connection, case: Case) -> list[Objection]:
    """The case's objections with no decision yet, oldest first."""
    rows = conn.execute(sa.select(objections.c.id, objections.c.text,
                                  objections.c.received_at)
                        .where(objections.c.case_id == case.id,
                               objections.c.decision.is_(None))
                        .order_by(objections.c.id)).all()
    return [Objection(r.id, r.text, r.received_at) for r in rows]


def actions_for(conn: sa.Connection, case: Case, user: User, today: date,
                pending: list[Objection]) -> list[str]:
    """The steps this user may take on the case now, in the loop's order."""
    found = [name for name, action in STEP_ACTIONS if _may(conn, case, action, user)]
    if "measure" in found and all(m.done_at for m in case.measures):
        found.remove("measure")
    if "decide" in found and not pending:
        found.remove("decide")
    if "close" in found and (pending or case.notice_end is None or today <= case.notice_end):
        found.remove("close")
    if case.state in ("open", "rectifying") and user.role in workflow.DEADLINE_ROLES:
        found.append("deadline")
    if case.state != "closed" and user.role in ASSIGN_ROLES and (
            user.role != "unit" or user.unit == case.responsible_unit):
        found.append("assign")
    return found


def days_left(case: Case, today: date, lang: str) -> tuple[str, bool]:
    """"还剩 N 天" or "已逾期 N 天" (nothing once the case is closed); whether overdue."""
    if case.state == "closed":
        return "", False
    left = (case.deadline - today).days
    if left < 0:
        return t("loop.overdue_days", lang, days=-left), True
    return t("loop.days_left", lang, days=left), False


def history(conn: sa.Connection, case: Case, lang: str) -> list[dict[str, Any]]:
    """The case's audit entries with their actions in words, oldest first."""
    return [{"at": r["at"], "actor": r["actor"], "role": r["role"], "note": r["note"],
             "label": action_label(_with_decision(r), lang)}
            for r in audit.case_timeline(conn, case.id)]


def _with_decision(entry: Any) -> str:
    """An objection's decision names what was decided (驳回 or 采纳)."""
    data = entry["data"] if isinstance(entry["data"], dict) else {}
    if entry["action"] == "objection.decide" and data.get("decision"):
        return f"objection.decide.{data['decision']}"
    return entry["action"]


def photo_grid(conn: sa.Connection, case: Case) -> list[dict[str, Any]]:
    """The case's evidence photos with their purpose and measure, in photo order."""
    rows = conn.execute(sa.select(case_photos.c.photo_id, case_photos.c.purpose,
                                  case_photos.c.measure_id)
                        .where(case_photos.c.case_id == case.id)
                        .order_by(case_photos.c.photo_id)).all()
    positions = {m.id: m.position for m in case.measures}
    seen: dict[int, dict[str, Any]] = {}
    for r in rows:
        seen.setdefault(r.photo_id, {"id": r.photo_id, "purpose": r.purpose,
                                     "measure": positions.get(r.measure_id)})
    return list(seen.values())


def case_sites(conn: sa.Connection, case: Case) -> list[dict[str, Any]]:
    """The case's sites (code, name), by code: each links to the map centred on it."""
    if not case.site_ids:
        return []
    table = SITES.table
    return [dict(r) for r in conn.execute(
        sa.select(table.c.code, table.c.name).where(table.c.id.in_(case.site_ids))
        .order_by(table.c.code)).mappings()]


def assessment_view(conn: sa.Connection, case: Case, lang: str) -> dict[str, Any]:
    """The case's latest assessment as the page shows it, or why there is none: not yet, or
    publicised before assessments were recorded (never an invented conclusion)."""
    found = current(conn, case.id, case.state)
    if found is not None:
        return {"conclusion": found.conclusion, "by": found.assessed_by,
                "at": found.assessed_at,
                "documents": [{"id": d.id, "name": d.name,
                               "kb": max(1, round(d.size_bytes / 1024))}
                              for d in found.documents]}
    legacy = case.state in ("publicised", "closed")  # publicised before the step existed
    return {"missing": t("loop.assessment_legacy" if legacy else "loop.assessment_none", lang)}


def task_of_case(conn: sa.Connection, case: Case, user: User) -> dict[str, Any] | None:
    """The rectification task the case is part of (id, title), for those who see tasks."""
    if case.task_id is None or user.role not in VIEW_ROLES:
        return None
    task = get_task(conn, case.task_id)
    return {"id": task.id, "title": task.title}


def page_context(conn: sa.Connection, case: Case, user: User, clock: Clock,
                 lang: str) -> dict[str, Any]:
    """Everything the case page shows besides the form state."""
    today = clock.today()
    pending = undecided_objections(conn, case)
    left, overdue = days_left(case, today, lang)
    done = sum(1 for m in case.measures if m.done_at)
    return {"case": case, "actions": actions_for(conn, case, user, today, pending),
            "assessment": assessment_view(conn, case, lang),
            "objections": pending, "days_left": left, "is_overdue": overdue,
            "deadline_text": long_date(case.deadline, lang),
            "notice_text": (t("cases.notice", lang, start=long_date(case.notice_start, lang),
                              end=long_date(case.notice_end, lang))
                            if case.notice_start else ""),
            "may_issue_ticket": tickets.may_issue(user.role) and case.state != "closed",
            "sites": case_sites(conn, case), "task": task_of_case(conn, case, user),
            "measures_done": done, "photos": photo_grid(conn, case),
            "history": history(conn, case, lang), "today": today,
            "org_records": organisation_of(conn, case, user, lang)}


def organisation_of(conn: sa.Connection, case: Case, user: User,
                    lang: str) -> list[tuple[str, organisation.OrganisationRecord]] | None:
    """The meetings, instructions and checks about the case, each with its date as the
    bureau writes it; None for a role that does not read them."""
    if not organisation.may_read(user.role):
        return None
    return [(long_date(r.held_on, lang), r) for r in organisation.records_of_case(conn, case.id)]
