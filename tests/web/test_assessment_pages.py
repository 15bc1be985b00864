"""The closure assessment (销号评估) in the app: the case page's form for the roles that may
assess (by default the assessment group; per source as set), its errors in Chinese beside
the fields, the documents stored and served through the case's access check, the work desk,
the API and the command line."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from geo.db import create_engine
from imagery.store import FileStore
from imagery.store.hashing import sha256_of
from imagery.store_check import check_store
from inspections.assessment import stored_hashes
from inspections.schema import case_assessments
from tests.web.assessment_files import OLD_WORD, docx_bytes, pdf_bytes, png_bytes
from tests.web.cli import json_lines, run
from tests.web.client import client_for, headers, sign_in
from tests.web.test_api_cases import (  # noqa: F401  (url: fixture)
    REPORT_PDF,
    T0,
    People,
    _rectified,
    url,
)
from web.accounts.users import add_user

BASE = "/api/cases/DC2-2022-01"
PAGE = "/cases/DC2-2022-01"
CONCLUSION = "经评估，该项整改任务措施已落实，达到整改目标要求，符合销号条件。"
PDF_PNG_DOCX = (("评估报告.pdf", pdf_bytes(), "application/pdf"),
                ("评估意见.docx", docx_bytes(), "application/octet-stream"),
                ("现场核查记录扫描件.png", png_bytes(), "image/png"))


def _accepted(url: str, tmp_path: Path) -> People:  # noqa: F811
    now = People(url, tmp_path, T0)
    _rectified(now)
    done = now.post("acceptor", f"{BASE}/accept", {"photo_ids": [now.photo("acceptor", 61)]})
    assert done.status_code == 200, done.text
    return now


def _send(now: People, name: str, conclusion: str, files: tuple) -> object:  # noqa: ANN001
    client = now[name]
    return client.post(f"{PAGE}/assessment", data={
        "conclusion": conclusion, "csrf_token": headers(client)["X-CSRF-Token"]},
        files=[("documents", f) for f in files])


def _assessments(url: str) -> int:  # noqa: F811
    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(case_assessments)).scalar()
    engine.dispose()
    return count


def test_the_assessment_group_assesses_on_the_case_page(url: str, tmp_path: Path) -> None:  # noqa: F811
    now = _accepted(url, tmp_path)
    assert 'id="step-assess"' in now["assessor"].get(PAGE).text
    for other in ("leader", "acceptor", "inspector", "unit"):
        assert 'id="step-assess"' not in now[other].get(PAGE).text, other
    desk = now["assessor"].get("/").text
    assert "待评估案件" in desk and 'href="/desk/assessments"' in desk
    assert "DC2-2022-01" in now["assessor"].get("/desk/assessments").text
    done = _send(now, "assessor", CONCLUSION, PDF_PNG_DOCX)
    assert (done.status_code, done.headers["location"]) == (303, f"{PAGE}?done=assess")
    page = now["unit"].get(PAGE).text
    assert "已评估待公示" in page and CONCLUSION in page
    links = [f"{PAGE}/documents/{i}" for i in (1, 2, 3)]
    assert all(f'href="{link}"' in page for link in links)
    got = now["unit"].get(links[1])
    assert got.status_code == 200 and got.content == PDF_PNG_DOCX[1][1]
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert got.headers["x-content-type-options"] == "nosniff"
    assert "attachment; filename*=UTF-8''" in got.headers["content-disposition"]
    assert now["other-unit"].get(links[0]).status_code == 404  # not their case
    assert now["assessor"].get(f"{PAGE}/documents/99").status_code == 404
    assert 'id="step-publicise"' in now["leader"].get(PAGE).text
    assert "DC2-2022-01" not in now["assessor"].get("/desk/assessments").text


def test_errors_are_beside_the_fields_and_nothing_is_recorded(url: str,  # noqa: F811
                                                              tmp_path: Path) -> None:
    now = _accepted(url, tmp_path)
    blank = _send(now, "assessor", "  ", PDF_PNG_DOCX[:1])
    assert blank.status_code == 422 and "请填写评估结论。" in blank.text
    bare = _send(now, "assessor", CONCLUSION, ())
    assert bare.status_code == 422 and "请上传至少一份评估材料。" in bare.text
    assert f">{CONCLUSION}</textarea>" in bare.text  # what was typed is kept
    old = _send(now, "assessor", CONCLUSION, (("评估报告.doc", OLD_WORD, "application/msword"),
                                              *PDF_PNG_DOCX[:1]))
    assert old.status_code == 422
    assert "文件 评估报告.doc 是旧版 Word（.doc）文档，请另存为 .docx 或 PDF 后上传。" in old.text
    text = _send(now, "assessor", CONCLUSION,
                 (("结论.pdf", "经评估".encode(), "application/pdf"),))
    assert text.status_code == 422
    assert "文件 结论.pdf 不是 PDF、Word（.docx）文档或扫描图片" in text.text
    assert _assessments(url) == 0
    store = FileStore(tmp_path / "data")  # sent with no conclusion or an old Word file
    assert not store.has(sha256_of(PDF_PNG_DOCX[0][1]))
    refused = _send(now, "leader", CONCLUSION, PDF_PNG_DOCX[:1])
    assert refused.status_code == 403 and "您无权办理此操作。" in refused.text
    assert now["leader"].get(PAGE).status_code == 200
    assert _assessments(url) == 0


def test_a_document_over_the_upload_limit_is_refused(url: str, tmp_path: Path) -> None:  # noqa: F811
    now = _accepted(url, tmp_path)
    small = client_for(url, now=T0, data_dir=tmp_path / "data", max_upload_bytes=1024 * 1024)
    sign_in(small, "assessor", "assessor-password")
    now._clients["assessor"] = small
    large = b"%PDF-1.4\n" + b"0" * (1024 * 1024)
    sent = _send(now, "assessor", CONCLUSION, (("扫描全本.pdf", large, "application/pdf"),))
    assert sent.status_code == 422 and "文件 扫描全本.pdf 超过大小限制（1 MB）。" in sent.text
    assert _assessments(url) == 0


def test_roles_set_for_a_source_change_who_sees_the_step(url: str, tmp_path: Path) -> None:  # noqa: F811
    now = _accepted(url, tmp_path)
    engine = create_engine(url)
    with engine.begin() as conn:
        add_user(conn, name="admin", password="admin-password", role="admin", now=T0)
    engine.dispose()
    admin = now["admin"]
    put = admin.put("/api/step-roles/inspection_feedback/assess", headers=headers(admin),
                    json={"roles": ["leader"]})
    assert put.status_code == 200, put.text
    row = next(r for r in put.json() if (r["source"], r["step"]) ==
               ("inspection_feedback", "assess"))
    assert (row["roles"], row["default"]) == (["leader"], False)
    bad = admin.put("/api/step-roles/inspection_feedback/assess", headers=headers(admin),
                    json={"roles": ["mayor"]})
    assert bad.status_code == 422 and "role mayor is unknown" in bad.json()["detail"]
    leader = now["leader"]
    denied = leader.put("/api/step-roles/petition/accept", headers=headers(leader),
                        json={"roles": ["inspector"]})
    assert denied.status_code == 403
    assert 'id="step-assess"' in now["leader"].get(PAGE).text
    assert 'id="step-assess"' not in now["assessor"].get(PAGE).text
    done = _send(now, "leader", CONCLUSION, PDF_PNG_DOCX[:1])
    assert done.status_code == 303


def test_the_api_and_the_store_check_keep_the_documents(url: str, tmp_path: Path) -> None:  # noqa: F811
    now = _accepted(url, tmp_path)
    assessor = now["assessor"]
    early = now.post("leader", f"{BASE}/publicise", {"notice_start": "2022-03-02",
                                                     "notice_end": "2022-03-08"})
    assert early.status_code == 409 and "it must be 'assessed'" in early.json()["detail"]
    bad = assessor.post(f"{BASE}/assess", headers=headers(assessor),
                        data={"conclusion": CONCLUSION},
                        files={"documents": ("x.doc", OLD_WORD, "application/msword")})
    assert bad.status_code == 422
    assert bad.json()["detail"].startswith("document 'x.doc': an old Word (.doc) file")
    sent = assessor.post(f"{BASE}/assess", headers=headers(assessor),
                         data={"conclusion": CONCLUSION},
                         files={"documents": ("评估报告.pdf", REPORT_PDF, "application/pdf")})
    assert sent.status_code == 200, sent.text
    [doc] = sent.json()["assessment"]["documents"]
    assert (doc["name"], doc["media_type"]) == ("评估报告.pdf", "application/pdf")
    got = now["leader"].get(f"{BASE}/documents/{doc['id']}")
    assert got.content == REPORT_PDF
    assert now["leader"].get(f"{BASE}/assessment").json()["assessment"]["conclusion"] \
        == CONCLUSION
    engine = create_engine(url)
    with engine.connect() as conn:
        store = FileStore(tmp_path / "data")
        kept = stored_hashes(conn)
        found = check_store(conn, store, stale_after=-1.0, kept=kept)
        unkept = check_store(conn, store, stale_after=-1.0)
    engine.dispose()
    assert not [f for f in found.findings if f.sha256 in kept]
    assert [f.sha256 for f in unkept.findings if f.kind == "orphan_file"] == list(kept)


def test_the_command_line_assesses_and_sets_roles(url: str, tmp_path: Path) -> None:  # noqa: F811
    _accepted(url, tmp_path)
    report = tmp_path / "评估报告.pdf"
    report.write_bytes(pdf_bytes())
    env = {"LOOKBACK_DATA_DIR": str(tmp_path / "data"), "LOOKBACK_NOW": T0.isoformat()}
    refused = run(url, "cases", "assess", "DC2-2022-01", "--user", "leader", "--conclusion",
                  CONCLUSION, "--document", str(report), "--json", **env)
    assert refused.exit_code == 1
    assert "role 'leader' may not assess" in json_lines(refused.stdout)[0]["error"]
    done = run(url, "cases", "assess", "DC2-2022-01", "--user", "assessor", "--conclusion",
               CONCLUSION, "--document", str(report), "--json", **env)
    assert done.exit_code == 0, done.output
    [result] = json_lines(done.stdout)
    assert (result["state"], result["documents"][0]["name"]) == ("assessed", "评估报告.pdf")
    roles = run(url, "cases", "step-roles", "--json", **env)
    assert {"source": "petition", "step": "accept", "roles": ["acceptor"],
            "default": True} in json_lines(roles.stdout)
    unset = run(url, "cases", "step-roles", "--source", "petition", "--json", **env)
    assert unset.exit_code == 1
