"""The demo's development cooperation: consistent with the CPO resources, every state."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from cooperation import selectors
from cooperation.models import CpoLink, Project, ProjectStatus
from dwcp.models import CpoResource

pytestmark = pytest.mark.django_db


def test_xbtc_planned_per_cpo_equals_the_projects_shares(demo: str) -> None:
    shares: dict[int, Decimal] = defaultdict(Decimal)
    for link in (
        CpoLink.objects.exclude(project__status=ProjectStatus.DROPPED)
        .select_related("biennium")
        .prefetch_related("project__years_set")
    ):
        budget = sum(
            (
                y.budget
                for y in link.project.years_set.all()
                if link.biennium.start_year <= y.year <= link.biennium.end_year
            ),
            Decimal(0),
        )
        shares[link.cpo_id] += budget * link.share / 100
    planned = dict(
        CpoResource.objects.filter(
            funding_source__code="XBTC", cpo__biennium__start_year=2012
        ).values_list("cpo_id", "planned")
    )
    assert planned
    assert shares == planned


def test_every_state_and_the_cases_a_user_meets(demo: str) -> None:
    count = Project.objects.count()
    assert 120 <= count <= 180
    assert set(Project.objects.values_list("status", flat=True)) == set(ProjectStatus.values)
    assert selectors.ending_within(365).exists()
    assert selectors.outside_dwcp_count() > 0
    ongoing = list(Project.objects.filter(status=ProjectStatus.ONGOING))
    assert any(d.under for d in selectors.deliveries(ongoing).values())
    assert "illustrative" in demo
