"""Report runs: request, start, store parts, finish into a snapshot, fail, retry; snapshots:
mark final. Each step is safe to run twice (Celery may deliver a task again)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rbm.errors import ApplicationError
from rbm.jobs import enqueue_job, lost_workers
from rbm.models import Biennium, Region, User
from rbm.permissions import require
from rbm.services import STALLED_AFTER, validate
from rbm.workflow import locked_for, transition
from reporting import notifications
from reporting.compilation import PartSpec, assemble, content_hash, outline
from reporting.completeness import snapshot_gaps
from reporting.models import ReportPart, ReportRun, ReportSnapshot, RunStatus, Scope
from strategic_plans.models import StrategicObjective

logger = logging.getLogger(__name__)

PROGRESS_BEFORE_JOIN = 95
AFTER = "after:"


def _enqueue(run: ReportRun) -> None:
    """Queue the run once the transaction commits; if the broker refuses, the run is marked
    "not queued" (in the database and on ``run``, which the caller shows)."""
    from reporting.tasks import compile_report

    enqueue_job(compile_report, run, queued=RunStatus.QUEUED, not_queued=RunStatus.NOT_QUEUED)


@transaction.atomic
def report_run_request(
    *,
    user: User,
    biennium: Biennium,
    scope: str = Scope.WHOLE,
    region: Region | None = None,
    objective: StrategicObjective | None = None,
    language: str = "en",
    introduction: str = "",
) -> ReportRun:
    """Ask for a report; it is compiled by the workers (in-process without a broker). The
    scope's rule (which of region and objective it needs) is the model's (``validate``).
    ``introduction``: the secretariat's text for the executive summary, in ``language``."""
    require(user, "report.request")
    if not hasattr(biennium, "programme"):
        raise ValidationError(
            {"biennium": _("No programme and budget covers %(biennium)s.") % {"biennium": biennium}}
        )
    run = ReportRun(
        biennium=biennium,
        scope=scope,
        region=region,
        objective=objective,
        language=language,
        introduction=introduction.strip(),
        requested_by=user,
    )
    validate(run)
    run.save()
    _enqueue(run)
    return run


def _lost_step(run: ReportRun, lost: set[str]) -> bool:
    return any(worker in lost for worker in (run.steps or {}).values())


def _silent(run: ReportRun, now: datetime.datetime) -> bool:
    return now - (run.heartbeat_at or run.started_at or run.created_at) > STALLED_AFTER


def is_stalled(run: ReportRun, now: datetime.datetime | None = None) -> bool:
    """The run will not end by itself: a worker running one of its steps stopped beating
    (``rbm.jobs``), it showed no sign of life for ``STALLED_AFTER``, or it has been queued
    that long."""
    now = now or timezone.now()
    if run.status == RunStatus.RUNNING:
        lost = lost_workers(set((run.steps or {}).values()), now)
        return _lost_step(run, lost) or _silent(run, now)
    if run.status == RunStatus.QUEUED:
        return now - run.updated_at > STALLED_AFTER
    return False


def _stalled_candidates(now: datetime.datetime) -> list[ReportRun]:
    """Stalled runs, locked (skipping those a transaction holds)."""
    running = list(
        ReportRun.objects.select_for_update(skip_locked=True)
        .filter(status=RunStatus.RUNNING)
        .only("pk", "status", "steps", "heartbeat_at", "started_at", "created_at")
    )
    workers = {worker for run in running for worker in (run.steps or {}).values()}
    lost = lost_workers(workers, now)
    stalled = [run for run in running if _lost_step(run, lost) or _silent(run, now)]
    stalled += list(
        ReportRun.objects.select_for_update(skip_locked=True)
        .filter(status=RunStatus.QUEUED, updated_at__lt=now - STALLED_AFTER)
        .only("pk", "status", "steps")
    )
    return stalled


@transaction.atomic
def requeue_stalled_runs() -> list[int]:
    """Queue again every stalled run (the periodic check, no user: the system does it).

    Safe to run twice at once (the rows are locked, skipping held ones) and safe for the run:
    it compiles again from its start and ends with the same snapshot hash (parts are upserts,
    the join makes one snapshot). Returns the runs queued again.
    """
    now = timezone.now()
    runs = _stalled_candidates(now)
    for run in runs:
        logger.warning("Report run %s stalled (steps %r): queued again", run.pk, run.steps)
        ReportRun.objects.filter(pk=run.pk).update(
            status=RunStatus.QUEUED, progress=0, error="", steps={}, updated_at=now
        )
        _enqueue(run)
    return [run.pk for run in runs]


