"""Compiling a report in a test: tasks run in-process once the request's transaction commits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rbm.services import system_user
from reporting.models import ReportRun, RunStatus
from reporting.services import report_run_request
from tests import factories


@pytest.fixture
def compile_report(django_capture_on_commit_callbacks: Any) -> Callable[..., ReportRun]:
    """``compile_report(**request)`` -> the succeeded run (with its snapshot)."""

    def run(**kwargs: Any) -> ReportRun:
        kwargs.setdefault("user", system_user())
        kwargs.setdefault("biennium", factories.biennium("2012-13"))
        with django_capture_on_commit_callbacks(execute=True):
            created = report_run_request(**kwargs)
        created.refresh_from_db()
        assert created.status == RunStatus.SUCCEEDED, created.error
        return created

    return run
