"""The demo's closure assessments (销号评估): the assessment group's conclusion in the
words of the source's sample, with a short assessment report (.docx) kept in the file store."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document as new_docx

from imagery.store import Store
from imagery.store.hashing import sha256_of
from inspections import workflow
from inspections.assessment import DOCX, Document
from inspections.cases import Case, find_case
from inspections.demo.people import ASSESSOR
from inspections.demo.world import World

CONCLUSION = "经评估，该项整改任务措施已落实，达到整改目标要求，符合销号条件。"


def report_docx(case: Case) -> bytes:
    """A one-page assessment report of a case: task, measures, conclusion."""
    doc = new_docx()
    doc.add_heading(f"{case.title}整改任务销号评估报告", level=1)
    doc.add_paragraph(f"案件编号：{case.reference}；责任单位：{case.responsible_unit}。")
    doc.add_paragraph(f"整改目标：{case.target}。")
    for n, measure in enumerate(case.measures, start=1):
        doc.add_paragraph(f"{n}.{measure.text}。")
    doc.add_paragraph(f"评估结论：{CONCLUSION}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def stored_report(store: Store, case: Case) -> Document:
    """The case's assessment report, written to the file store."""
    data = report_docx(case)
    sha = sha256_of(data)
    store.put(sha, data)
    return Document(sha, f"{case.reference}销号评估报告.docx", DOCX, len(data))


def assess(world: World, refs: Sequence[str]) -> None:
    """The assessment group assesses accepted cases, each with its report."""
    with world.tx() as conn:
        for ref in refs:
            case = find_case(conn, ref)
            workflow.assess(conn, case_id=case.id, actor=ASSESSOR, clock=world.clock,
                            conclusion=CONCLUSION, documents=[stored_report(world.store, case)])
