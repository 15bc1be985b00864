"""Commands on the rectification work: cases, look-back rounds, the daily tick, stats."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from inspections.clock import Clock
from inspections.errors import InspectionError
from web.cli.audit_messages import anchor_or_stop, say_anchored
from web.cli.layers import JsonOpt
from web.cli.output import emit_json, fail, local_time, print_table
from web.i18n import t
from web.i18n.catalog import MESSAGES

if TYPE_CHECKING:  # the rest is imported inside the commands: see web/cli/__init__.py
    from inspections.cases import Case

cases_app = typer.Typer(help="Rectification cases.", no_args_is_help=True)
lookbacks_app = typer.Typer(help="Look-back rounds of closed cases.", no_args_is_help=True)


def _engine():  # noqa: ANN202
    from web.clock import clock_for
    from web.database import engine_for, init_database
    from web.settings import Settings

    settings = Settings()
    engine = engine_for(settings)
    init_database(engine)
    return engine, clock_for(settings, engine)


def _case_line(case: Case, clock: Clock) -> dict:
    from inspections import progress

    p = progress.progress(case, clock.now(), tz=clock.tz)
    return {"id": case.id, "reference": case.reference, "source": case.source,
            "batch": case.batch, "inspection": case.inspection, "title": case.title,
            "responsible_unit": case.responsible_unit,
            "deadline": case.deadline.isoformat(), "state": case.state,
            "key_case": case.key_case, "is_recurrence": case.is_recurrence,
            "progress": {"done_share": round(p.done_share, 4),
                         "time_share": round(p.time_share, 4),
                         "behind_schedule": p.behind_schedule, "overdue": p.overdue}}


@cases_app.command("list")
def list_cases(
    state: Annotated[str | None, typer.Option(help="Only cases in this state.")] = None,
    source: Annotated[str | None, typer.Option(help="Only cases from this source.")] = None,
    unit: Annotated[str | None, typer.Option(help="Only this responsible unit's.")] = None,
    year: Annotated[int | None, typer.Option(help="Only cases opened in this year.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List cases with their state and on-schedule progress."""
    from inspections import cases
    from web.i18n.labels import label
    from web.settings import Settings

    engine, clock = _engine()
    with engine.connect() as conn:
        found = cases.list_cases(conn, state=state, source=source, unit=unit, year=year,
                                 tz=clock.tz)
    lines = [_case_line(case, clock) for case in found]
    if as_json:
        for line in lines:
            emit_json(line)
        return
    lang = Settings().language
    print_table([t(k, lang) for k in ("cases.reference", "cases.state", "cases.deadline",
                                      "cases.unit", "cases.case_title", "cases.progress")],
                [(c["reference"], label("state", c["state"], lang), c["deadline"],
                  c["responsible_unit"], c["title"], _schedule(c["progress"], lang))
                 for c in lines])


def _schedule(p: dict, lang: str) -> str:
    key = ("dash.overdue" if p["overdue"] else "cases.behind" if p["behind_schedule"]
           else "cases.on_schedule")
    return t(key, lang)


@cases_app.command("show")
def show_case(
    reference: Annotated[str, typer.Argument(help="The case's reference number.")],
    as_json: JsonOpt = False,
) -> None:
    """One case: its fields, measures, sites, progress and history."""
    from inspections import audit, cases
    from web.i18n.labels import label
    from web.settings import Settings

    engine, clock = _engine()
    try:
        with engine.connect() as conn:
            case = cases.find_case(conn, reference)
            timeline = audit.case_timeline(conn, case.id)
            history = [{"at": r["at"].isoformat(), "actor": r["actor"], "action": r["action"],
                        "note": r["note"], "data": r["data"]} for r in timeline]
    except InspectionError as exc:
        fail(str(exc), as_json=as_json)
    detail = _case_line(case, clock) | {
        "description": case.description, "target": case.target, "leader": case.leader,
        "site_ids": list(case.site_ids), "lon": case.lon, "lat": case.lat,
        "measures": [{"position": m.position, "text": m.text,
                      "done": m.done_at is not None} for m in case.measures],
        "history": history}
    if as_json:
        emit_json(detail)
        return
    lang = Settings().language
    typer.echo(f"{case.reference}  {case.title}\n" + t(
        "cli.case_head", lang, state=label("state", case.state, lang), deadline=case.deadline,
        unit=case.responsible_unit))
    print_table(["", t("cli.measures", lang)],
                [("✔" if m["done"] else "○", m["text"]) for m in detail["measures"]])
    print_table([t(k, lang) for k in ("cli.at", "cli.actor", "cli.action", "cli.note")],
                [(local_time(r["at"], clock.tz), r["actor"], label("action", r["action"], lang),
                  r["note"]) for r in timeline], title=t("cli.history", lang))


