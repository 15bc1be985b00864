"""The daily tick as a job (the same services as `lookback tick`), anchoring the audit head."""

from __future__ import annotations

from typing import Any

from web.clock import clock_for
from web.jobs.context import JobRun
from web.jobs.purge import purge_results
from web.services.audit_anchors import anchor_fields, anchor_head
from web.services.daily_tick import tick


def daily_tick(run: JobRun) -> dict[str, Any]:
    """Refresh rounds, escalate overdue tickets, anchor the day's audit head, remove old
    jobs' result files."""
    run.progress(0, 2, "jobs.step.tick", force=True)
    clock = clock_for(run.settings, run.engine)
    result = tick(run.engine, clock)
    run.progress(1, 2, "jobs.step.anchor", force=True)
    anchor = anchor_head(run.engine, run.settings, f"tick (job {run.job_id})")
    purged = purge_results(run.engine, run.settings, clock.now())
    return {"rounds": {k: len(v) for k, v in result["rounds"].items()},
            "tickets_escalated": len(result["tickets_escalated"]),
            "audit_anchor": anchor_fields(anchor), "results_purged": len(purged)}
