"""The framework pages: texts in three languages, targets by region, a programme's steps;
every error at once with a summary at the top, and who may do what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rbm.models import Role
from rbm.services import system_user
from strategic_plans.lifecycle import programme_adopt, programme_propose
from strategic_plans.models import FrameworkRevision, ProgrammeAndBudget, ProgrammeStatus, Target
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    plan, outcomes = factories.framework_2012_13()
    programme = ProgrammeAndBudget.objects.get(plan=plan)
    return programme, outcomes[0], outcomes[0].indicators.get()


def _adopt(programme: ProgrammeAndBudget) -> ProgrammeAndBudget:
    programme = programme_propose(user=system_user(), programme=programme, version=1)
    return programme_adopt(user=system_user(), programme=programme, version=programme.version)


def test_a_programme_officer_writes_the_french_title_of_a_draft(client, user_for, framework):
    _programme, outcome, _indicator = framework
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    url = reverse("framework-texts", args=["outcome", outcome.pk]) + "?biennium=2012-13"
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["title_fr"].label == "Title (French)"
    response = client.post(
        url, {"title_en": outcome.title_en, "title_fr": "Travail des enfants", "title_es": ""}
    )
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert outcome.title_fr == "Travail des enfants"
    assert not FrameworkRevision.objects.exists()  # a draft: no revision


def test_an_adopted_programme_s_texts_change_only_with_a_reason(client, user_for, framework):
    programme, outcome, _indicator = framework
    _adopt(programme)
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    url = reverse("framework-texts", args=["outcome", outcome.pk]) + "?biennium=2012-13"
    # Every error at once: the English title emptied and no reason
    response = client.post(url, {"title_en": "", "title_fr": "Travail des enfants"})
    assert response.status_code == 400
    summary = response.content.decode().split('id="form-errors"')[1].split("</div>")[0]
    assert "Title (English)" in summary
    response = client.post(url, {"title_en": "Child labour", "title_fr": "Travail des enfants"})
    assert response.status_code == 400
    assert "is adopted: say why" in response.content.decode()
    response = client.post(
        url,
        {"title_en": "Child labour", "title_fr": "Travail des enfants", "reason": "Translation."},
    )
    assert response.status_code == 302
    revision = FrameworkRevision.objects.get()
    assert (revision.field, revision.new, revision.reason) == (
        "title_fr",
        "Travail des enfants",
        "Translation.",
    )
    page = client.get(reverse("programme-detail", args=["2012-13"]))
    assert "Travail des enfants" in page.content.decode()


def test_the_target_form_lists_every_error_and_keeps_a_reasoned_difference(
    client, user_for, framework
):
    _programme, _outcome, indicator = framework
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    url = reverse("indicator-target", args=[indicator.pk, "2012-13"])
    response = client.post(url, {"total": "-1", "region_africa": "x"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"total", "region_africa"} <= set(errors)
    # Regions adding up to 5 against a total of 6: refused without a note, kept with one
    values = {"total": "6", "region_africa": "3", "region_asia-pacific": "2"}
    response = client.post(url, values)
    assert response.status_code == 400
    assert "note" in response.context["form"].errors
    response = client.post(url, {**values, "note": "One country not yet placed."})
    assert response.status_code == 302
    target = Target.objects.get(indicator=indicator)
    assert target.total == 6
    assert sorted(target.by_region.values_list("value", flat=True)) == [2, 3]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.PROGRAMME_OFFICER, 302),
        (Role.ADMINISTRATOR, 302),
        (Role.OUTCOME_COORDINATOR, 403),
        (Role.FIELD_OFFICE_STAFF, 403),
        (Role.REGIONAL_PROGRAMME_OFFICER, 403),
    ],
)
def test_who_may_edit_and_take_the_programme_s_steps(client, user_for, framework, role, status):
    programme, outcome, indicator = framework
    client.force_login(user_for(role))
    texts = reverse("framework-texts", args=["outcome", outcome.pk])
    assert client.get(texts).status_code == (200 if status == 302 else 403)
    target = reverse("indicator-target", args=[indicator.pk, "2012-13"])
    assert client.get(target).status_code == (200 if status == 302 else 403)
    step = reverse("programme-step", args=["2012-13", "propose"])
    assert client.post(step, {"version": programme.version}).status_code == status
    programme.refresh_from_db()
    expected = ProgrammeStatus.PROPOSED if status == 302 else ProgrammeStatus.DRAFT
    assert programme.status == expected


def test_a_visitor_is_sent_to_sign_in_and_a_step_out_of_order_is_a_400(client, user_for, framework):
    programme, outcome, _indicator = framework
    response = client.get(reverse("framework-texts", args=["outcome", outcome.pk]))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    adopt = reverse("programme-step", args=["2012-13", "adopt"])
    response = client.post(adopt, {"version": programme.version})
    assert response.status_code == 400
    stale = reverse("programme-step", args=["2012-13", "propose"])
    assert client.post(stale, {"version": programme.version + 5}).status_code == 409
    assert client.get(reverse("programme-detail", args=["1999-00"])).status_code == 404


def test_the_programme_page_s_queries_do_not_grow_with_its_revisions(
    client, user_for, framework, count_queries
):
    programme, _outcome, _indicator = framework
    programme = _adopt(programme)
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    url = reverse("programme-detail", args=["2012-13"])
    officer = user_for(Role.PROGRAMME_OFFICER)
    FrameworkRevision.objects.create(
        programme=programme, record="outcome 16", field="title_fr", reason="r", user=officer
    )
    before = count_queries(lambda: client.get(url))
    for number in range(5):
        FrameworkRevision.objects.create(
            programme=programme,
            record=f"outcome {number}",
            field="title_es",
            reason="r",
            user=user_for(Role.PROGRAMME_OFFICER),
        )
    assert count_queries(lambda: client.get(url)) == before
