"""Demo development cooperation: donors (with their IATI organisation identifiers where they
publish one) and about 150 projects across the demo's country programmes, consistent with the
CPO resources already loaded: each 2012-13 CPO's XBTC planned amount is the sum of the
shares of the projects serving it (dropped projects serve none). Projects are in every state
of the lifecycle; some end within twelve months, some deliver below the threshold, some
serve no CPO (outside every DWCP), a few are global or interregional, run by headquarters
technical units. Every figure is illustrative.
"""

from __future__ import annotations

import datetime
import itertools
import random
from decimal import Decimal

from django.utils import timezone

from cooperation.models import Donor, DonorKind, Geography, Project, ProjectStatus, Verdict
from cooperation.services import (
    ContributionData,
    LinkData,
    YearData,
    donor_create,
    project_appraise,
    project_create,
    project_step,
)
from dwcp.models import CpoResource
from rbm.demo import DemoContext, register_step
from rbm.models import Country, Office, OfficeKind, Region, User

TARGET_PROJECTS = 150

# (code, name, kind, IATI organisation identifier or "", country for a domestic funder)
DONORS = [
    ("NOR", "Norway", DonorKind.GOVERNMENT, "XM-DAC-8", ""),
    ("SWE", "Sweden (Sida)", DonorKind.GOVERNMENT, "SE-0", ""),
    ("GBR", "United Kingdom (FCDO)", DonorKind.GOVERNMENT, "GB-GOV-1", ""),
    ("NLD", "Netherlands", DonorKind.GOVERNMENT, "XM-DAC-7", ""),
    ("USA", "United States (USDOL)", DonorKind.GOVERNMENT, "", ""),
    ("JPN", "Japan", DonorKind.GOVERNMENT, "XM-DAC-701", ""),
    ("EUR", "European Union", DonorKind.EUROPEAN_UNION, "XI-IATI-EC_INTPA", ""),
    ("UND", "UNDP", DonorKind.UN_AGENCY, "XM-DAC-41114", ""),
    ("WBK", "World Bank", DonorKind.FINANCIAL_INSTITUTION, "XM-DAC-44002", ""),
    ("FDN", "A private foundation (demo)", DonorKind.FOUNDATION, "", ""),
    ("PRV", "A private company (demo)", DonorKind.PRIVATE_SECTOR, "", ""),
    ("IDN", "Government of Indonesia (domestic funding)", DonorKind.DOMESTIC, "", "IDN"),
]
FUNDED_LIFECYCLE = [
    ProjectStatus.FUNDED,
    ProjectStatus.ONGOING,
    ProjectStatus.ONGOING,
    ProjectStatus.ONGOING,
    ProjectStatus.OPERATIONALLY_CLOSED,
    ProjectStatus.FINANCIALLY_CLOSED,
]
PIPELINE = [
    ProjectStatus.CONCEPT,
    ProjectStatus.PROPOSAL,
    ProjectStatus.APPRAISED,
    ProjectStatus.SUBMITTED,
]
ORDER = [
    ProjectStatus.APPRAISED,
    ProjectStatus.SUBMITTED,
    ProjectStatus.FUNDED,
    ProjectStatus.ONGOING,
    ProjectStatus.OPERATIONALLY_CLOSED,
    ProjectStatus.FINANCIALLY_CLOSED,
]
TITLES = [
    "Decent jobs for young women and men",
    "Social protection floor",
    "Skills for trade and economic diversification",
    "Elimination of child labour in agriculture",
    "Labour inspection and occupational safety",
    "Social dialogue and collective bargaining",
    "Gender equality in the world of work",
    "Green jobs and a just transition",
    "Labour migration governance",
    "Employment-intensive investment",
]


def _advance(actor: User, project: Project, status: str, verdict: str) -> Project:
    """Take a new proposal through the lifecycle up to ``status`` (dropped: from proposal)."""
    if status in (ProjectStatus.CONCEPT, ProjectStatus.PROPOSAL):
        return project
    if status == ProjectStatus.DROPPED:
        return project_step(
            user=actor, project=project, target=ProjectStatus.DROPPED, version=project.version
        )
    for target in ORDER[: ORDER.index(ProjectStatus(status)) + 1]:
        project.refresh_from_db()
        if target == ProjectStatus.APPRAISED:
            project_appraise(
                user=actor,
                project=project,
                version=project.version,
                verdict=verdict,
                constituents_consulted=True,
                gender_dimension=project.pk % 3 != 0,
                evaluation_planned=project.pk % 4 != 0,
                notes="Illustrative appraisal of the demo data.",
            )
        else:
            project = project_step(
                user=actor, project=project, target=target, version=project.version
            )
    return project


