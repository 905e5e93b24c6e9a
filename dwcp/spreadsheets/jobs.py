"""CPO imports as background jobs: queued at upload, run by a Celery worker, run again safely.

The upload page checks the file at once (``cpo_import_check``) so that a wrong file is answered
in the request with every bad row, and keeps a file that passes in a ``CpoImport``. The task
``dwcp.import_cpos`` then calls ``import_run``, in two transactions:

1. It marks the import running (``attempts`` + 1) and commits, so the page can say so.
2. It locks the import's row, imports the file (``cpo_import``, which checks every row again)
   and records how the import ended, in one transaction. A worker killed halfway leaves
   nothing saved and the import not ended; running it again ends as a first run would. A task
   delivered twice waits on the lock, then finds the import ended.

While step 2 runs, its row lock is the proof that a worker is alive: an import marked running
whose row nobody holds has lost its worker (``is_stalled``), and its uploader may run it again.
Progress is a hint kept in the cache (the writes are invisible until they commit).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dwcp.models import IMPORT_ENDED, CpoImport, ImportStatus
from dwcp.notifications import import_ended
from dwcp.spreadsheets.errors import CheckDeferred, ImportRefused, RowError
from dwcp.spreadsheets.importing import ImportResult, Progress, cpo_import, cpo_import_check
from rbm.audit import acting_as
from rbm.errors import ApplicationError, ConflictError
from rbm.jobs import enqueue_job
from rbm.models import User
from rbm.permissions import require
from rbm.services import STALLED_AFTER

logger = logging.getLogger(__name__)

# A job marked running whose row no worker holds is stalled once this has passed: the gap
# between its two transactions is far shorter.
LOST_WORKER_AFTER = datetime.timedelta(seconds=30)
PROGRESS_KEY = "dwcp:cpo-import:{pk}:progress"
# The rows a request reads and checks at most (about 0.3 s); a larger file is left to the worker.
CHECK_IN_REQUEST_ROWS = 1000
RUN_FIELDS = ["status", "attempts", "started_at", "error", "updated_at"]


def _enqueue(job: CpoImport) -> None:
    """Queue the import once the transaction commits; if the broker refuses, it is marked
    "not queued" (in the database and on ``job``, which the caller shows)."""
    from dwcp.tasks import import_cpos

    enqueue_job(import_cpos, job, queued=ImportStatus.QUEUED, not_queued=ImportStatus.NOT_QUEUED)


@transaction.atomic
def import_request(*, user: User, content: bytes, filename: str) -> CpoImport:
    """Check the file now and queue its import. Raises ``ImportRefused`` (the bad rows) or
    ``SpreadsheetRefused`` (the file as a whole); nothing is queued then.

    The request does only what is bounded: the archive's checks, and the rows' only for a
    file of at most ``CHECK_IN_REQUEST_ROWS`` rows. A larger file is queued unread past that
    row and its worker checks it, recording a refusal on the import's page as it does when
    the data changed meanwhile.
    """
    try:
        parsed = cpo_import_check(
            user=user, content=content, filename=filename, defer_after=CHECK_IN_REQUEST_ROWS
        )
    except CheckDeferred:
        rows = 0  # counted by the worker
    else:
        rows = len(parsed.cpo_rows)
    job = CpoImport.objects.create(
        uploaded_by=user, filename=filename[:255], content=content, rows=rows
    )
    _enqueue(job)
    return job


def import_run(import_id: int) -> CpoImport | None:
    """Import a queued file: see the module's docstring. Safe to run twice."""
    with transaction.atomic():
        job = _lock(import_id, skip_locked=True, file=False)
        marked = job is not None and not job.ended
        if job is not None and marked:
            _mark_running(job)
            job.save(update_fields=RUN_FIELDS)
    _progress(import_id, 0)
    with transaction.atomic():
        job = _lock(import_id)
        if job is None or job.ended:
            return job  # deleted meanwhile, or another delivery of the task did it
        if not marked:
            _mark_running(job)
        try:
            with acting_as(job.uploaded_by):
                result = cpo_import(
                    user=job.uploaded_by,
                    content=bytes(job.content),
                    filename=job.filename,
                    progress=_progress_writer(import_id),
                )
        except ImportRefused as refused:
            _end(job, ImportStatus.REFUSED, refused_outcome(refused))
        except (ApplicationError, PermissionDenied) as error:
            _end(job, ImportStatus.REFUSED, {"message": str(error), "errors": []})
        else:
            _end(job, ImportStatus.IMPORTED, dataclasses.asdict(result))
            job.rows = len(result.created) + len(result.updated) + len(result.unchanged)
        job.save(update_fields=[*RUN_FIELDS, "outcome", "finished_at", "rows"])
        import_ended(job, refused=job.status == ImportStatus.REFUSED)
    cache.delete(PROGRESS_KEY.format(pk=import_id))
    return job


