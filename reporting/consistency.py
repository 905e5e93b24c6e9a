"""One state of the data for every part of a run.

The parts of a run (``compile_part``) are computed by different tasks, on different workers,
at different moments. Reading each in its own transaction let a report count a CPO in one
part and not in the next when someone wrote between them (at scale 100, with eight clients
writing, half the snapshots had figures that disagreed with their own annex). So every part
of a run reads one state of the data, as parallel ``pg_dump`` does:

- on PostgreSQL with workers, ``compile_report`` opens a ``REPEATABLE READ`` transaction on a
  connection of its own, held by a thread of the worker process (``hold_state``), exports its
  snapshot (``pg_export_snapshot()``) and passes the snapshot's name to the parts; each part
  reads in a ``REPEATABLE READ`` transaction that adopts it (``SET TRANSACTION SNAPSHOT``,
  ``reading``). The holding transaction stays open until every part of the attempt is
  stored, the run stops running or a new attempt starts, or the parts' time limit passes.
  It only reads, so it locks nothing anyone writes.
- when the tasks run in-process (Celery eager: the demo on SQLite, the tests), there is one
  process and one connection: the whole run, parts and join, reads in one transaction
  (``one_transaction``), ``REPEATABLE READ`` on PostgreSQL. SQLite has no snapshot to
  export; its single transaction is what keeps the parts on one state there.

A part whose snapshot is gone (its holder's worker died) fails its run with a reason, and a
retry starts a new attempt with a new snapshot; parts and joins of an older attempt are
ignored (``reporting.services.part_store``, ``run_finish``), so a retry never mixes states.
The same data still gives the same content and the same hash.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection, connections, transaction

from reporting.models import ReportPart, ReportRun, RunStatus

logger = logging.getLogger(__name__)

# What PostgreSQL's pg_export_snapshot() returns, e.g. "00000003-0000001B-1".
SNAPSHOT_NAME = re.compile(r"^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$")
# Longer than any part may run (compile_part's hard time limit), so a holder never outlives
# the parts it serves by much, nor drops its snapshot before a slow part has adopted it.
HOLD_AT_MOST = 660.0
POLL_EVERY = 0.05


class StateGone(Exception):
    """The snapshot a part should read is gone: its holder stopped (worker died, timed out)."""


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def one_transaction() -> Iterator[None]:
    """The in-process path: everything inside reads one state of the data (``REPEATABLE
    READ`` on PostgreSQL; on SQLite one transaction). Inside an enclosing transaction (a
    test's), the enclosing one is that state."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and _on_postgresql():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


@contextmanager
def reading(snapshot: str | None) -> Iterator[None]:
    """A part's reads: in the exported ``snapshot`` when there is one (workers on
    PostgreSQL), else in the transaction the caller holds (``one_transaction``).
    Raises ``StateGone`` when the snapshot can no longer be adopted."""
    if snapshot is None or connection.in_atomic_block or not _on_postgresql():
        with transaction.atomic():
            yield
        return
    if not SNAPSHOT_NAME.match(snapshot):
        raise ValueError(f"Not a snapshot name: {snapshot!r}")
    with transaction.atomic():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        except DatabaseError as error:  # the atomic block rolls the transaction back
            raise StateGone(str(error).strip()) from error
        yield


def hold_state(run_id: int, attempt: int, keys: list[str]) -> str | None:
    """Export a snapshot of the data for the parts of ``attempt`` of the run and hold it (in a
    thread of this process) until they are stored. Returns its name, or None where there is
    no snapshot to export (not PostgreSQL)."""
    if not _on_postgresql():
        return None
    ready = threading.Event()
    exported: list[str] = []
    failure: list[BaseException] = []

    def hold() -> None:
        holder = connections.create_connection("default")
        try:
            holder.ensure_connection()
            holder.set_autocommit(False)
            with holder.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                exported.append(cursor.fetchone()[0])
            ready.set()
            _wait_for_parts(run_id, attempt, keys)
        except BaseException as error:  # the caller hears of it; the thread ends cleanly
            failure.append(error)
            ready.set()
        finally:
            try:
                holder.rollback()
            except Exception:  # a connection that died takes its transaction with it
                logger.debug("Report run %s: releasing its snapshot", run_id, exc_info=True)
            holder.close()
            connection.close()  # this thread's own connection, used to watch the parts

    thread = threading.Thread(target=hold, name=f"report-state-{run_id}-{attempt}", daemon=True)
    thread.start()
    ready.wait()
    if failure:
        raise failure[0]
    return exported[0]


def _wait_for_parts(run_id: int, attempt: int, keys: list[str]) -> None:
    deadline = time.monotonic() + HOLD_AT_MOST
    while time.monotonic() < deadline:
        run = ReportRun.objects.filter(pk=run_id).values("status", "attempts").first()
        if run is None or run["status"] != RunStatus.RUNNING or run["attempts"] != attempt:
            return
        stored = ReportPart.objects.filter(run_id=run_id, key__in=keys).count()
        if stored >= len(keys):
            return
        time.sleep(POLL_EVERY)
    logger.warning("Report run %s: its parts took too long; its snapshot is released", run_id)
