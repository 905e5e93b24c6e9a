"""Uploaded CPO spreadsheets, imported in the background."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rbm.models import TimeStampedModel


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    IMPORTED = "imported", _("Imported")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Failed")
    # The broker refused the job at upload or retry: nothing runs it until it is queued again.
    NOT_QUEUED = "not_queued", _("Not queued")


IMPORT_ENDED = frozenset({ImportStatus.IMPORTED, ImportStatus.REFUSED, ImportStatus.FAILED})


class CpoImport(TimeStampedModel):
    """An uploaded CPO spreadsheet that passed its first check, imported by a Celery worker.

    The file is kept here so that the job can run again after a failure. The job writes the
    CPOs and records how the import ended in one transaction (``dwcp.spreadsheets.jobs``).
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file"))
    rows = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # How it ended: the counts and codes (imported), or every problem found (refused).
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("CPO import")
        verbose_name_plural = _("CPO imports")
        indexes = [models.Index(fields=["uploaded_by", "-created_at"], name="cpo_import_uploader")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def ended(self) -> bool:
        return self.status in IMPORT_ENDED
