"""Jobs (后台任务): heavy work done outside the request that asked for it, with a state
(queued, running, succeeded, failed, retrying), progress, retries with backoff and an error
a person can read, recorded in the jobs table that the tasks page reads.

The interface: `register` a kind (a plain function taking a JobRun, whose `progress` reports
how far it got, and keyword params), `submit` one (returns its id). Two runners execute
them: the local worker pool (web/jobs/local.py, the embedded default, started by
`lookback serve`) and procrastinate on PostgreSQL (web/jobs/queue.py, `lookback worker`).
Jobs call the same services as the CLI and the pages."""

from web.jobs.context import JobRun
from web.jobs.kinds import register
from web.jobs.schema import ACTIVE, FAILED, QUEUED, RETRYING, RUNNING, STATES, SUCCEEDED
from web.jobs.submit import retry, submit

__all__ = ["ACTIVE", "FAILED", "QUEUED", "RETRYING", "RUNNING", "STATES", "SUCCEEDED",
           "JobRun", "register", "retry", "submit"]
