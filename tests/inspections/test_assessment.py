"""The closure assessment (销号评估): its place in the loop (after acceptance, before the
notice), who accepts and who assesses per case source (defaults and the table), the
conclusion and documents it records, and the documents' checks from their bytes."""

from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa

from inspections import assessment, step_roles, workflow
from inspections.assessment import DOCX, PDF, PNG, BadDocument, Document, sniff_bytes
from inspections.cases import get_case
from inspections.errors import IllegalTransition, InvalidInput, MissingEvidence, NotAllowed
from inspections.schema import audit_log, case_assessments
from tests.inspections.builders import (
    ACCEPTOR,
    ADMIN,
    ASSESSOR,
    CONCLUSION,
    INSPECTOR,
    LEADER,
    REPORT,
    advance_to,
    clock,
)
from tests.inspections.workflow_cases import case_in

LIMIT = 1024 * 1024


def _state(engine, case_id: int) -> str:  # noqa: ANN001
    with engine.connect() as conn:
        return get_case(conn, case_id).state


def _accept(engine, clk, photos, case_id: int, actor) -> None:  # noqa: ANN001
    with engine.begin() as conn:
        workflow.accept(conn, case_id=case_id, actor=actor, clock=clk,
                        photo_ids=photos["acceptance"])


def _assess(engine, clk, case_id: int, actor, **kw) -> int:  # noqa: ANN001
    args = {"conclusion": CONCLUSION, "documents": [REPORT]} | kw
    with engine.begin() as conn:
        return workflow.assess(conn, case_id=case_id, actor=actor, clock=clk, **args)


def _set(engine, source: str, step: str, roles: list[str] | None, actor=ADMIN) -> None:  # noqa: ANN001
    with engine.begin() as conn:
        step_roles.set_roles(conn, actor=actor, clock=clock(), source=source, step=step,
                             roles=roles)


# --- the order of the loop -------------------------------------------------------------------

