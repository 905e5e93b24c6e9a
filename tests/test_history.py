"""Audit history: who changed what and when, with old and new values, on the object's page."""

import pytest
from django.urls import reverse

from rbm.audit import history_entries
from rbm.models import Office, Role
from strategic_plans.models import Indicator, Outcome
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_change_through_a_page_records_who_and_the_values(client, user_for) -> None:
    # Given an administrator editing an indicator in the admin
    admin = user_for(Role.ADMINISTRATOR)
    indicator = factories.IndicatorFactory(text="Old wording", unit="member States")
    client.force_login(admin)
    url = reverse("admin:strategic_plans_indicator_change", args=[indicator.pk])
    response = client.post(
        url,
        {
            "outcome": indicator.outcome_id,
            "code": indicator.code,
            "text": "New wording",
            "unit": "member States",
            "position": 0,
        },
    )
    assert response.status_code == 302, response.content
    # Then the history holds the old and the new value, and who changed it
    (entry,) = [e for e in history_entries([(Indicator, [indicator.pk])]) if e.action == "changed"]
    assert entry.who == str(admin)
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("text", "Old wording", "New wording")
    ]
    # And the outcome's page shows it
    page = client.get(reverse("outcome-detail", args=[indicator.outcome_id]))
    assert "Old wording" in page.content.decode()
    assert "New wording" in page.content.decode()


def test_history_lists_creation_and_m2m_changes(user_for) -> None:
    office = factories.OfficeFactory(countries=[factories.country("IDN")])
    office.countries.add(factories.country("TLS"))
    office.name = "Renamed office"
    office.save()
    entries = history_entries([(Office, [office.pk])])
    assert entries[0].action == "changed"
    assert any(c.field == "name" and c.new == "Renamed office" for c in entries[0].changes)
    assert entries[-1].action == "created"


def test_history_reads_in_a_fixed_number_of_queries(count_queries) -> None:
    outcomes = factories.OutcomeFactory.create_batch(3)
    for outcome in outcomes:
        outcome.title += " (revised)"
        outcome.save()
    few = count_queries(lambda: history_entries([(Outcome, [o.pk for o in outcomes])]))
    more = factories.OutcomeFactory.create_batch(20)
    for outcome in more:
        outcome.title += " (revised)"
        outcome.save()
    all_ids = [o.pk for o in outcomes + more]
    many = count_queries(lambda: history_entries([(Outcome, all_ids)]))
    assert many == few
