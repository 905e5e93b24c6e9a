"""Every part of a run reads one state of the data, while people keep writing.

A real worker (and then this process, as the demo does) compiles several runs of the demo's
2012-13 report while another thread creates CPOs, edits them and validates their progress
through the services. Each snapshot's
figures (demand, targets and results, from the ``figures`` part) must equal the sums of its
own programmes annex (the ``programmes`` part), outcome by outcome.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from typing import Any

import pytest
from django.db import connection

from dwcp import services as dwcp_services
from dwcp.models import CountryProgrammeOutcome
from rbm.models import Biennium
from rbm.services import system_user
from reporting import consistency, services
from reporting.models import ReportPart, ReportRun, ReportSnapshot, RunStatus
from reporting.services import report_run_request
from reporting.tasks import compile_part
from tests import factories
from tests.worker import Worker, celery_on_redis, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

RUNS = 6
RUNS_IN_PROCESS = 4


def _annex(content: dict[str, Any]) -> dict[str, Counter[str]]:
    """By outcome code: the prioritized, targeted and achieved CPOs the annex adds up."""
    sums: dict[str, Counter[str]] = {}
    for region in content["programmes"]:
        for programme in region["programmes"]:
            for outcome in programme["outcomes"]:
                line = sums.setdefault(outcome["code"], Counter())
                line["demand"] += outcome["prioritized"]
                line["target"] += outcome["targeted"]
                line["results"] += sum(i["achieved"] for i in outcome["indicators"])
    return sums


def _figures(content: dict[str, Any]) -> dict[str, Counter[str]]:
    """By outcome code: demand, targets and results as the report's figures give them."""
    sums: dict[str, Counter[str]] = {}
    for objective in content["objectives"]:
        for outcome in objective["outcomes"]:
            line = sums.setdefault(outcome["code"], Counter())
            line["demand"] = outcome["demand_target"]["total"]["demand"]
            line["target"] = outcome["demand_target"]["total"]["target"]
            line["results"] = sum(i["results"] for i in outcome["indicators"])
    return sums


def _assert_consistent(snapshot: ReportSnapshot) -> None:
    content = snapshot.content
    figures, annex = _figures(content), _annex(content)
    for code, line in figures.items():
        assert dict(annex.get(code, Counter()) + Counter()) == dict(line + Counter()), code
    totals = content["totals"]
    assert totals["demand_target"]["total"]["demand"] == sum(a["demand"] for a in annex.values())
    assert totals["demand_target"]["total"]["target"] == sum(a["target"] for a in annex.values())
    assert totals["results"] == sum(a["results"] for a in annex.values())


class Writer(threading.Thread):
    """Creates CPOs, edits them and validates their progress, through the services, until
    stopped: what eight clients of the API did in the benchmark, in one thread."""

    def __init__(self, biennium: Biennium) -> None:
        super().__init__(daemon=True)
        self.biennium = biennium
        self.stop = threading.Event()
        self.writes = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._write()
        except BaseException as error:  # the test reports it
            self.error = error
        finally:
            connection.close()

    def _write(self) -> None:
        user = system_user()
        templates = list(
            CountryProgrammeOutcome.objects.filter(biennium=self.biennium, indicator__isnull=False)
            .select_related("programme__country", "priority", "outcome", "indicator")
            .order_by("pk")[:20]
        )
        period = dwcp_services.reporting_periods_ensure(user=user, biennium=self.biennium)[0]
        for n in itertools.count():
            if self.stop.is_set():
                return
            template = templates[n % len(templates)]
            cpo = dwcp_services.cpo_create(
                user=user,
                programme=template.programme,
                priority=template.priority,
                biennium=self.biennium,
                outcome=template.outcome,
                indicator=template.indicator,
                code=f"{template.programme.country.alpha3}{9000 + n}",
                title=f"Written during the report {n}",
                gender_statement="Women and men alike.",
                prioritized=n % 2 == 0,
                targeted=n % 3 != 0,
            )
            cpo, _changed = dwcp_services.cpo_update(
                user=user, cpo=cpo, version=cpo.version, targeted=not cpo.targeted, prioritized=True
            )
            report = dwcp_services.progress_report_create(
                user=user,
                cpo=cpo,
                period=period,
                status="achieved",
                narrative="Adopted.",
                result_claimed=True,
                evidence_text="Decree.",
            )
            report = dwcp_services.progress_report_submit(
                user=user, report=report, version=report.version
            )
            dwcp_services.progress_report_validate(user=user, report=report, version=report.version)
            self.writes += 1


def _status(run: ReportRun) -> str:
    return ReportRun.objects.values_list("status", flat=True).get(pk=run.pk)


def _wait_done(run: ReportRun) -> None:
    wait_for(lambda: _status(run) in (RunStatus.SUCCEEDED, RunStatus.FAILED), timeout=180)