def _lock(import_id: int, *, skip_locked: bool = False, file: bool = True) -> CpoImport | None:
    """The import, its row locked (only its row: not the uploader's, which the user's own
    requests may need meanwhile)."""
    jobs = CpoImport.objects.select_for_update(
        skip_locked=skip_locked and _can_skip_locked(), of=("self",)
    ).select_related("uploaded_by")
    if not file:
        jobs = jobs.defer("content")
    return jobs.filter(pk=import_id).first()


def _can_skip_locked() -> bool:
    return bool(connection.features.has_select_for_update_skip_locked)


def _mark_running(job: CpoImport) -> None:
    job.status = ImportStatus.RUNNING
    job.attempts += 1
    job.started_at = timezone.now()
    job.error = ""


def _end(job: CpoImport, status: str, outcome: dict[str, Any]) -> None:
    job.status = status
    job.outcome = outcome
    job.finished_at = timezone.now()


def refused_outcome(refused: ImportRefused) -> dict[str, Any]:
    return {
        "message": refused.message,
        "errors": [e.__dict__ for e in refused.errors],
        "more": refused.more,
    }


def _progress(import_id: int, percent: int) -> None:
    cache.set(PROGRESS_KEY.format(pk=import_id), percent, timeout=3600)


def _progress_writer(import_id: int) -> Progress:
    """``progress(done, total)`` for the import: writes the percent when it changes."""
    last = 0

    def write(done: int, total: int) -> None:
        nonlocal last
        percent = done * 100 // total
        if percent != last:
            last = percent
            _progress(import_id, percent)

    return write


def import_progress(job: CpoImport) -> int | None:
    """Percent of the rows written: 100 once ended, None when unknown (e.g. still queued)."""
    if job.ended:
        return 100
    if job.status != ImportStatus.RUNNING:
        return 0
    value = cache.get(PROGRESS_KEY.format(pk=job.pk))
    return int(value) if value is not None else None


@transaction.atomic
def import_fail(import_id: int, error: str) -> None:
    """Record that the job broke (a bug, the database gone): the CPOs are untouched."""
    job = CpoImport.objects.select_for_update().defer("content").get(pk=import_id)
    if job.ended:
        return
    job.status = ImportStatus.FAILED
    job.error = error[:4000]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "updated_at"])
    cache.delete(PROGRESS_KEY.format(pk=import_id))


def held_by_a_worker(job: CpoImport) -> bool | None:
    """Whether a transaction holds the job's row now (None where the database cannot tell,
    and for an ended job)."""
    return _held_of([job]).get(job.pk)


def _held_of(jobs: Iterable[CpoImport]) -> dict[int, bool | None]:
    """For each job not ended, whether a transaction holds its row now: one query for all
    (None where the database cannot tell)."""
    open_ids = [job.pk for job in jobs if job.status not in IMPORT_ENDED]
    if not open_ids:
        return {}
    if not _can_skip_locked():
        return dict.fromkeys(open_ids)
    with transaction.atomic():
        free = set(
            CpoImport.objects.select_for_update(skip_locked=True)
            .filter(pk__in=open_ids)
            .values_list("pk", flat=True)
        )
    return {pk: pk not in free for pk in open_ids}