def test_the_assessment_is_recorded_and_the_case_awaits_its_notice(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    case_id = case_in(engine, clk, photos, "accepted")
    report2 = Document("cd" * 32, "评估意见.docx", DOCX, 4096)
    assessment_id = _assess(engine, clk, case_id, ASSESSOR, documents=[REPORT, report2],
                            conclusion="  " + CONCLUSION + "\n")
    with engine.connect() as conn:
        found = assessment.latest(conn, case_id)
        entry = conn.execute(sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(1)
                             ).mappings().one()
    assert _state(engine, case_id) == "assessed"
    assert found is not None and found.id == assessment_id
    assert (found.conclusion, found.assessed_by, found.assessed_at) == (
        CONCLUSION, "wu.haiyan", clk.now())
    assert [(d.name, d.media_type, d.size_bytes) for d in found.documents] == [
        ("销号评估报告.pdf", PDF, 2048), ("评估意见.docx", DOCX, 4096)]
    assert (entry["action"], entry["note"], entry["data"]["from"], entry["data"]["to"]) == (
        "case.assess", CONCLUSION, "accepted", "assessed")


def test_a_case_cannot_be_publicised_before_its_assessment(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    case_id = case_in(engine, clk, photos, "accepted")
    with engine.begin() as conn, pytest.raises(
            IllegalTransition, match="cannot publicise a case that is 'accepted'; it must be "
                                     "'assessed'"):
        workflow.publicise(conn, case_id=case_id, actor=LEADER, clock=clk,
                           notice_start=clk.today(), notice_end=clk.today())
    assert _state(engine, case_id) == "accepted"


@pytest.mark.parametrize("state", ["open", "rectifying", "rectified", "assessed",
                                   "publicised", "closed"])
def test_only_an_accepted_case_is_assessed(engine, photos, state: str) -> None:  # noqa: ANN001
    clk = clock()
    case_id = case_in(engine, clk, photos, state)
    with pytest.raises(IllegalTransition, match=f"cannot assess a case that is '{state}'; "
                                                "it must be 'accepted'"):
        _assess(engine, clk, case_id, ASSESSOR)
    assert _state(engine, case_id) == state
    with engine.connect() as conn:
        before = 1 if state in ("assessed", "publicised", "closed") else 0
        assert len(assessment.assessments(conn, case_id)) == before


@pytest.mark.parametrize(("kw", "error", "message"), [
    ({"conclusion": "  "}, InvalidInput, "conclusion must not be empty"),
    ({"conclusion": "经" * 4001}, InvalidInput, "conclusion is longer than 4000"),
    ({"documents": []}, MissingEvidence, "assess needs assessment documents"),
    ({"documents": [REPORT] * 21}, InvalidInput, "documents: more than 20"),
])
def test_an_assessment_needs_a_conclusion_and_documents(engine, photos, kw, error,  # noqa: ANN001
                                                        message: str) -> None:
    clk = clock()
    case_id = case_in(engine, clk, photos, "accepted")
    with pytest.raises(error, match=message):
        _assess(engine, clk, case_id, ASSESSOR, **kw)
    assert _state(engine, case_id) == "accepted"
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(case_assessments)
                            ).scalar() == 0


def test_a_reopened_case_is_assessed_again_and_the_latest_counts(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    case_id = case_in(engine, clk, photos, "closed")
    with engine.begin() as conn:
        workflow.reopen_for_recurrence(conn, case_id=case_id, actor=LEADER, clock=clk,
                                       note="回头看发现渗滤液外溢")
        advance_to(conn, clk, case_id, "accepted", rectification=photos["rectification"],
                   acceptance=photos["spare"])
        assert assessment.current(conn, case_id, "accepted") is None  # the old one lapsed
    _assess(engine, clk, case_id, ASSESSOR, conclusion="经复评，问题已再次整改到位。")
    with engine.connect() as conn:
        assert [a.conclusion for a in assessment.assessments(conn, case_id)] == [
            CONCLUSION, "经复评，问题已再次整改到位。"]
        assert assessment.current(conn, case_id, "assessed").conclusion == \
            "经复评，问题已再次整改到位。"
        assert assessment.latest_conclusions(conn, [case_id]) == {
            case_id: "经复评，问题已再次整改到位。"}


# --- who accepts and who assesses ------------------------------------------------------------

def test_by_default_the_government_groups_accept_and_assess(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    case_id = case_in(engine, clk, photos, "rectified")
    for actor in (INSPECTOR, LEADER, ASSESSOR):
        with pytest.raises(NotAllowed, match=f"role '{actor.role}' may not accept; only "
                                             "acceptor"):
            _accept(engine, clk, photos, case_id, actor)
    _accept(engine, clk, photos, case_id, ACCEPTOR)
    for actor in (INSPECTOR, LEADER, ACCEPTOR, ADMIN):
        with pytest.raises(NotAllowed, match=f"role '{actor.role}' may not assess; only "
                                             "assessor"):
            _assess(engine, clk, case_id, actor)
    _assess(engine, clk, case_id, ASSESSOR)
    assert _state(engine, case_id) == "assessed"


def test_roles_set_for_a_source_apply_to_its_cases_only(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    _set(engine, "petition", "accept", ["acceptor", "inspector"])
    _set(engine, "petition", "assess", ["leader"])
    petition = case_in(engine, clk, photos, "rectified", source="petition", batch=3,
                       reference="XF-2022-01")
    feedback = case_in(engine, clk, photos, "rectified")
    _accept(engine, clk, photos, petition, INSPECTOR)  # the setting lets the agency accept
    with pytest.raises(NotAllowed, match="role 'inspector' may not accept; only acceptor"):
        _accept(engine, clk, photos, feedback, INSPECTOR)
    with pytest.raises(NotAllowed, match="role 'assessor' may not assess; only leader"):
        _assess(engine, clk, petition, ASSESSOR)
    _assess(engine, clk, petition, LEADER)
    with engine.begin() as conn:  # returning for rework goes with accepting
        other = get_case(conn, feedback)
        workflow.check_allowed(conn, other, "accept", ACCEPTOR)
        with pytest.raises(NotAllowed, match="may not return for rework; only acceptor"):
            workflow.return_for_rework(conn, case_id=feedback, actor=INSPECTOR, clock=clk,
                                       note="收集池未封闭")
    assert (_state(engine, petition), _state(engine, feedback)) == ("assessed", "rectified")


def test_a_source_goes_back_to_the_default(engine, photos) -> None:  # noqa: ANN001
    _set(engine, "patrol", "accept", ["inspector"])
    with engine.connect() as conn:
        assert step_roles.roles_for(conn, "patrol", "accept") == ("inspector",)
    _set(engine, "patrol", "accept", None)
    with engine.connect() as conn:
        assert step_roles.roles_for(conn, "patrol", "accept") == ("acceptor",)
        rows = {(r["source"], r["step"]): (r["roles"], r["default"])
                for r in step_roles.table(conn)}
    assert rows[("patrol", "accept")] == (["acceptor"], True)
    assert rows[("inspection_feedback", "assess")] == (["assessor"], True)
    assert len(rows) == 8


@pytest.mark.parametrize(("source", "step", "roles", "actor", "error", "message"), [
    ("petition", "accept", ["inspector"], LEADER, NotAllowed,
     "role 'leader' may not set them; only admin"),
    ("letters", "accept", ["inspector"], ADMIN, InvalidInput, "source 'letters' is unknown"),
    ("petition", "close", ["leader"], ADMIN, InvalidInput, "step 'close' is unknown"),
    ("petition", "assess", ["mayor"], ADMIN, InvalidInput, "role mayor is unknown"),
    ("petition", "assess", ["system"], ADMIN, InvalidInput, "role system is unknown"),
    ("petition", "assess", [" "], ADMIN, InvalidInput, "give at least one role"),
    ("petition", "assess", [], ADMIN, InvalidInput, "give at least one role"),
])
def test_bad_step_roles_are_refused(engine, source, step, roles, actor, error,  # noqa: ANN001
                                    message: str) -> None:
    with pytest.raises(error, match=message):
        _set(engine, source, step, roles, actor)
    with engine.connect() as conn:
        assert step_roles.configured(conn) == {}


# --- documents, from their bytes -------------------------------------------------------------

def _pdf() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1))
    fig.text(0.1, 0.5, "closure assessment")
    out = io.BytesIO()
    fig.savefig(out, format="pdf")
    return out.getvalue()


def _docx() -> bytes:
    from docx import Document as new_docx

    doc = new_docx()
    doc.add_paragraph("经评估，该项整改任务措施已落实。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (40, 30), 200).save(out, format="PNG")
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("评估报告.txt", "not a word document")
    return out.getvalue()


@pytest.mark.parametrize(("make", "name", "media_type"), [
    (_pdf, "评估报告.pdf", PDF), (_docx, "评估意见.docx", DOCX), (_png, "扫描件.png", PNG),
    (_pdf, "named-wrongly.docx", PDF),
])
def test_documents_are_known_by_their_bytes(make, name: str, media_type: str) -> None:  # noqa: ANN001
    assert sniff_bytes(make(), name, LIMIT) == media_type


@pytest.mark.parametrize(("data", "reason", "message"), [
    (b"", "empty", "the file is empty"),
    (b"%PDF-1.4" + b"0" * LIMIT, "too_large", f"more than the {LIMIT} allowed"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "old_word", "old Word"),
    (None, "not_docx", "a zip file that is not a Word"),
    ("经评估，符合销号条件。".encode(), "unknown", "not a PDF, DOCX, PNG, JPEG or TIFF"),
])
def test_a_bad_document_is_refused_with_its_reason(data: bytes | None, reason: str,
                                                   message: str) -> None:
    with pytest.raises(BadDocument, match=message) as refused:
        sniff_bytes(_zip() if data is None else data, "评估报告.docx", LIMIT)
    assert (refused.value.name, refused.value.reason) == ("评估报告.docx", reason)
    assert "document '评估报告.docx'" in str(refused.value)


def _report_text(engine, tmp_path) -> str:  # noqa: ANN001
    from imagery.store import FileStore
    from inspections.clock import DEFAULT_TZ
    from inspections.reports.closure_report import closure_report

    with engine.connect() as conn:
        doc = closure_report(conn, FileStore(tmp_path / "store"), reference="DC-2022-01",
                             tz=DEFAULT_TZ)
    return "\n".join(p.text for p in doc.paragraphs)


def test_the_closure_report_gives_the_assessment_groups_conclusion(engine, photos,  # noqa: ANN001
                                                                   tmp_path) -> None:
    clk = clock()
    case_id = case_in(engine, clk, photos, "accepted")
    assert "该项整改任务尚未经评估工作小组评估。" in _report_text(engine, tmp_path)
    words = "经评估，整改措施已落实，渗滤液处理设施需持续跟踪运行，符合销号条件。"
    _assess(engine, clk, case_id, ASSESSOR, conclusion=words)
    text = _report_text(engine, tmp_path)
    assert words in text and "该项整改任务措施已落实，达到整改目标要求" not in text
    with engine.begin() as conn:  # as a case publicised before the assessment was a step
        conn.execute(sa.delete(case_assessments))
        conn.execute(sa.text("UPDATE cases SET state = 'publicised'"))
    assert "公示于销号评估纳入闭环流程之前，系统中无评估记录" in _report_text(engine, tmp_path)
