"""The steps of the closed loop taken from a case's page (开始整改, 完成措施, 申请验收, 验收,
公示, 处理异议, 销号, 指定责任人): one POST form each, through the workflow's services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Annotated
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inspections import workflow
from inspections.cases import Case, assign_person
from inspections.clock import Clock
from web.accounts.users import User
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep, SettingsDep
from web.errors import DOMAIN_ERRORS, status_of
from web.i18n import t
from web.pages.case_errors import page_error
from web.pages.form_photos import store_form_photos
from web.services.records import case_for
from web.services.uploads import UploadOptions
from web.store import file_store

router = APIRouter(include_in_schema=False)

PHOTO_STEPS = ("measure", "claim", "accept")
MAX_NOTICE_DAYS = 60


class FormProblem(ValueError):
    """A form value the page refuses before calling a service: the field and message."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _whole(value: str, field: str, lang: str, low: int, high: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise FormProblem(field, t("loop.error.whole", lang, low=low, high=high)) from None
    if not low <= number <= high:
        raise FormProblem(field, t("loop.error.whole", lang, low=low, high=high))
    return number


Step = Callable[[sa.Connection, Case, User, Clock, dict[str, str], list[int], str], None]


def _start(conn, case, user, clock, form, photos, lang) -> None:  # noqa: ANN001
    workflow.start_rectification(conn, case_id=case.id, actor=user.actor, clock=clock,
                                 note=form["note"] or None)


def _measure(conn, case, user, clock, form, photos, lang) -> None:  # noqa: ANN001
    position = _whole(form["position"], "position", lang, 1, max(1, len(case.measures)))
    if not photos:
        raise FormProblem("photos", t("loop.error.photos", lang))
    workflow.complete_measure(conn, case_id=case.id, actor=user.actor, clock=clock,
                              position=position, photo_ids=photos, note=form["note"] or None)


def _claim(conn, case, user, clock, form, photos, lang) -> None:  # noqa: ANN001
    workflow.claim_rectified(conn, case_id=case.id, actor=user.actor, clock=clock,
                             photo_ids=photos, note=form["note"] or None)


def _accept(conn, case, user, clock, form, photos, lang) -> None:  # noqa: ANN001
    workflow.accept(conn, case_id=case.id, actor=user.actor, clock=clock, photo_ids=photos,
                    note=form["note"] or None)


def _return(conn, case, user, clock, form, photos, lang) -> None:  # noqa: ANN001
    workflow.return_for_rework(conn, case_id=case.id, actor=user.actor, clock=clock,
                               note=form["note"])


def _publicise(conn, case, user, clock, form, photos, lang) -> None:  # noqa: ANN001
    days = _whole(form["days"], "days", lang, 1, MAX_NOTICE_DAYS)
    start = clock.today()
    workflow.publicise(conn, case_id=case.id, actor=user.actor, clock=clock,
                       notice_start=start, notice_end=start + timedelta(days=days - 1))


def _decide(conn, case, user, clock, form, photos, lang) -> None:  # noqa: ANN001
    if form["decision"] not in ("upheld", "dismissed"):
        raise FormProblem("form", t("loop.error.other", lang))
    objection = _whole(form["objection_id"], "form", lang, 1, 2**31)
    workflow.decide_objection(conn, case_id=case.id, actor=user.actor, clock=clock,
                              objection_id=objection, upheld=form["decision"] == "upheld",
                              note=form["note"])


def _close(conn, case, user, clock, form, photos, lang) -> None:  # noqa: ANN001
    workflow.close(conn, case_id=case.id, actor=user.actor, clock=clock,
                   note=form["note"] or None)


def _deadline(conn, case, user, clock, form, photos, lang) -> None:  # noqa: ANN001
    try:
        day = date.fromisoformat(form["deadline"].strip())
    except ValueError:
        raise FormProblem("deadline", t("loop.error.date", lang)) from None
    workflow.set_deadline(conn, case_id=case.id, actor=user.actor, clock=clock, deadline=day,
                          note=form["note"] or None)


def _assign(conn, case, user, clock, form, photos, lang) -> None:  # noqa: ANN001
    assign_person(conn, case_id=case.id, actor=user.actor, clock=clock, person=form["person"])


STEPS: dict[str, Step] = {"start": _start, "measure": _measure, "claim": _claim,
                          "accept": _accept, "return": _return, "publicise": _publicise,
                          "decide": _decide, "close": _close, "assign": _assign,
                          "deadline": _deadline}


@router.post("/cases/{reference}/steps/{step}", response_class=HTMLResponse)
def take_step(reference: str, step: str, request: Request, engine: EngineDep,
              clock: ClockDep, user: CurrentUser, lang: LangDep, settings: SettingsDep,
              note: Annotated[str, Form()] = "", position: Annotated[str, Form()] = "",
              days: Annotated[str, Form()] = "", objection_id: Annotated[str, Form()] = "",
              decision: Annotated[str, Form()] = "", person: Annotated[str, Form()] = "",
              deadline: Annotated[str, Form()] = "",
              photos: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    """Take one step on the case; back to its page, or the page again with the error beside
    the field and what was typed."""
    from web.pages.cases import case_page_response

    form = {"note": note, "position": position, "days": days, "objection_id": objection_id,
            "decision": decision, "person": person, "deadline": deadline}
    take = STEPS.get(step)
    if step == "decide":  # the form that was sent: one per objection and decision
        step = f"{'uphold' if decision == 'upheld' else 'dismiss'}-{objection_id}"
    if take is None:
        return case_page_response(request, engine, clock, user, lang, reference, status=404,
                                  error=("form", t("loop.error.other", lang)), step=step,
                                  form=form)
    try:
        with engine.connect() as conn:
            case_for(conn, user, reference)  # not found before any photo is stored
        ids = (store_form_photos(photos, engine=engine, clock=clock, user=user,
                                 store=file_store(settings),
                                 options=UploadOptions.of(settings))
               if step in PHOTO_STEPS else [])
        with engine.begin() as conn:
            take(conn, case_for(conn, user, reference), user, clock, form, ids, lang)
    except FormProblem as problem:
        return case_page_response(request, engine, clock, user, lang, reference, status=422,
                                  error=(problem.field, problem.message), step=step, form=form)
    except DOMAIN_ERRORS as exc:  # shown beside the field, nothing recorded
        return case_page_response(request, engine, clock, user, lang, reference,
                                  status=status_of(exc)[0], error=page_error(exc, lang),
                                  step=step, form=form)
    return RedirectResponse(f"/cases/{quote(reference)}?done={step}", status_code=303)
