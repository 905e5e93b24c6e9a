"""Celery tasks of the report: thin, taking ids, each calling the services.

``compile_report`` starts a run and fans out one ``compile_part`` per part of the run's
outline (``figures``, ``programmes``, ``outcomes``: a chord, the longest queued first),
joined by ``finish_report``. Every task is safe to run twice (``acks_late``: a task whose
worker dies is delivered again): a part is written whole with an upsert, and a succeeded run
is left as it is.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from celery import Task, chord, shared_task
from django.db import connection

from rbm.jobs import worker_name
from reporting import compilation, consistency, services
from reporting.models import ReportRun

logger = logging.getLogger(__name__)


@contextmanager
def counted_queries() -> Iterator[list[int]]:
    """Count the SQL queries run inside the block (without keeping their text)."""
    count = [0]

    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count


@shared_task(
    bind=True,
    name="reporting.compile_report",
    acks_late=True,
    soft_time_limit=120,
    time_limit=180,
)
def compile_report(self: Task[Any, Any], run_id: int) -> None:
    try:
        started = services.run_start(run_id, worker=worker_name(self))
    except Exception as error:
        services.run_fail(run_id, f"{type(error).__name__}: {error}")
        raise
    if started is None:
        return  # done already
    specs, attempt = started
    if compile_report.app.conf.task_always_eager:
        # In-process: the parts and the join run here, in one transaction (one state).
        try:
            with consistency.one_transaction():
                _fan_out(run_id, specs, attempt, snapshot=None)
        except Exception as error:
            services.run_fail(run_id, f"{type(error).__name__}: {error}")
            raise
        return
    # On workers: every part adopts the state exported (and held) here.
    try:
        snapshot = consistency.hold_state(run_id, attempt, [spec.key for spec in specs])
    except Exception as error:
        services.run_fail(run_id, f"{type(error).__name__}: {error}", attempt=attempt)
        raise
    _fan_out(run_id, specs, attempt, snapshot=snapshot)


def _fan_out(
    run_id: int, specs: list[compilation.PartSpec], attempt: int, *, snapshot: str | None
) -> None:
    # The outline lists the longest parts first: queued first, so that with several workers
    # the run ends about when the longest part does.
    header = [compile_part.si(run_id, spec.key, snapshot, attempt) for spec in specs]
    body = finish_report.si(run_id, attempt)
    chord(header)(body.on_error(fail_report.s(run_id=run_id, attempt=attempt)))
    services.step_end(run_id, "start")


@shared_task(
    bind=True, name="reporting.compile_part", acks_late=True, soft_time_limit=600, time_limit=660
)
def compile_part(
    self: Task[Any, Any],
    run_id: int,
    key: str,
    snapshot: str | None = None,
    attempt: int | None = None,
) -> str:
    if not services.step_begin(run_id, key, worker_name(self), attempt):
        return key  # the run ended, or was queued again: this delivery is stale
    try:
        run = ReportRun.objects.select_related("biennium", "region", "objective").get(pk=run_id)
        if attempt is not None and run.attempts != attempt:
            return key  # a part of an older attempt: the current one computes its own
        spec = next(spec for spec in compilation.outline(run) if spec.key == key)
        started = time.monotonic()
        with consistency.reading(snapshot), counted_queries() as queries:
            if spec.key == "outcomes":
                content = compilation.compile_outcomes_part(run)
            elif spec.key == "figures":
                content = compilation.compile_figures_part(run)
            else:
                content = compilation.compile_programmes_part(run)
        services.part_store(
            run_id,
            spec,
            content,
            queries=queries[0],
            seconds=time.monotonic() - started,
            attempt=attempt,
        )
    except consistency.StateGone:
        services.run_state_lost(run_id, attempt)
        return key
    except Exception as error:
        logger.exception("Report run %s: part %s failed", run_id, key)
        services.run_fail(run_id, f"{key}: {type(error).__name__}: {error}", attempt=attempt)
        raise
    return key


@shared_task(
    bind=True, name="reporting.finish_report", acks_late=True, soft_time_limit=600, time_limit=660
)
def finish_report(self: Task[Any, Any], run_id: int, attempt: int | None = None) -> str:
    if not services.step_begin(run_id, "finish", worker_name(self), attempt):
        return ""  # the run ended, or this is an earlier attempt's chord: nothing to do
    try:
        snapshot = services.run_finish(run_id, attempt)
    except Exception as error:
        services.run_fail(run_id, f"{type(error).__name__}: {error}", attempt=attempt)
        raise
    return snapshot.content_hash if snapshot else ""


@shared_task(name="reporting.fail_report")
def fail_report(*args: Any, run_id: int, attempt: int | None = None) -> None:
    """Errback of the chord (Celery passes the failed request, exception and traceback, or
    the failed task's id): the run says why it failed."""
    errors = [arg for arg in args if isinstance(arg, BaseException)]
    reason = f"{type(errors[0]).__name__}: {errors[0]}" if errors else "a part of the report failed"
    services.run_fail(run_id, reason, attempt=attempt)


@shared_task(name="reporting.requeue_stalled_runs", soft_time_limit=60, time_limit=90)
def requeue_stalled_runs() -> list[int]:
    """The periodic check (``CELERY_BEAT_SCHEDULE``): runs whose worker died are queued
    again."""
    return services.requeue_stalled_runs()