def _years(rng: random.Random, amount: Decimal, status: str, under: bool) -> list[YearData]:
    """The 2012-13 budget (``amount``, split 40/60) with expenditure for funded projects:
    about 90 % delivered, or under half for an under-delivering one."""
    first = (amount * Decimal("0.4")).quantize(Decimal("1000"))
    budget = {2012: first, 2013: amount - first}
    spent: dict[int, Decimal] = {2012: Decimal(0), 2013: Decimal(0)}
    if status in (
        ProjectStatus.ONGOING,
        ProjectStatus.OPERATIONALLY_CLOSED,
        ProjectStatus.FINANCIALLY_CLOSED,
    ):
        rates = (
            Decimal("0.85"),
            Decimal("0.35") if under else Decimal(str(rng.choice([0.8, 0.9, 0.95]))),
        )
        spent = {
            year: (budget[year] * rate).quantize(Decimal("100"))
            for year, rate in zip((2012, 2013), rates, strict=True)
        }
    funded = status in FUNDED_LIFECYCLE
    return [
        YearData(
            year,
            budget[year],
            disbursed=budget[year] if funded else Decimal(0),
            expenditure=spent[year],
        )
        for year in (2012, 2013)
    ]


# Sums of XBTC lines (in tens of thousands of USD) that divide 10,000: every CPO's share of
# such a sum is a whole number of hundredths of a per cent, so the shares are exact.
EXACT_SUMS = (400, 250, 200, 125, 100, 80, 50, 40, 25, 20, 16)
UNIT = Decimal(10000)


def _groups(lines: list[CpoResource]) -> list[list[CpoResource]]:
    """The XBTC lines in groups of one to four CPOs of one region, whose sum
    (in tens of thousands of USD) divides 10,000; larger groups first, then pairs, then
    single CPOs (a share of 100 %). A line that is not a whole number of tens of thousands
    stays alone."""
    by_region: dict[int, list[CpoResource]] = {}
    for line in lines:
        by_region.setdefault(line.cpo.programme.country.region_id, []).append(line)
    groups: list[list[CpoResource]] = []
    for pool in by_region.values():
        left = list(pool)
        while left:
            first = left.pop(0)
            group = [first]
            if first.planned % UNIT == 0:
                group = _complete(first, left) or group
            for line in group[1:]:
                left.remove(line)
            groups.append(group)
    return groups


def _complete(first: CpoResource, left: list[CpoResource]) -> list[CpoResource] | None:
    """``first`` with up to three of the next lines of ``left`` whose sum is exact."""
    window = [line for line in left[:20] if line.planned % UNIT == 0]
    units = int(first.planned / UNIT)
    for size in (3, 2, 1):
        for combo in itertools.combinations(window, size):
            if units + sum(int(line.planned / UNIT) for line in combo) in EXACT_SUMS:
                return [first, *combo]
    return None