def test_every_part_of_a_run_reads_the_same_state_while_cpos_are_written(demo) -> None:
    biennium = Biennium.objects.get(start_year=2012)
    writer = Writer(biennium)
    runs: list[ReportRun] = []
    with celery_on_redis() as queue, Worker(queue, concurrency=2):
        # Given someone creating, editing and validating CPOs all along
        writer.start()
        wait_for(lambda: writer.writes > 0 or writer.error is not None, timeout=60)
        try:
            # When the workers compile one run after another
            for _ in range(RUNS):
                run = report_run_request(user=system_user(), biennium=biennium)
                _wait_done(run)
                runs.append(run)
        finally:
            writer.stop.set()
            writer.join(timeout=60)
    assert writer.error is None, writer.error
    # Then every run succeeded and every snapshot's figures are the sums of its own annex
    snapshots = []
    for run in runs:
        run.refresh_from_db()
        assert run.status == RunStatus.SUCCEEDED, run.error
        assert run.snapshot is not None
        snapshots.append(run.snapshot)
        _assert_consistent(run.snapshot)
    # ...and the writes reached the reports: each run saw a different state of the data
    assert writer.writes >= RUNS
    assert len({snapshot.content_hash for snapshot in snapshots}) == RUNS


def test_in_process_every_run_reads_one_transaction_while_cpos_are_written(demo) -> None:
    # Given the tasks running in this process (no broker, as in the demo) and a writer
    biennium = Biennium.objects.get(start_year=2012)
    writer = Writer(biennium)
    writer.start()
    wait_for(lambda: writer.writes > 0 or writer.error is not None, timeout=60)
    runs: list[ReportRun] = []
    try:
        # When runs are compiled one after another
        for _ in range(RUNS_IN_PROCESS):
            runs.append(report_run_request(user=system_user(), biennium=biennium))
    finally:
        writer.stop.set()
        writer.join(timeout=60)
    assert writer.error is None, writer.error
    # Then each snapshot's figures are the sums of its own annex
    for run in runs:
        run.refresh_from_db()
        assert run.status == RunStatus.SUCCEEDED, run.error
        assert run.snapshot is not None
        _assert_consistent(run.snapshot)
    assert len({run.snapshot.content_hash for run in runs if run.snapshot}) == RUNS_IN_PROCESS


def _running_run() -> tuple[ReportRun, list[Any]]:
    factories.framework_2012_13()
    run = ReportRun.objects.create(
        biennium=factories.biennium("2012-13"), requested_by=system_user()
    )  # as report_run_request saves it, without queueing it
    started = services.run_start(run.pk)
    assert started is not None
    return run, started[0]


def test_tasks_of_an_older_attempt_leave_the_current_one_alone(reference) -> None:
    # Given a run whose first attempt stored a part, then started again (a retry)
    run, specs = _running_run()
    first = services.run_attempt(run.pk)
    services.part_store(run.pk, specs[0], {"old": True}, queries=1, seconds=0.1, attempt=first)
    services.run_start(run.pk)
    second = services.run_attempt(run.pk)
    assert second == first + 1
    assert not ReportPart.objects.filter(run=run).exists()  # its state is not the new one's
    # When the first attempt's tasks come late: a part, the join, a failure
    services.part_store(run.pk, specs[0], {"old": True}, queries=1, seconds=0.1, attempt=first)
    assert services.run_finish(run.pk, first) is None
    services.run_fail(run.pk, "an old failure", attempt=first)
    # Then the current attempt is untouched; its own failure still counts
    run.refresh_from_db()
    assert not ReportPart.objects.filter(run=run).exists()
    assert (run.status, run.error, run.snapshot_id) == (RunStatus.RUNNING, "", None)
    services.run_fail(run.pk, "this attempt failed", attempt=second)
    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.FAILED, "this attempt failed")


def test_a_part_adopts_the_exported_state_and_restarts_its_run_once_it_is_gone(reference) -> None:
    run, specs = _running_run()
    attempt = services.run_attempt(run.pk)
    keys = [spec.key for spec in specs]
    # Given the state exported for the run: a CPO written afterwards is not in it
    name = consistency.hold_state(run.pk, attempt, keys)
    assert name is not None
    assert _holders()
    factories.CpoFactory(outcome=factories.framework_2012_13()[1][0])
    with consistency.reading(name):
        assert not CountryProgrammeOutcome.objects.exists()
    assert CountryProgrammeOutcome.objects.count() == 1
    # When every part is stored, the holder lets the state go
    for spec in specs:
        services.part_store(run.pk, spec, {}, queries=0, seconds=0.0, attempt=attempt)
    wait_for(lambda: not _holders(), timeout=10)
    # Then a part that comes later cannot adopt it: rather than failing, the run starts again
    # as a new attempt, which reads a state of its own (in process here, to its end)
    assert compile_part(run.pk, "figures", name, attempt) == "figures"
    run.refresh_from_db()
    assert run.attempts == attempt + 1
    assert run.status == RunStatus.SUCCEEDED, run.error


def _holders() -> bool:
    """Whether a session still holds a transaction open that exported a snapshot."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'idle in transaction' AND query = 'SELECT pg_export_snapshot()'"
        )
        return bool(cursor.fetchone()[0])