@lookbacks_app.command("list")
def list_rounds(
    state: Annotated[str | None, typer.Option(help="Only rounds in this state.")] = None,
    due_before: Annotated[str | None, typer.Option(
        help="Only rounds whose window ends before this date (YYYY-MM-DD).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List look-back rounds."""
    from inspections import lookbacks
    from web.i18n.labels import label
    from web.settings import Settings

    try:
        before = date.fromisoformat(due_before) if due_before else None
    except ValueError:
        fail(f"--due-before {due_before!r}: not a date (YYYY-MM-DD)", as_json=as_json)
    engine, clock = _engine()
    with engine.connect() as conn:
        rounds = lookbacks.list_rounds(conn, state=state, due_before=before, tz=clock.tz)
    if as_json:
        for found in rounds:
            emit_json({k: (v.isoformat() if hasattr(v, "isoformat") else v)
                       for k, v in dataclasses.asdict(found).items()})
        return
    lang = Settings().language
    print_table([t(k, lang) for k in ("cli.round", "cli.case", "cli.number", "cases.state",
                                      "cli.window", "cli.agency", "cli.reviewed")],
                [(r.id, r.case_reference, r.number, label("round", r.state, lang),
                  f"{local_time(r.window_start, clock.tz)} – "
                  f"{local_time(r.window_end, clock.tz)}", r.agency,
                  local_time(r.reviewed_at, clock.tz)) for r in rounds])


def tick(as_json: JsonOpt = False) -> None:
    """Move time-driven states on: rounds due or overdue, evidence matched, tickets escalated
    (run it daily, e.g. from cron)."""
    from inspections import lookbacks, tickets
    from inspections.actors import SYSTEM
    from web.jobs.purge import purge_results
    from web.services.audit_anchors import anchor_fields
    from web.settings import Settings

    engine, clock = _engine()
    with engine.begin() as conn:
        changes = lookbacks.refresh_rounds(conn, actor=SYSTEM, clock=clock)
        escalated = tickets.escalate_overdue(conn, actor=SYSTEM, clock=clock)
    settings = Settings()
    anchor = anchor_or_stop(engine, settings, "tick", as_json=as_json)  # the day's head
    purged = purge_results(engine, settings, clock.now())
    result = {"at": clock.now().isoformat(), "rounds": dataclasses.asdict(changes),
              "tickets_escalated": escalated, "audit_anchor": anchor_fields(anchor),
              "results_purged": purged}
    if as_json:
        emit_json(result)
    else:
        typer.echo(t("cli.tick", settings.language, due=len(changes.due),
                     awaiting=len(changes.awaiting_review), overdue=len(changes.overdue),
                     escalated=len(escalated)))
        say_anchored(anchor, settings)


def stats_command(
    year: Annotated[int, typer.Option(help="The year.")],
    month: Annotated[int | None, typer.Option(help="A month of that year.")] = None,
    inspection: Annotated[str | None, typer.Option(
        help="Count the feedback problems and petitions of this inspection (default: the "
             "latest one).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The report's figures for a year or a month, computed from the records."""
    from inspections import stats
    from web.settings import Settings

    if month is not None and not 1 <= month <= 12:
        fail(f"--month {month}: must be 1 to 12", as_json=as_json)
    engine, clock = _engine()
    with engine.connect() as conn:
        result = stats.stats(conn, year=year, month=month, inspection=inspection, tz=clock.tz,
                             now=clock.now())
    if as_json:
        emit_json(result)
        return
    lang = Settings().language
    for section, values in result.items():
        print_table([t("cli.figure", lang), t("cli.value", lang)], _figures(values, lang),
                    title=_figure_name(section, lang))


def _figure_name(key: str, lang: str) -> str:
    """A figure's name in the reader's language (a town's name stays as it is)."""
    return t(f"fig.{key}", lang) if f"fig.{key}" in MESSAGES else key


RATES = ("closure_rate", "rectification_rate")


def _figure_value(key: str, value: object) -> object:
    from inspections.reports.wording import rate

    if value is None:
        return "—"
    if key in RATES and isinstance(value, float):
        return rate(value)
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return value


def _figures(values: object, lang: str, prefix: str = "",
             key: str = "") -> list[tuple[str, object]]:
    """A section's figures as (name, value) rows, nested ones named "outer · inner"."""
    if not isinstance(values, dict):
        return [(prefix, _figure_value(key, values))]
    rows: list[tuple[str, object]] = []
    for inner, value in values.items():
        name = _figure_name(str(inner), lang)
        rows += _figures(value, lang, f"{prefix} · {name}" if prefix else name, str(inner))
    return rows
