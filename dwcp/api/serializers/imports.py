"""Serializers of CPO spreadsheet imports."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from dwcp.models import CpoImport
from dwcp.spreadsheets import jobs
from rbm.api.fields import CodeField
from rbm.api.serializers import TIMESTAMPS
from rbm.models import User


class CpoImportSerializer(serializers.ModelSerializer[CpoImport]):
    uploaded_by = CodeField(User, slug_field="username", read_only=True)
    progress = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Percent of the rows written: 100 once ended, null while unknown (the workers "
            "report it through a shared cache)."
        )
    )
    stalled = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The import will not end by itself (its worker died, or none took it): its "
            "uploader may retry it."
        )
    )
    outcome = serializers.JSONField(
        read_only=True,
        help_text=gettext_lazy(
            "How it ended: created, updated, unchanged (CPO codes), priorities_created and "
            "warnings when imported; message and errors (sheet, row, column, message) when "
            "refused."
        ),
    )

    class Meta:
        model = CpoImport
        fields = (
            "id",
            "filename",
            "rows",
            "status",
            "progress",
            "stalled",
            "uploaded_by",
            "attempts",
            "started_at",
            "finished_at",
            "outcome",
            "error",
            *TIMESTAMPS,
        )
        read_only_fields = fields

    def get_progress(self, job: CpoImport) -> int | None:
        return jobs.import_progress(job)

    def get_stalled(self, job: CpoImport) -> bool:
        stalled = self.context.get("stalled")
        return job.pk in stalled if stalled is not None else jobs.is_stalled(job)


class CpoImportUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        help_text=gettext_lazy(
            "The exported workbook (.xlsx) or its CSV, up to 5 MB and 20,000 rows. A file of "
            "up to 1,000 rows is checked at once: a wrong one is answered 400 with its first "
            "200 problems and the count of the others, and nothing is queued; a larger file "
            "is checked by the worker, which records a refusal the same way."
        )
    )