def _run(context: DemoContext) -> None:
    if Project.objects.exists():
        return
    actor = context.actor
    country_by_alpha3 = {c.alpha3: c for c in Country.objects.filter(alpha3__in=["IDN"])}
    donors = {}
    for code, name, kind, iati, alpha3 in DONORS:
        donors[code] = Donor.objects.filter(code=code).first() or donor_create(
            user=actor,
            code=code,
            name=name,
            kind=kind,
            iati_org_id=iati,
            country=country_by_alpha3.get(alpha3),
        )
    rng = random.Random(16)  # noqa: S311 - demo data, not secrets
    lines = list(
        CpoResource.objects.filter(funding_source__code="XBTC", cpo__biennium__start_year=2012)
        .select_related(
            "cpo__programme__country__region", "cpo__programme__office", "cpo__biennium"
        )
        .order_by("cpo__programme__country__alpha3", "cpo__code")
    )
    donor_codes = [d for d in donors if d != "IDN"]
    today = timezone.localdate()
    number = 0
    made = 0
    # Projects serving one to four CPOs of a region, whose budget in 2012-13 is the sum of
    # the CPOs' XBTC lines and whose shares give each CPO exactly its line (``_groups``), so
    # that each CPO's XBTC planned equals its projects' shares.
    for index, group in enumerate(_groups(lines)):
        cpos = [line.cpo for line in group]
        total = sum((line.planned for line in group), Decimal(0))
        shares = [line.planned * 100 / total for line in group]
        countries = sorted({cpo.programme.country for cpo in cpos}, key=lambda c: c.alpha3)
        first_country = countries[0]
        status = (FUNDED_LIFECYCLE + PIPELINE)[index % 10]
        under = status == ProjectStatus.ONGOING and index % 4 == 1
        number += 1
        donor_code = donor_codes[index % len(donor_codes)]
        prefix = first_country.alpha3 if len(countries) == 1 else "RAS"
        code = f"{prefix}/12/{number:02d}/{donor_code}"
        if first_country.alpha3 == "IDN" and index % 5 == 0:
            donor_code = "IDN"
        end = datetime.date(2013, 12, 31)
        ending_soon = status == ProjectStatus.ONGOING and index % 7 == 3
        if ending_soon and (today + datetime.timedelta(days=300)).year - 2012 <= 15:
            end = today + datetime.timedelta(days=60 + 30 * (index % 9))
        years = _years(rng, total, status, under)
        if end.year > 2013:
            # A long programme: a current year's budget, half spent so far.
            years.append(YearData(today.year, Decimal(50000), Decimal(50000), Decimal(25000)))
        project = project_create(
            user=actor,
            code=code,
            title=f"{TITLES[index % len(TITLES)]} in {', '.join(c.name for c in countries)}",
            summary="Illustrative project of the demo data.",
            office=cpos[0].programme.office,
            start_date=datetime.date(2012, 1, 1),
            end_date=end,
            funding_kind="XBTC",
            countries=countries,
            years=years,
            contributions=[ContributionData(donors[donor_code], total)],
            links=[LinkData(cpo, share) for cpo, share in zip(cpos, shares, strict=True)],
            status=ProjectStatus.CONCEPT
            if status == ProjectStatus.CONCEPT
            else ProjectStatus.PROPOSAL,
        )
        _advance(actor, project, status, Verdict.RELEVANT)
        made += 1
    # Proposals outside every DWCP, and dropped ones (they serve no CPO).
    offices = list(
        Office.objects.filter(kind=OfficeKind.COUNTRY_OFFICE, countries__isnull=False)
        .distinct()
        .order_by("code")[:10]
    )
    for index, office in enumerate(offices[:6]):
        covered = office.countries.order_by("alpha3").first()
        assert covered is not None
        status = [
            ProjectStatus.PROPOSAL,
            ProjectStatus.SUBMITTED,
            ProjectStatus.ONGOING,
            ProjectStatus.DROPPED,
        ][index % 4]
        number += 1
        budget = Decimal(100000 + 25000 * index)
        project = project_create(
            user=actor,
            code=f"{covered.alpha3}/12/{number:02d}/{donor_codes[index % len(donor_codes)]}",
            title=f"{TITLES[(index + 3) % len(TITLES)]} (outside the DWCP)",
            summary="Illustrative project of the demo data, serving no country programme outcome.",
            office=office,
            start_date=datetime.date(2012, 1, 1),
            end_date=datetime.date(2013, 12, 31),
            countries=[covered],
            years=_years(rng, budget, status, under=False),
            contributions=[ContributionData(donors[donor_codes[index % len(donor_codes)]], budget)],
            status=ProjectStatus.PROPOSAL,
        )
        _advance(actor, project, status, Verdict.OUTSIDE_DWCP)
        made += 1
    # Global and interregional projects of headquarters technical units.
    units = list(Office.objects.filter(kind=OfficeKind.TECHNICAL_UNIT).order_by("code")[:5])
    regions = list(Region.objects.all())
    for index, unit in enumerate((units * 2)[:6]):
        status = FUNDED_LIFECYCLE[index % len(FUNDED_LIFECYCLE)]
        number += 1
        geography = Geography.GLOBAL if index % 2 == 0 else Geography.REGIONAL
        region = None if geography == Geography.GLOBAL else regions[index % len(regions)]
        prefix = "GLO" if geography == Geography.GLOBAL else "RAF"
        budget = Decimal(400000 + 50000 * index)
        if geography == Geography.REGIONAL:
            regional = Office.objects.filter(kind=OfficeKind.REGIONAL_OFFICE, region=region).first()
            if regional is None:
                continue
            geography_office, technical_unit = regional, unit
        else:
            geography_office, technical_unit = unit, None
        project = project_create(
            user=actor,
            code=f"{prefix}/12/{number:02d}/{donor_codes[index % len(donor_codes)]}",
            title=f"{TITLES[(index + 5) % len(TITLES)]} ({region.name if region else 'global'})",
            summary="Illustrative project of the demo data, run from headquarters.",
            office=geography_office,
            technical_unit=technical_unit,
            geography=geography,
            region=region,
            start_date=datetime.date(2012, 1, 1),
            end_date=datetime.date(2013, 12, 31),
            years=_years(rng, budget, status, under=index % 3 == 0),
            contributions=[
                ContributionData(donors[donor_codes[(index + 2) % len(donor_codes)]], budget)
            ],
            status=ProjectStatus.PROPOSAL,
        )
        _advance(actor, project, status, Verdict.OUTSIDE_DWCP)
        made += 1
    context.log.append(
        f"development cooperation: {len(donors)} donors, {made} projects "
        "(illustrative figures: each CPO's XBTC planned equals its projects' shares)"
    )


register_step("development cooperation", 25, _run)
