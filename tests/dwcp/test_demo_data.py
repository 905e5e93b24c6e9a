"""The demo country programmes reproduce Table 1 of the P&B 2012-13 preview exactly."""

from collections import Counter

import pytest

from dwcp.models import (
    CountryProgrammeOutcome,
    CountryProgrammePriority,
    DecentWorkCountryProgramme,
    ProgressReport,
    ReviewState,
)
from strategic_plans.demo_steps import table1

pytestmark = pytest.mark.django_db


def test_cpo_counts_equal_every_cell_of_table_1(demo) -> None:
    demand = Counter()
    target = Counter()
    rows = CountryProgrammeOutcome.objects.filter(biennium__start_year=2012).values_list(
        "outcome__code", "programme__country__region__code", "prioritized", "targeted"
    )
    for outcome, region, prioritized, targeted in rows:
        demand[(outcome, region)] += prioritized
        target[(outcome, region)] += targeted
    cells = table1()["cells"]
    assert len(cells) == 95
    for cell in cells:
        key = (cell["outcome"], cell["region"])
        assert (demand[key], target[key]) == (cell["demand"], cell["target"]), key


def test_programmes_cover_every_region_with_at_most_three_priorities(demo) -> None:
    regions = set(
        DecentWorkCountryProgramme.objects.values_list("country__region__code", flat=True)
    )
    assert regions == {"africa", "americas", "arab-states", "asia-pacific", "europe-central-asia"}
    per_programme = Counter(CountryProgrammePriority.objects.values_list("programme_id", flat=True))
    assert max(per_programme.values()) == 3


def test_progress_reports_exist_in_every_review_state(demo) -> None:
    states = set(ProgressReport.objects.values_list("review_state", flat=True))
    assert states == set(ReviewState.values)
    validated = ProgressReport.objects.filter(review_state=ReviewState.VALIDATED)
    assert validated.filter(validated_by__isnull=False, validated_at__isnull=False).count() == (
        validated.count()
    )
    assert validated.filter(result_claimed=True).exists()