def stalled_ids(jobs: Sequence[CpoImport], now: datetime.datetime | None = None) -> set[int]:
    """The jobs of a list that are stalled (``is_stalled``), in one query whatever their
    number."""
    held = _held_of(jobs)
    now = now or timezone.now()
    return {job.pk for job in jobs if _stalled(job, held.get(job.pk), now)}


def is_stalled(job: CpoImport, now: datetime.datetime | None = None) -> bool:
    """The job will not end by itself: its worker died, or no worker took it."""
    return job.pk in stalled_ids([job], now)


def _stalled(job: CpoImport, held: bool | None, now: datetime.datetime) -> bool:
    if job.status in IMPORT_ENDED or held:
        return False
    if job.status == ImportStatus.RUNNING:
        since = job.started_at or job.updated_at
        return now - since > (LOST_WORKER_AFTER if held is False else STALLED_AFTER)
    return now - job.updated_at > STALLED_AFTER


@transaction.atomic
def import_retry(*, user: User, job: CpoImport) -> CpoImport:
    """Queue a failed or stalled import again, for its uploader or an administrator."""
    require(user, "cpo_import.view", job)
    require(user, "cpo.import")
    try:
        locked = CpoImport.objects.select_for_update(nowait=True).defer("content").get(pk=job.pk)
    except DatabaseError:
        raise ConflictError(_("This import is running now.")) from None
    if locked.status in (ImportStatus.IMPORTED, ImportStatus.REFUSED):
        raise ApplicationError(
            _("This import has ended; to import the file again, upload it again.")
        )
    if locked.status not in (ImportStatus.FAILED, ImportStatus.NOT_QUEUED) and not is_stalled(
        locked
    ):
        raise ApplicationError(_("This import is still going; retry it if it stalls or fails."))
    locked.status = ImportStatus.QUEUED
    locked.error = ""
    locked.finished_at = None
    locked.outcome = {}
    locked.save(update_fields=["status", "error", "finished_at", "outcome", "updated_at"])
    _enqueue(locked)
    return locked


@transaction.atomic
def requeue_stalled_imports() -> list[int]:
    """Queue again every stalled import (the periodic check, no user: the system does it):
    one whose worker died (running, its row held by no transaction) or queued for
    ``STALLED_AFTER``. Safe to run twice at once (rows locked, held ones skipped) and safe for
    the CPOs: the import writes all of them or none, in the transaction that records its end,
    so running it again imports nothing twice."""
    now = timezone.now()
    candidates = list(
        CpoImport.objects.filter(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])
        .defer("content", "outcome")
        .order_by("pk")
    )
    stalled = sorted(stalled_ids(candidates, now))
    if not stalled:
        return []
    locked = list(
        CpoImport.objects.select_for_update(skip_locked=_can_skip_locked())
        .filter(pk__in=stalled, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])
        .defer("content", "outcome")
        .order_by("pk")
    )
    for job in locked:
        logger.warning("CPO import %s stalled (%s): queued again", job.pk, job.status)
        CpoImport.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED, updated_at=now)
        job.status = ImportStatus.QUEUED
        _enqueue(job)
    return [job.pk for job in locked]


def import_result(job: CpoImport) -> ImportResult | None:
    """The outcome of an imported job in the shape the import returned it."""
    if job.status != ImportStatus.IMPORTED:
        return None
    outcome = dict(job.outcome)
    warnings = [RowError(**w) for w in outcome.pop("warnings", [])]
    return ImportResult(**outcome, warnings=warnings)


def import_refusal(job: CpoImport) -> ImportRefused | None:
    """The outcome of a refused job in the shape the import raised it: its message and every
    problem found."""
    if job.status != ImportStatus.REFUSED:
        return None
    refusal = ImportRefused(
        [RowError(**e) for e in job.outcome.get("errors", [])], more=job.outcome.get("more", 0)
    )
    refusal.message = job.outcome.get("message", refusal.message)
    return refusal
