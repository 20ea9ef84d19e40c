"""Background jobs: work a request hands over so that it need not wait for it (sending
e-mail now; imports and exports later). With ``REDIS_URL`` set, ``enqueue`` puts the
job on an RQ queue and ``flask jobs worker`` (``make worker``) runs it; without, it runs
at once, in the request, so that ``make run`` needs no Redis.

A job is a module-level function and its arguments, plain values that RQ can pickle; the
worker runs every job inside an application context.
"""

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from redis import Redis
from rq import Queue, SimpleWorker

QUEUE = "dxacademy"


def _queue() -> Queue | None:
    url = current_app.config.get("JOBS_REDIS_URL")
    if not url:
        return None
    return Queue(QUEUE, connection=Redis.from_url(url))


def enqueue(job: Callable[..., Any], *args: Any) -> None:
    """Run ``job(*args)`` in the background, or at once when there is no queue."""
    queue = _queue()
    if queue is None:
        try:
            job(*args)
        except Exception:  # as a worker would, log it: the request that asked goes on
            current_app.logger.exception("job %s failed", job.__qualname__)
    else:
        queue.enqueue(job, *args, job_timeout=current_app.config["JOB_TIMEOUT"])


def work(app: Flask, burst: bool = False) -> None:
    """Run the queue's jobs in this process, each in ``app``'s context (not in a forked
    child, which would share the parent's database connections); ``burst`` stops when
    the queue is empty. Run more workers for more jobs at once."""
    with app.app_context():
        queue = _queue()
        if queue is None:
            raise RuntimeError("Set REDIS_URL: without it jobs run at once, in the request.")
        SimpleWorker([queue], connection=queue.connection).work(burst=burst)
