"""The API's shapes of donors and projects. Reads are built from the selectors' planned
querysets; writes are validated here for shape only (types, codes, lengths from the models),
and the rules (shares at most 100 % of a biennium, years within the dates, scope, the
lifecycle) are the services', whose refusals become 400s naming the field."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cooperation.models import Donor, DonorKind, Geography, Project, ProjectStatus, Verdict
from rbm.api.fields import CodeField, country_field, model_text_field, region_field
from rbm.models import Office

MONEY: dict[str, Any] = {"max_digits": 15, "decimal_places": 2, "min_value": 0}


class DonorSerializer(serializers.ModelSerializer[Donor]):
    country = country_field(read_only=True, allow_null=True)

    class Meta:
        model = Donor
        fields = ["id", "code", "name", "kind", "iati_org_id", "country", "version"]


class DonorWriteSerializer(serializers.Serializer[Any]):
    code = model_text_field(Donor, "code")
    name = model_text_field(Donor, "name")
    kind = serializers.ChoiceField(choices=DonorKind.choices)
    iati_org_id = model_text_field(Donor, "iati_org_id", required=False, allow_blank=True)
    country = country_field(required=False, allow_null=True)
    version = serializers.IntegerField(min_value=1, required=False)


class ContributionSerializer(serializers.Serializer[Any]):
    donor = CodeField(Donor, help_text="The donor's code, e.g. NOR.")
    amount = serializers.DecimalField(**MONEY)


class YearSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    budget = serializers.DecimalField(**MONEY)
    disbursed = serializers.DecimalField(required=False, **MONEY)
    expenditure = serializers.DecimalField(required=False, **MONEY)


class LinkSerializer(serializers.Serializer[Any]):
    cpo = serializers.IntegerField(min_value=1, help_text="The CPO's id.")
    share = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0)


class ProjectSerializer(serializers.ModelSerializer[Project]):
    countries = serializers.SerializerMethodField()
    region = region_field(read_only=True, allow_null=True)
    office = CodeField(Office, read_only=True)
    technical_unit = CodeField(Office, read_only=True, allow_null=True)
    contributions = serializers.SerializerMethodField()
    years = serializers.SerializerMethodField()
    cpo_links = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "title",
            "summary",
            "funding_kind",
            "geography",
            "countries",
            "region",
            "office",
            "technical_unit",
            "start_date",
            "end_date",
            "status",
            "version",
            "contributions",
            "years",
            "cpo_links",
        ]

    def get_countries(self, project: Project) -> list[str]:
        return [c.alpha3 for c in project.countries.all()]

    def get_contributions(self, project: Project) -> list[dict[str, Any]]:
        return [
            {"donor": c.donor.code, "amount": str(c.amount)} for c in project.contributions.all()
        ]

    def get_years(self, project: Project) -> list[dict[str, Any]]:
        return [
            {
                "year": y.year,
                "budget": str(y.budget),
                "disbursed": str(y.disbursed),
                "expenditure": str(y.expenditure),
            }
            for y in project.years_set.all()
        ]

    def get_cpo_links(self, project: Project) -> list[dict[str, Any]]:
        return [
            {
                "cpo": link.cpo_id,
                "cpo_code": link.cpo.code,
                "biennium": link.biennium.code,
                "share": str(link.share),
            }
            for link in project.cpo_links.all()
        ]


class ProjectWriteSerializer(serializers.Serializer[Any]):
    code = model_text_field(Project, "code")
    title = model_text_field(Project, "title")
    summary = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    funding_kind = serializers.ChoiceField(
        choices=Project._meta.get_field("funding_kind").choices or []
    )
    geography = serializers.ChoiceField(choices=Geography.choices)
    countries = country_field(many=True, required=False)
    region = region_field(required=False, allow_null=True)
    office = CodeField(Office)
    technical_unit = CodeField(Office, required=False, allow_null=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    contributions = ContributionSerializer(many=True, required=False)
    years = YearSerializer(many=True, required=False)
    cpo_links = LinkSerializer(many=True, required=False)
    version = serializers.IntegerField(min_value=1, required=False)


class ProjectUpdateSerializer(ProjectWriteSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)


class StepSerializer(serializers.Serializer[Any]):
    target = serializers.ChoiceField(
        choices=[c for c in ProjectStatus.choices if c[0] not in ("concept", "appraised")]
    )
    version = serializers.IntegerField(min_value=1)


class AppraisalSerializer(serializers.Serializer[Any]):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    constituents_consulted = serializers.BooleanField()
    gender_dimension = serializers.BooleanField()
    evaluation_planned = serializers.BooleanField()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    version = serializers.IntegerField(min_value=1)


class WorkbookSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="The workbook (.xlsx), at most 5 MB.")


class ServicingSerializer(serializers.Serializer[Any]):
    cpo = serializers.IntegerField(min_value=1, help_text="The id of a CPO the project serves.")
    serviced = serializers.BooleanField(help_text="Whether your technical unit services it.")
