"""Old jobs' result files (reports) are removed by the daily tick after the days they are
kept (LOOKBACK_JOB_RESULT_DAYS), the job marked so; the tasks page says the file is gone
instead of linking to nothing; newer files and other jobs are untouched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from tests.web.client import client_for, sign_in
from web.accounts.users import add_user
from web.jobs.context import result_dir
from web.jobs.purge import purge_results
from web.jobs.schema import jobs
from web.settings import Settings

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)


def _job(engine: sa.Engine, settings: Settings, user_id: int, days_ago: int) -> int:
    """A report job that finished `days_ago` days before NOW, with its file on disk."""
    finished = NOW - timedelta(days=days_ago)
    with engine.begin() as conn:
        job_id = conn.execute(sa.insert(jobs).returning(jobs.c.id), {
            "kind": "report", "title": f"进展报告（{days_ago} 天前）", "params": {},
            "user_id": user_id, "state": "succeeded", "max_attempts": 3,
            "result": {"file": "progress-2022.docx", "bytes": 4}, "created_at": finished,
            "updated_at": finished, "run_after": finished, "finished_at": finished,
        }).scalar_one()
    folder = result_dir(settings, job_id)
    folder.mkdir(parents=True)
    (folder / "progress-2022.docx").write_bytes(b"PK..")
    return job_id


def test_a_result_past_its_days_is_removed_and_the_page_says_so(
        engine: sa.Engine, database_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=database_url, data_dir=tmp_path / "data",
                        now=NOW.isoformat(), job_result_days=30)
    with engine.begin() as conn:
        leader = add_user(conn, name="leader", password="leader-demo-2022", role="leader",
                          now=NOW).id
    old, recent = _job(engine, settings, leader, 31), _job(engine, settings, leader, 29)
    assert purge_results(engine, settings, NOW) == [old]
    assert not result_dir(settings, old).exists()
    assert (result_dir(settings, recent) / "progress-2022.docx").is_file()
    assert purge_results(engine, settings, NOW) == []  # nothing twice
    client = client_for(database_url, data_dir=tmp_path / "data", now=NOW)
    assert sign_in(client, "leader").status_code == 303
    page = client.get("/tasks").text
    assert "结果文件已过保留期清理，请重新生成。" in page
    assert f'href="/tasks/{old}/result"' not in page and f'href="/tasks/{recent}/result"' in page
    assert client.get(f"/tasks/{old}/result").status_code == 404
    listed = {j["id"]: j for j in client.get("/api/jobs").json()}
    assert (listed[old]["expired"], listed[old]["result_file"]) == (True, None)
    assert (listed[recent]["expired"], listed[recent]["result_file"]) == (False,
                                                                           "progress-2022.docx")
