"""Serializers of country programme outcomes, and the CPO list written by hand from rows."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dwcp import selectors
from dwcp.api.serializers.common import MONEY, request_user, version_field
from dwcp.models import (
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    CpoResource,
    DecentWorkCountryProgramme,
    Milestone,
    ResultStatus,
)
from dwcp.services import MilestoneData, ResourceData
from rbm.api.fields import (
    BienniumField,
    CodeField,
    IdField,
    funding_source_field,
    model_text_field,
)
from rbm.api.serializers import TIMESTAMPS
from rbm.models import Biennium, Country, FundingSource, Region
from rbm.paging import CountedRows
from strategic_plans import selectors as framework


class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    class Meta:
        model = Milestone
        fields = ("due_on", "text", "reached")
        read_only_fields = fields


class MilestoneInputSerializer(serializers.Serializer[Any]):
    due_on = serializers.DateField()
    text = model_text_field(Milestone, "text")
    reached = serializers.BooleanField(required=False, default=False)


class CpoResourceSerializer(serializers.ModelSerializer[CpoResource]):
    funding_source = CodeField(FundingSource, read_only=True)

    class Meta:
        model = CpoResource
        fields = ("funding_source", "planned", "spent")
        read_only_fields = fields


class CpoResourceInputSerializer(serializers.Serializer[Any]):
    funding_source = funding_source_field()
    planned = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY, required=False, default=Decimal(0))


class CpoSerializer(serializers.ModelSerializer[CountryProgrammeOutcome]):
    country = CodeField(Country, slug_field="alpha3", source="programme.country", read_only=True)
    region = CodeField(Region, source="programme.country.region", read_only=True)
    office = serializers.IntegerField(source="programme.office_id", read_only=True)
    biennium = BienniumField(read_only=True)
    outcome_code = serializers.CharField(source="outcome.code", read_only=True)
    indicator_code = serializers.CharField(
        source="indicator.code", read_only=True, allow_null=True, default=None
    )
    milestones = MilestoneSerializer(many=True, read_only=True)
    resources = CpoResourceSerializer(many=True, read_only=True)
    planned_total = serializers.SerializerMethodField()
    spent_total = serializers.SerializerMethodField()

    class Meta:
        model = CountryProgrammeOutcome
        fields = (
            "id",
            "code",
            "programme",
            "country",
            "region",
            "office",
            "priority",
            "biennium",
            "outcome",
            "outcome_code",
            "indicator",
            "indicator_code",
            "title",
            "description",
            "gender_statement",
            "prioritized",
            "targeted",
            "result_status",
            "milestones",
            "resources",
            "planned_total",
            "spent_total",
            "version",
            *TIMESTAMPS,
        )
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=17, decimal_places=2))
    def get_planned_total(self, cpo: CountryProgrammeOutcome) -> str:
        return f"{sum((r.planned for r in cpo.resources.all()), Decimal(0)):.2f}"

    @extend_schema_field(serializers.DecimalField(max_digits=17, decimal_places=2))
    def get_spent_total(self, cpo: CountryProgrammeOutcome) -> str:
        return f"{sum((r.spent for r in cpo.resources.all()), Decimal(0)):.2f}"

    def to_representation(self, instance: CountryProgrammeOutcome) -> dict[str, Any]:
        # Written by hand for speed (see cpo_representation). It reads only what
        # CpoViewSet.get_queryset selects and prefetches.
        cpo = instance
        programme = cpo.programme
        country = programme.country
        biennium = cpo.biennium
        indicator = cpo.indicator
        row = {
            "id": cpo.pk,
            "code": cpo.code,
            "programme_id": cpo.programme_id,
            "programme__country__alpha3": country.alpha3,
            "programme__country__region__code": country.region.code,
            "programme__office_id": programme.office_id,
            "priority_id": cpo.priority_id,
            "biennium__start_year": biennium.start_year,
            "biennium__end_year": biennium.end_year,
            "outcome_id": cpo.outcome_id,
            "outcome__code": cpo.outcome.code,
            "indicator_id": cpo.indicator_id,
            "indicator__code": None if indicator is None else indicator.code,
            **{name: getattr(cpo, name) for name in CPO_OWN_FIELDS},
        }
        milestones = [(m.due_on, m.text, m.reached) for m in cpo.milestones.all()]
        resources = [(r.funding_source.code, r.planned, r.spent) for r in cpo.resources.all()]
        return cpo_representation(row, milestones, resources, timezone.get_current_timezone())


# The list reads its page as rows (values(), no model instances): a page of 50 CPOs built
# model instances, their related objects and a queryset per prefetched manager, about a
# third of the request's time. The names are the lookups values() returns them under.
CPO_OWN_FIELDS = (
    "title",
    "description",
    "gender_statement",
    "prioritized",
    "targeted",
    "result_status",
    "version",
    "created_at",
    "updated_at",
)
CPO_ROW = (
    "id",
    "code",
    "programme_id",
    "programme__country__alpha3",
    "programme__country__region__code",
    "programme__office_id",
    "priority_id",
    "biennium__start_year",
    "biennium__end_year",
    "outcome_id",
    "outcome__code",
    "indicator_id",
    "indicator__code",
    *CPO_OWN_FIELDS,
)
Milestones = list[tuple[datetime.date, str, bool]]
Resources = list[tuple[str, Decimal, Decimal]]


def cpo_rows(cpos: QuerySet[CountryProgrammeOutcome]) -> CountedRows:
    """The CPOs as the rows ``cpo_page_representation`` writes, to paginate: one query for
    the count (without the rows' joins) and one for a page."""
    return CountedRows(cpos, cpos.values(*CPO_ROW))


def read_cpo_rows(cpos: QuerySet[CountryProgrammeOutcome]) -> list[dict[str, Any]]:
    """A page of CPOs (a sliced queryset) as the rows ``cpo_page_representation`` writes."""
    return list(cpos.values(*CPO_ROW))


def cpo_page_representation(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A page of rows from ``cpo_rows`` as CpoSerializer writes them, with their milestones
    and resources (two queries, whatever the page's size)."""
    ids = [row["id"] for row in rows]
    milestones: dict[int, Milestones] = {pk: [] for pk in ids}
    for cpo_id, *milestone in (
        Milestone.objects.filter(cpo_id__in=ids)
        .order_by("cpo_id", "due_on", "pk")
        .values_list("cpo_id", "due_on", "text", "reached")
    ):
        milestones[cpo_id].append(tuple(milestone))  # type: ignore[arg-type]
    resources: dict[int, Resources] = {pk: [] for pk in ids}
    for cpo_id, *resource in (
        CpoResource.objects.filter(cpo_id__in=ids)
        .order_by("cpo_id", "funding_source__position")
        .values_list("cpo_id", "funding_source__code", "planned", "spent")
    ):
        resources[cpo_id].append(tuple(resource))  # type: ignore[arg-type]
    zone = timezone.get_current_timezone()
    return [
        cpo_representation(row, milestones[row["id"]], resources[row["id"]], zone) for row in rows
    ]


def cpo_representation(
    row: dict[str, Any], milestones: Milestones, resources: Resources, zone: datetime.tzinfo
) -> dict[str, Any]:
    """A CPO as the API writes it, from a row named as in ``CPO_ROW``.

    Written by hand for speed: DRF's walk over CpoSerializer's declared fields took about
    4 ms of a list page (50 CPOs with milestones and resources), this about 1 ms
    (bench/serialize_cpos.py). The declared fields still make the OpenAPI schema, and
    tests/api/test_dwcp_api.py pins this to what DRF writes from them (same keys, order, types
    and formats), for a CPO read as an instance and as a row. Change a field in both places.
    """
    planned = spent = Decimal(0)
    written = []
    for source, planned_line, spent_line in resources:
        written.append(
            {"funding_source": source, "planned": _money(planned_line), "spent": _money(spent_line)}
        )
        planned += planned_line
        spent += spent_line
    return {
        "id": row["id"],
        "code": row["code"],
        "programme": row["programme_id"],
        "country": row["programme__country__alpha3"],
        "region": row["programme__country__region__code"],
        "office": row["programme__office_id"],
        "priority": row["priority_id"],
        "biennium": Biennium.format_code(row["biennium__start_year"], row["biennium__end_year"]),
        "outcome": row["outcome_id"],
        "outcome_code": row["outcome__code"],
        "indicator": row["indicator_id"],
        "indicator_code": row["indicator__code"],
        "title": row["title"],
        "description": row["description"],
        "gender_statement": row["gender_statement"],
        "prioritized": row["prioritized"],
        "targeted": row["targeted"],
        "result_status": str(row["result_status"]),
        "milestones": [
            {"due_on": due_on.isoformat(), "text": text, "reached": reached}
            for due_on, text, reached in milestones
        ],
        "resources": written,
        "planned_total": f"{planned:.2f}",
        "spent_total": f"{spent:.2f}",
        "version": row["version"],
        "created_at": _iso_datetime(row["created_at"], zone),
        "updated_at": _iso_datetime(row["updated_at"], zone),
    }


def _money(value: Decimal) -> str:
    """A money field as DRF writes it: a string with two decimals (COERCE_DECIMAL_TO_STRING)."""
    return f"{value:.2f}"


def _iso_datetime(value: datetime.datetime, zone: datetime.tzinfo) -> str:
    """A datetime as DRF writes it: ISO 8601 in the current time zone, UTC as "Z"."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class CpoFieldsSerializer(serializers.Serializer[Any]):
    """The fields a client writes; nested lists, when given, replace the CPO's lists."""

    # Length from the model; the services store the code in capitals and the model checks
    # its format, so "idn126" sent here is IDN126, as on the page and in the spreadsheet.
    code = model_text_field(CountryProgrammeOutcome, "code")
    priority = IdField(CountryProgrammePriority.objects.none())
    biennium = BienniumField()
    outcome = IdField(framework.outcomes())
    indicator = IdField(framework.indicators(), allow_null=True, required=False)
    title = model_text_field(CountryProgrammeOutcome, "title")
    description = serializers.CharField(required=False, allow_blank=True)
    gender_statement = serializers.CharField(
        help_text=gettext_lazy("How the outcome will affect women and men (required).")
    )
    prioritized = serializers.BooleanField(required=False)
    targeted = serializers.BooleanField(required=False)
    result_status = serializers.ChoiceField(choices=ResultStatus.choices, required=False)
    milestones = MilestoneInputSerializer(many=True, required=False, max_length=200)  # type: ignore[call-arg]
    resources = CpoResourceInputSerializer(many=True, required=False, max_length=50)  # type: ignore[call-arg]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = CountryProgrammePriority.objects.filter(  # type: ignore[attr-defined]
            selectors.programme_scope(request_user(self), "programme__")
        )

    def to_service_kwargs(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        if "milestones" in data:
            data["milestones"] = [MilestoneData(**item) for item in data["milestones"]]
        if "resources" in data:
            data["resources"] = [ResourceData(**item) for item in data["resources"]]
        return data


class CpoCreateSerializer(CpoFieldsSerializer):
    programme = IdField(DecentWorkCountryProgramme.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = selectors.visible_programmes(request_user(self))  # type: ignore[attr-defined]


class CpoUpdateSerializer(CpoFieldsSerializer):
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class CpoBulkItemSerializer(CpoFieldsSerializer):
    """A bulk item: with ``id`` and ``version`` it updates that CPO; without ``id``, creates one."""

    id = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    version = version_field(required=False)
    programme = IdField(DecentWorkCountryProgramme.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Which fields an item needs depends on it: see CpoCreate and CpoUpdate.
        for field in self.fields.values():
            field.required = False


class CpoBulkResultSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    results = CpoSerializer(many=True)