@transaction.atomic
def run_state_lost(run_id: int, attempt: int | None) -> None:
    """The state of the data the parts of ``attempt`` read is gone (the worker holding its
    snapshot died, ``reporting.consistency``): the run is queued again, as a new attempt that
    reads a new state. Same data, same hash; a task of an older attempt changes nothing."""
    run = ReportRun.objects.select_for_update().only("pk", "status", "attempts").get(pk=run_id)
    if run.status != RunStatus.RUNNING or _stale(run, attempt):
        return
    logger.warning("Report run %s: its state of the data is gone; queued again", run_id)
    ReportRun.objects.filter(pk=run_id).update(
        status=RunStatus.QUEUED, progress=0, error="", steps={}, updated_at=timezone.now()
    )
    _enqueue(run)


@transaction.atomic
def report_run_retry(*, user: User, run: ReportRun, force: bool = False) -> ReportRun:
    """Run a failed or stalled run again; it ends with the same snapshot hash as a clean run.

    ``report.retry``'s rows allow it on a run that has not succeeded; one that is queued or
    running must have stalled (or ``force``: a test, an operator who knows its worker died).
    """

    def stalled_or_failed(locked: ReportRun) -> None:
        if locked.status not in (RunStatus.FAILED, RunStatus.NOT_QUEUED) and not (
            force or is_stalled(locked)
        ):
            raise ApplicationError(_("This run is still going; retry it if it stalls or fails."))

    run = transition(
        run,
        user=user,
        action="report.retry",
        target=RunStatus.QUEUED,
        version=None,
        changes={"error": "", "progress": 0, "finished_at": None, "steps": {}},
        check=stalled_or_failed,
    )
    _enqueue(run)
    return run


@transaction.atomic
def step_begin(run_id: int, step: str, worker: str, attempt: int | None = None) -> bool:
    """Record that ``worker`` runs ``step`` of the run; False if the run is not running, or
    runs another attempt than the task's (a task delivered again after the run ended, or of
    an attempt whose worker died: skip it)."""
    run = (
        ReportRun.objects.select_for_update()
        .only("pk", "status", "steps", "attempts")
        .get(pk=run_id)
    )
    if run.status != RunStatus.RUNNING or attempt not in (None, run.attempts):
        return False
    if worker:
        steps = dict(run.steps or {})
        steps.pop(AFTER + worker, None)
        steps[step] = worker
        ReportRun.objects.filter(pk=run_id).update(steps=steps, heartbeat_at=timezone.now())
    return True


@transaction.atomic
def step_end(run_id: int, step: str) -> None:
    """``step`` of the run is done (its task handed over to the next)."""
    run = ReportRun.objects.select_for_update().only("pk", "steps").get(pk=run_id)
    if step in (run.steps or {}):
        ReportRun.objects.filter(pk=run_id).update(
            steps=_ended(run.steps, step), heartbeat_at=timezone.now()
        )


def _ended(steps: dict[str, str], step: str) -> dict[str, str]:
    """``steps`` without ``step``, its worker kept (``after:<worker>``) until it begins
    another step: a worker may hold the run's next task as soon as it ends a step (Celery's
    prefetch), so if it dies before starting that task, the run is stalled."""
    ended = {key: worker for key, worker in steps.items() if key != step}
    if steps.get(step):
        ended[AFTER + steps[step]] = steps[step]
    return ended


@transaction.atomic
def run_start(run_id: int, worker: str = "") -> tuple[list[PartSpec], int] | None:
    """Mark the run running on ``worker`` and return its parts and the attempt's number;
    None if it already succeeded."""
    run = (
        ReportRun.objects.select_for_update(of=("self",)).select_related("biennium").get(pk=run_id)
    )
    if run.status == RunStatus.SUCCEEDED:
        return None
    specs = outline(run)
    # A new attempt reads a new state of the data: no part of an older one is kept.
    ReportPart.objects.filter(run=run).delete()
    now = timezone.now()
    run.status = RunStatus.RUNNING
    run.started_at = run.started_at or now
    run.heartbeat_at = now
    run.steps = {"start": worker} if worker else {}
    run.attempts += 1
    run.parts_total = len(specs)
    run.error = ""
    run.save(
        update_fields=[
            "status",
            "started_at",
            "heartbeat_at",
            "steps",
            "attempts",
            "parts_total",
            "error",
            "updated_at",
        ]
    )
    return specs, run.attempts


def run_attempt(run_id: int) -> int:
    """The number of the run's current attempt (``run_start`` counts them)."""
    return ReportRun.objects.values_list("attempts", flat=True).get(pk=run_id)


def _stale(run: ReportRun, attempt: int | None) -> bool:
    """A task of an older attempt of the run (or of one that stopped running): what it read
    is not the current attempt's state of the data, so it is ignored."""
    return attempt is not None and (run.attempts != attempt or run.status != RunStatus.RUNNING)


