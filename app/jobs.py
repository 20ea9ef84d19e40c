"""Background jobs: work a request hands over so that it need not wait for it (sending
e-mail now; imports and exports later). With ``REDIS_URL`` set, ``enqueue`` puts the
job on an RQ queue and ``flask jobs worker`` (``make worker``) runs it; without, it runs
at once, in the request, so that ``make run`` needs no Redis.

A job is a module-level function and its arguments, plain values that RQ can pickle; the
worker runs every job inside an application context. A long job says how far it has got
with ``report(done, total)``; a page shows that to the person waiting with
``progress(job_id)``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from redis import Redis
from rq import Queue, SimpleWorker, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job

QUEUE = "dxacademy"


def _queue() -> Queue | None:
    url = current_app.config.get("JOBS_REDIS_URL")
    if not url:
        return None
    return Queue(QUEUE, connection=Redis.from_url(url))


def available() -> bool:
    """Whether jobs wait on a queue (False: ``enqueue`` runs them at once)."""
    return bool(current_app.config.get("JOBS_REDIS_URL"))


def enqueue(job: Callable[..., Any], *args: Any) -> str | None:
    """Run ``job(*args)`` in the background and return its id, or run it at once when
    there is no queue and return None (it is over)."""
    queue = _queue()
    if queue is None:
        try:
            job(*args)
        except Exception:  # as a worker would, log it: the request that asked goes on
            current_app.logger.exception("job %s failed", job.__qualname__)
        return None
    return queue.enqueue(job, *args, job_timeout=current_app.config["JOB_TIMEOUT"]).id


def report(done: int, total: int) -> None:
    """Inside a job: how much of its work is done (nothing to do when it runs at once)."""
    job = get_current_job()
    if job is not None:
        job.meta.update(done=done, total=total)
        job.save_meta()


@dataclass(frozen=True)
class Progress:
    #: RQ's word for it: queued, started, finished, failed (and a few rarer ones)
    state: str
    done: int = 0
    total: int | None = None  # unknown until the job reports
    result: Any = None  # what the job returned, once finished

    @property
    def over(self) -> bool:
        return self.state in ("finished", "failed", "stopped", "canceled")

    @property
    def percent(self) -> int | None:
        if self.state == "finished":
            return 100
        return round(100 * self.done / self.total) if self.total else None


def progress(job_id: str) -> Progress | None:
    """Where the job ``job_id`` stands; None for a job the queue does not know (never
    queued, or finished long enough ago that its result has expired)."""
    queue = _queue()
    if queue is None:
        return None
    try:
        job = Job.fetch(job_id, connection=queue.connection)
    except NoSuchJobError:
        return None
    meta = job.get_meta(refresh=True)
    status = job.get_status(refresh=False)
    state = status.value if status else "queued"
    result = job.return_value() if state == "finished" else None
    return Progress(state, meta.get("done", 0), meta.get("total"), result)


def work(app: Flask, burst: bool = False) -> None:
    """Run the queue's jobs in this process, each in ``app``'s context (not in a forked
    child, which would share the parent's database connections); ``burst`` stops when
    the queue is empty. Run more workers for more jobs at once."""
    with app.app_context():
        queue = _queue()
        if queue is None:
            raise RuntimeError("Set REDIS_URL: without it jobs run at once, in the request.")
        SimpleWorker([queue], connection=queue.connection).work(burst=burst)
