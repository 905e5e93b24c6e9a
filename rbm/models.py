"""The shared core: reference data every app uses, and the users with their roles."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rbm import labels

BIENNIUM_CODE = re.compile(r"^(?P<start>\d{4})-(?P<end>\d{2})$")


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A record people edit: ``version`` guards against silent overwrites.

    Services compare the version the editor read with the stored one and refuse a stale
    write (see ``rbm.services.check_version``).
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class Region(TimeStampedModel):
    """One of the five ILO regions."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language."""
        return gettext(self.name) if self.name in labels.REGION_NAMES else self.name


class Country(TimeStampedModel):
    """An ILO member State, identified by its ISO 3166-1 alpha-3 code."""

    alpha3 = models.CharField(
        _("ISO 3166-1 alpha-3 code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use three capital letters, e.g. IDN."))],
    )
    alpha2 = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="countries"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(alpha3__regex=r"^[A-Z]{3}$"), name="country_alpha3_format"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language, from the ISO 3166 catalogues."""
        from rbm.reference import country_name

        return country_name(self.alpha3, self.name)


class OfficeKind(models.TextChoices):
    HEADQUARTERS = "headquarters", _("Headquarters")
    REGIONAL_OFFICE = "regional_office", _("Regional office")
    DECENT_WORK_TEAM = "decent_work_team", _("Decent work team")
    COUNTRY_OFFICE = "country_office", _("Country office")
    # A department or bureau at headquarters that services outcomes (e.g. the Bureaux for
    # Employers' and for Workers' Activities); like headquarters, it has no region.
    TECHNICAL_UNIT = "technical_unit", _("Technical unit (headquarters)")


HQ_OFFICE_KINDS = (OfficeKind.HEADQUARTERS, OfficeKind.TECHNICAL_UNIT)


class Office(TimeStampedModel):
    """An ILO office and the member States it covers."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OfficeKind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="offices",
        null=True,
        blank=True,
        help_text=_("Empty for headquarters."),
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries covered"), related_name="offices", blank=True
    )
    history = HistoricalRecords(m2m_fields=[countries])

    class Meta:
        ordering = ["name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=HQ_OFFICE_KINDS) | models.Q(region__isnull=False),
                name="office_field_office_has_region",
                violation_error_message=_("A field office belongs to a region."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Biennium(TimeStampedModel):
    """A two-year programme period such as 2012-13, starting in an even year."""

    start_year = models.PositiveSmallIntegerField(_("start year"), unique=True)
    end_year = models.PositiveSmallIntegerField(_("end year"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["start_year"]
        verbose_name = _("biennium")
        verbose_name_plural = _("bienniums")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year=models.F("start_year") + 1),
                name="biennium_two_years",
                violation_error_message=_("A biennium ends the year after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(start_year__gte=1990, start_year__lte=2100),
                name="biennium_start_year_range",
                violation_error_message=_("The start year must lie between 1990 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return self.format_code(self.start_year, self.end_year)

    @staticmethod
    def format_code(start_year: int, end_year: int) -> str:
        """(2012, 2013) as "2012-13"."""
        return f"{start_year}-{end_year % 100:02d}"

    def clean(self) -> None:
        if self.start_year is not None and self.start_year % 2:
            raise ValidationError(
                {"start_year": _("A biennium starts in an even year (e.g. 2012-13).")}
            )
        if self.start_year is not None and self.end_year is None:
            self.end_year = self.start_year + 1

    @staticmethod
    def parse_code(code: str) -> tuple[int, int]:
        """Split "2012-13" into (2012, 2013); raise ValidationError for anything else."""
        match = BIENNIUM_CODE.match(code.strip())
        if not match:
            raise ValidationError(
                _("%(code)s is not a biennium; write it as 2012-13."), params={"code": code}
            )
        start = int(match["start"])
        end = start - start % 100 + int(match["end"])
        if end < start:
            end += 100
        if end != start + 1 or start % 2:
            raise ValidationError(
                _("%(code)s is not a biennium: it starts in an even year and lasts two years."),
                params={"code": code},
            )
        return start, end


class FundingSource(TimeStampedModel):
    """Where money comes from: regular budget, RBTC, extra-budgetary TC, RBSA."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        return gettext(self.name) if self.name in labels.FUNDING_SOURCE_NAMES else self.name


class Role(models.TextChoices):
    FIELD_OFFICE_STAFF = "field_office_staff", _("Field office staff")
    REGIONAL_PROGRAMME_OFFICER = "regional_programme_officer", _("Regional programme officer")
    OUTCOME_COORDINATOR = "outcome_coordinator", _("Outcome coordinator")
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")
    GB_SECRETARIAT = "gb_secretariat", _("Governing Body secretariat")
    # Staff of a headquarters technical unit (their office): they manage global and
    # interregional projects and service the CPOs of the outcomes their unit services.
    HQ_TECHNICAL_UNIT = "hq_technical_unit", _("HQ technical unit")
    # Manage evaluations of their region (or, without a region, of headquarters).
    EVALUATION_MANAGER = "evaluation_manager", _("Evaluation manager")
    ADMINISTRATOR = "administrator", _("Administrator")


class RbmUserManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra)


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Each notification as it happens")
    DIGEST = "digest", _("One daily digest")
    NONE = "none", _("No e-mail (in the application only)")


class User(AbstractUser):
    """A person who signs in. Their role and its scope (office, region) are data.

    Outcome coordinators' outcomes are held by ``strategic_plans.Outcome.coordinators``.
    """

    role = models.CharField(_("role"), max_length=40, choices=Role.choices, blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="programme_officers",
        null=True,
        blank=True,
    )
    # Preferences (the account page): the language of the e-mails we send, and how.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    email_mode = models.CharField(
        _("e-mail notifications"),
        max_length=16,
        choices=EmailMode.choices,
        default=EmailMode.IMMEDIATE,
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects: ClassVar[RbmUserManager] = RbmUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.FIELD_OFFICE_STAFF) | models.Q(office__isnull=False),
                name="user_field_staff_has_office",
                violation_error_message=_("Field office staff belong to an office."),
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.HQ_TECHNICAL_UNIT) | models.Q(office__isnull=False),
                name="user_technical_unit_staff_has_office",
                violation_error_message=_("HQ technical unit staff belong to their unit."),
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.REGIONAL_PROGRAMME_OFFICER)
                | models.Q(region__isnull=False),
                name="user_regional_officer_has_region",
                violation_error_message=_("A regional programme officer has a region."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR


class ApiToken(models.Model):
    """A key a user gives a script or another system to call the API on their behalf.

    Only a SHA-256 hash of the key is stored; the key itself is shown once, when the token is
    created on the account page. Revoking keeps the row (for the record) and refuses the key.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. the ERP import.")
    )
    prefix = models.CharField(
        _("prefix"),
        max_length=12,
        help_text=_("The first characters of the key, to tell keys apart."),
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="api_token_name_unique_per_user",
                violation_error_message=_("You already have a token with this name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class WorkerHeartbeat(models.Model):
    """The last sign of life of a Celery worker, written every few seconds by a thread of
    the worker's main process (``rbm.jobs``): a job records the worker running it, and a job
    whose worker has stopped beating is stalled. ``/healthz`` reads the latest."""

    name = models.CharField(_("worker"), max_length=255, unique=True)
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen at"), db_index=True)

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.name


class EmailState(models.TextChoices):
    PENDING = "pending", _("to send")
    DIGEST = "digest", _("for the digest")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    NONE = "none", _("not e-mailed")


class Notification(models.Model):
    """Something that happened or falls due, told to one person (``rbm.notifications``).

    ``key`` names the occurrence (an event on a record, at a version or a date): the same
    occurrence is recorded once per recipient, whatever retries a task makes. Its e-mail
    leaves at most once: a sender claims it (``pending`` -> ``sending``) in a committed
    statement before it talks to the mail server.
    """

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=64)
    key = models.CharField(_("key"), max_length=200)
    # What the event's text is made from (codes, names, counts), put into the event's
    # words in the recipient's language when shown or sent.
    params = models.JSONField(_("parameters"), default=dict)
    url = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(
        _("e-mail"), max_length=16, choices=EmailState.choices, default=EmailState.NONE
    )
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], name="notification_once_per_recipient"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["email_state", "recipient"],
                condition=models.Q(email_state__in=["pending", "digest"]),
                name="notification_to_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id}"