def part_store(
    run_id: int,
    spec: PartSpec,
    content: dict[str, Any],
    *,
    queries: int,
    seconds: float,
    attempt: int | None = None,
) -> None:
    """Write one part whole (again if it ran before), move the progress bar and end the
    part's step. A part of a run that is no longer running (a task delivered again after the
    run ended) or of an older ``attempt`` than the run's is dropped."""
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.RUNNING or _stale(run, attempt):
            return
        ReportPart.objects.update_or_create(
            run_id=run_id,
            key=spec.key,
            defaults={
                "content": content,
                "queries": queries,
                "seconds": seconds,
            },
        )
        done = ReportPart.objects.filter(run_id=run_id).count()
        progress = PROGRESS_BEFORE_JOIN * min(done, run.parts_total) // max(run.parts_total, 1)
        steps = _ended(run.steps or {}, spec.key)
        ReportRun.objects.filter(pk=run_id).update(
            progress=max(run.progress, progress), heartbeat_at=timezone.now(), steps=steps
        )


@transaction.atomic
def run_finish(run_id: int, attempt: int | None = None) -> ReportSnapshot | None:
    """Join the parts into a snapshot and mark the run succeeded, in one transaction.

    Safe to call twice: a succeeded run returns its snapshot. A missing part fails loudly
    rather than giving a half report. The join of an older ``attempt`` does nothing (None).
    """
    run = (
        ReportRun.objects.select_for_update(of=("self",)).select_related("biennium").get(pk=run_id)
    )
    if run.status == RunStatus.SUCCEEDED and run.snapshot_id:
        assert run.snapshot is not None
        return run.snapshot
    if _stale(run, attempt):
        return None
    specs = outline(run)
    parts = {p.key: p.content for p in ReportPart.objects.filter(run=run)}
    missing = [spec.key for spec in specs if spec.key not in parts]
    if missing:
        raise ApplicationError(
            _("%(count)s parts of the report are missing: %(keys)s")
            % {"count": len(missing), "keys": ", ".join(missing[:5])}
        )
    content = assemble(run, {spec.key: parts[spec.key] for spec in specs})
    snapshot = ReportSnapshot.objects.create(
        biennium=run.biennium,
        scope=run.scope,
        region=run.region,
        objective=run.objective,
        language=run.language,
        content=content,
        content_hash=content_hash(content),
    )
    now = timezone.now()
    run.snapshot = snapshot
    run.status = RunStatus.SUCCEEDED
    run.progress = 100
    run.finished_at = now
    run.heartbeat_at = now
    run.steps = {}
    run.save(
        update_fields=[
            "snapshot",
            "status",
            "progress",
            "finished_at",
            "heartbeat_at",
            "steps",
            "updated_at",
        ]
    )
    ReportPart.objects.filter(run=run).delete()
    notifications.run_ended(run, failed=False)
    return snapshot


@transaction.atomic
def run_fail(run_id: int, error: str, attempt: int | None = None) -> None:
    """Record why a run failed. The data the report reads is untouched. The failure of a
    task of an older ``attempt`` leaves the current one alone."""
    run = ReportRun.objects.select_for_update().get(pk=run_id)
    if run.status == RunStatus.SUCCEEDED or _stale(run, attempt):
        return
    run.status = RunStatus.FAILED
    run.error = error[:4000]
    run.finished_at = timezone.now()
    run.steps = {}
    run.save(update_fields=["status", "error", "finished_at", "steps", "updated_at"])
    notifications.run_ended(run, failed=True)


@transaction.atomic
def snapshot_mark_final(
    *, user: User, snapshot: ReportSnapshot, confirm_gaps: Iterable[str] | None = None
) -> ReportSnapshot:
    """Mark a snapshot as submitted to the Governing Body. It never changes afterwards.

    A snapshot with gaps (``reporting.completeness``) goes final only with a confirmation
    that names every one of them by its key (``confirm_gaps``), and only those; the
    confirmed gaps are kept with it (``final_gaps``, in its history). Without gaps no
    confirmation is needed.
    """
    snapshot = locked_for(snapshot, user=user, action="report.finalize", version=None)
    gaps = snapshot_gaps(snapshot.content)
    open_keys = [gap.key for gap in gaps]
    confirmed = {key.strip() for key in confirm_gaps or () if key.strip()}
    if confirmed != set(open_keys):
        unconfirmed = [gap.text for gap in gaps if gap.key not in confirmed]
        unknown = sorted(confirmed - set(open_keys))
        errors = []
        if unconfirmed:
            errors.append(
                ngettext(
                    "%(count)s gap is open; confirm it to mark the snapshot final anyway: %(gaps)s",
                    "%(count)s gaps are open; confirm them all to mark the snapshot final "
                    "anyway: %(gaps)s",
                    len(unconfirmed),
                )
                % {"count": len(unconfirmed), "gaps": " ".join(unconfirmed)}
            )
        if unknown:
            errors.append(_("Not a gap of this snapshot: %(keys)s") % {"keys": ", ".join(unknown)})
        raise ValidationError({"confirm_gaps": errors})
    snapshot.final = True
    snapshot.finalized_at = timezone.now()
    snapshot.finalized_by = user
    snapshot.final_gaps = open_keys
    snapshot.save(
        update_fields=["final", "finalized_at", "finalized_by", "final_gaps", "updated_at"]
    )
    return snapshot
