"""Development cooperation projects of the scale data: ``scale`` projects per DWCP (about
100 per DWCP at scale 100), each with its country, one donor's contribution, two years of
budget and expenditure and one to three links to CPOs of its programme's first biennium (the
shares of a project add up to at most 100 %), in every state of the lifecycle. Loaded with
COPY after the CPOs."""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection

from bench.scale.copying import Counts, copy_rows, next_id, reset_sequences
from cooperation.models import (
    CpoLink,
    Donor,
    DonorContribution,
    DonorKind,
    Project,
    ProjectStatus,
    ProjectYear,
)
from dwcp.models import CountryProgrammeOutcome, DecentWorkCountryProgramme

STAMP = datetime.datetime(2021, 12, 31, 12, 0, tzinfo=datetime.UTC)
DONOR_CODES = ["NOR", "SWE", "GBR", "NLD", "USA", "JPN", "EUR", "UND", "WBK", "FDN", "PRV", "DEU"]
GENERATED = [CpoLink, DonorContribution, ProjectYear, Project, Donor]


def flush() -> None:
    tables = ", ".join(f'"{m._meta.db_table}"' for m in GENERATED)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def generate_projects(
    rng: random.Random, scale: int, counts: Counts, log: Callable[[str], None]
) -> None:
    started = time.monotonic()
    donors = [
        Donor(
            code=code,
            name=f"Scale donor {code}",
            kind=DonorKind.GOVERNMENT,
            iati_org_id=f"XM-DAC-{900 + n}",
            created_at=STAMP,
            updated_at=STAMP,
        )
        for n, code in enumerate(DONOR_CODES)
    ]
    Donor.objects.bulk_create(donors)
    counts.add("donors", len(donors), time.monotonic() - started)
    statuses = list(ProjectStatus)
    cpos_by_programme: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for pk, programme_id, biennium_id, start_year in CountryProgrammeOutcome.objects.values_list(
        "pk", "programme_id", "biennium_id", "biennium__start_year"
    ).order_by("biennium__start_year", "pk"):
        cpos_by_programme[programme_id].append((pk, biennium_id, start_year))
    programmes = list(DecentWorkCountryProgramme.objects.select_related("country").order_by("pk"))
    project_id = next_id(Project)
    through = Project.countries.through
    projects: list[dict[str, Any]] = []
    countries: list[dict[str, Any]] = []
    years: list[dict[str, Any]] = []
    contributions: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    year_id, contribution_id, link_id, through_id = (
        next_id(ProjectYear),
        next_id(DonorContribution),
        next_id(CpoLink),
        next_id(through),
    )
    for programme in programmes:
        cpos = cpos_by_programme.get(programme.pk, [])
        first_biennium = [c for c in cpos if c[2] == cpos[0][2]] if cpos else []
        for n in range(scale):
            status = statuses[(project_id + n) % len(statuses)]
            start_year = first_biennium[0][2] if first_biennium else programme.start_year
            donor = donors[(project_id // 1000 + n) % len(donors)]
            budget = {
                start_year: Decimal(rng.randrange(50_000, 500_000, 1_000)),
                start_year + 1: Decimal(rng.randrange(50_000, 500_000, 1_000)),
            }
            projects.append(
                {
                    "id": project_id,
                    "created_at": STAMP,
                    "updated_at": STAMP,
                    "version": 1,
                    "code": f"{programme.country.alpha3}/{start_year % 100:02d}/"
                    f"{n % 1000:03d}/{DONOR_CODES[(programme.pk + n // 1000) % len(DONOR_CODES)]}",
                    "title": f"Scale project {n + 1} in {programme.country.name}",
                    "summary": "",
                    "funding_kind": "XBTC",
                    "geography": "countries",
                    "region_id": programme.country.region_id,
                    "office_id": programme.office_id,
                    "technical_unit_id": None,
                    "start_date": datetime.date(start_year, 1, 1),
                    "end_date": datetime.date(start_year + 1, 12, 31),
                    "status": status,
                }
            )
            countries.append(
                {"id": through_id, "project_id": project_id, "country_id": programme.country_id}
            )
            through_id += 1
            contributions.append(
                {
                    "id": contribution_id,
                    "project_id": project_id,
                    "donor_id": donor.pk,
                    "amount": sum(budget.values(), Decimal(0)),
                    "created_at": STAMP,
                    "updated_at": STAMP,
                }
            )
            contribution_id += 1
            for year, amount in budget.items():
                spent = (amount * Decimal(rng.randrange(20, 101)) / 100).quantize(Decimal("0.01"))
                years.append(
                    {
                        "id": year_id,
                        "project_id": project_id,
                        "year": year,
                        "budget": amount,
                        "disbursed": amount,
                        "expenditure": spent,
                        "created_at": STAMP,
                        "updated_at": STAMP,
                    }
                )
                year_id += 1
            if first_biennium and status != ProjectStatus.DROPPED:
                chosen = rng.sample(first_biennium, min(len(first_biennium), rng.choice([1, 2, 3])))
                for cpo_id, biennium_id, _start in chosen:
                    links.append(
                        {
                            "id": link_id,
                            "project_id": project_id,
                            "cpo_id": cpo_id,
                            "biennium_id": biennium_id,
                            "share": Decimal(rng.choice([10, 20, 25, 30])),
                            "serviced_by_id": None,
                            "created_at": STAMP,
                            "updated_at": STAMP,
                        }
                    )
                    link_id += 1
            project_id += 1
    copy_rows(Project, projects, counts)
    copy_rows(through, countries, counts)
    copy_rows(ProjectYear, years, counts)
    copy_rows(DonorContribution, contributions, counts)
    copy_rows(CpoLink, links, counts)
    reset_sequences([*GENERATED, through])
    log(f"  projects: {len(projects):,} with {len(links):,} CPO links")
