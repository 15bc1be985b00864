"""The report page (整改进展报告, /reports): a month or a year chosen, each part of the
progress report with its paragraph to write (an earlier period's as a draft while nothing is
saved), saved behind the CSRF token; and the button that starts the report job of the period."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Engine

from inspections import report_texts as rt
from inspections.clock import Clock
from inspections.errors import InvalidInput, NotAllowed, ReportTextError
from inspections.reports import wording as w
from inspections.reports.parts import PARTS
from web.accounts.users import User
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep
from web.i18n import t
from web.pages.record_routes import SentForm
from web.pages.render import render

router = APIRouter(include_in_schema=False)
PATH = "/reports"
FIELD = "part_"  # a part's textarea is named part_<key>


def _reader(user: User) -> None:
    if not rt.may_read(user.role):
        raise NotAllowed(f"report texts: role {user.role!r} may not read them; only "
                         f"{', '.join(rt.READ_ROLES)}")


def _number(name: str, value: str | None) -> int | None:
    text = (value or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise InvalidInput(f"report texts: {name} {value!r} is not a number")
    return int(text)


def _period(year: str | None, month: str | None, clock: Clock) -> rt.ReportPeriod:
    """The period the query or form names; this month when it names none."""
    number = _number("year", year)
    if number is None:
        return _this_month(clock)
    return rt.report_period(number, _number("month", month))


def period_label(period: rt.ReportPeriod, lang: str) -> str:
    """2022年6月 or 2022年 (in English, 2022-06 or 2022)."""
    return w.month(period.year, period.month) if lang == "zh" else str(period)


def error_text(error: ReportTextError, lang: str) -> str:
    """A refused paragraph in the reader's language, naming its part."""
    part = PARTS.get(error.part, error.part)
    return t(f"reports.error.{error.problem}", lang, part=part, limit=error.limit,
             length=error.length)


def _page(request: Request, user: User, lang: str, shown: rt.PeriodTexts, *,
          texts: dict[str, str] | None = None, errors: dict[str, str] | None = None,
          saved: bool = False, status: int = 200) -> Response:
    """The page of `shown`'s period; `texts`, what was typed, in place of what is kept;
    `errors` by part ("period" for the period asked for)."""
    period, errors = shown.period, errors or {}
    typed = shown.texts if texts is None else texts
    parts = [{"key": key, "title": title, "name": FIELD + key, "text": typed.get(key, ""),
              "error": errors.get(key)} for key, title in PARTS.items()]
    return render(request, "reports.html", lang, status_code=status, user=user,
                  period=period, label=period_label(period, lang), parts=parts,
                  shown=shown, draft_label=(period_label(shown.draft_from, lang)
                                            if shown.draft_from else None),
                  can_write=rt.may_write(user.role), saved=saved, errors=errors,
                  period_error=errors.get("period"),
                  other_errors=[e for k, e in errors.items() if k not in PARTS
                                and k != "period"],
                  limit=rt.MAX_TEXT, months=range(1, 13))


def _shown(engine: Engine, period: rt.ReportPeriod) -> rt.PeriodTexts:
    with engine.connect() as conn:
        return rt.period_texts(conn, period)


def _this_month(clock: Clock) -> rt.ReportPeriod:
    today = clock.today()
    return rt.report_period(today.year, today.month)


@router.get(PATH, response_class=HTMLResponse)
def reports_page(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
                 lang: LangDep, year: str | None = None, month: str | None = None,
                 saved: str | None = None) -> Response:
    """The period's parts with their paragraphs (saved, or a draft), and the report button;
    this month's when the period asked for is none (with the reason)."""
    _reader(user)
    try:
        period = _period(year, month, clock)
    except InvalidInput:
        return _page(request, user, lang, _shown(engine, _this_month(clock)), status=422,
                     errors={"period": t("reports.error.period", lang)})
    return _page(request, user, lang, _shown(engine, period), saved=bool(saved))


def _typed(form: dict[str, object]) -> dict[str, object]:
    return {name[len(FIELD):]: value for name, value in form.items()
            if name.startswith(FIELD)}


@router.post(f"{PATH}/texts", response_class=HTMLResponse)
def save_texts(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
               lang: LangDep, form: SentForm) -> Response:
    """Save the period's paragraphs; back to the page (or the page again, with what was
    typed and each refused paragraph's reason under it)."""
    _reader(user)
    typed = _typed(dict(form.items()))
    kept = {k: v if isinstance(v, str) else "" for k, v in typed.items()}
    try:
        period = _period(str(form.get("year") or ""), str(form.get("month") or ""), clock)
    except InvalidInput:
        return _page(request, user, lang, _shown(engine, _this_month(clock)), status=422,
                     texts=kept, errors={"period": t("reports.error.period", lang)})
    try:
        with engine.begin() as conn:
            rt.save_texts(conn, actor=user.actor, clock=clock, period=period, texts=typed)
    except ReportTextError:
        errors = {p.part: error_text(p, lang) for p in rt.problems(typed)}
        return _page(request, user, lang, _shown(engine, period), status=422, errors=errors,
                     texts=kept)
    month = f"&month={period.month}" if period.month else ""
    return RedirectResponse(f"{PATH}?year={period.year}{month}&saved=1", status_code=303)
