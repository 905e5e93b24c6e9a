"""Celery tasks of the country programmes: thin, taking ids, each calling the services."""

from __future__ import annotations

import logging

from celery import shared_task

from dwcp.spreadsheets import jobs

logger = logging.getLogger(__name__)


# acks_late: a task whose worker dies is delivered again; the import is safe to run twice.
# The time limits allow the largest file (20,000 rows) on a slow machine.
@shared_task(name="dwcp.import_cpos", acks_late=True, soft_time_limit=1800, time_limit=1860)
def import_cpos(import_id: int) -> str | None:
    try:
        job = jobs.import_run(import_id)
    except Exception as error:
        # A bug or the database gone: say so on the import's page; the CPOs are untouched.
        logger.exception("CPO import %s failed", import_id)
        jobs.import_fail(import_id, f"{type(error).__name__}: {error}")
        return None
    return job.status if job is not None else None


@shared_task(name="dwcp.requeue_stalled_imports", soft_time_limit=60, time_limit=90)
def requeue_stalled_imports() -> list[int]:
    """The periodic check (``CELERY_BEAT_SCHEDULE``): imports whose worker died are queued
    again."""
    return jobs.requeue_stalled_imports()
