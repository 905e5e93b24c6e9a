"""What every job and every racing write share: the broker's visibility timeout against the
tasks' time limits, and a deadlock run again rather than answered with a 500."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.conf import settings
from django.db import connection, transaction

from rbm.celery import app
from rbm.conflicts import RETRY_ATTEMPTS, retry_on_deadlock
from rbm.errors import ConflictError
from rbm.models import Region


def test_no_task_can_outlive_the_visibility_timeout() -> None:
    """Redis hands an unacknowledged task to another worker after the visibility timeout: it
    must outlast the longest time limit, or a long task would run twice at once."""
    app.loader.import_default_modules()
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    limits = {
        name: task.time_limit or app.conf.task_time_limit
        for name, task in app.tasks.items()
        if not name.startswith("celery.")
    }
    assert {"reporting.compile_part", "dwcp.import_cpos"} <= set(limits)
    assert max(limits.values()) < timeout, limits
    assert timeout <= max(limits.values()) + 10 * 60  # not the default hour for nothing


def _deadlock_once(first: int, second: int, barrier: threading.Barrier) -> None:
    """Lock ``first`` then ``second`` (the other thread the other way round); the barrier
    only in the first attempt, so that the attempt run again can pass."""
    with transaction.atomic():
        Region.objects.select_for_update().filter(pk=first).get()
        if not barrier.broken:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=10)
        Region.objects.select_for_update().filter(pk=second).get()
        Region.objects.filter(pk=first).update(position=first)


def _race_into_a_deadlock(a: int, b: int) -> tuple[list[int], list[BaseException]]:
    """Two transactions lock ``a`` and ``b`` in opposite orders, each through
    ``retry_on_deadlock``: the attempts made and the errors that escaped."""
    barrier = threading.Barrier(2)
    attempts: list[int] = []
    errors: list[BaseException] = []

    @retry_on_deadlock
    def write(first: int, second: int) -> None:
        attempts.append(first)
        _deadlock_once(first, second, barrier)
        barrier.abort()  # the attempt run again does not wait

    def run(first: int, second: int) -> None:
        try:
            write(first, second)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in ((a, b), (b, a))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return attempts, errors


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_is_run_again_and_both_writes_succeed() -> None:
    a = Region.objects.create(code="r-a", name="Region A").pk
    b = Region.objects.create(code="r-b", name="Region B").pk
    for _trial in range(5):
        attempts, errors = _race_into_a_deadlock(a, b)
        # PostgreSQL rolled one of the two back; it ran again and both writes are there
        assert not errors, errors
        assert len(attempts) == 3
    assert set(Region.objects.filter(pk__in=[a, b]).values_list("position", flat=True)) == {a, b}


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_that_keeps_coming_back_is_a_409() -> None:
    calls = []

    @retry_on_deadlock
    def always_deadlocked() -> None:
        calls.append(1)
        with connection.cursor() as cursor:
            # PostgreSQL's own error, raised by the server as a real deadlock would be.
            cursor.execute(
                "DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = 'deadlock_detected'; END $$"
            )

    with pytest.raises(ConflictError) as raised:
        always_deadlocked()
    assert raised.value.status_code == 409
    assert len(calls) == RETRY_ATTEMPTS
