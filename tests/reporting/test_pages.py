"""The secretariat's pages: request a run, watch it, download, compare, mark final."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from rbm.models import Role
from rbm.permissions import PUBLIC
from rbm.services import system_user
from reporting.completeness import snapshot_gaps
from reporting.models import ReportRun, ReportSnapshot, RunStatus
from tests import factories

pytestmark = pytest.mark.django_db
READERS = {
    Role.GB_SECRETARIAT,
    Role.ADMINISTRATOR,
    Role.PROGRAMME_OFFICER,
    Role.OUTCOME_COORDINATOR,
}
SECRETARIAT = {Role.GB_SECRETARIAT, Role.ADMINISTRATOR}


@pytest.fixture
def snapshot(compile_report):
    factories.framework_2012_13()
    return compile_report().snapshot


def _login(client, user_for, role):
    if role != PUBLIC:
        client.force_login(user_for(role))


@pytest.mark.parametrize("role", [PUBLIC, *Role.values])
def test_who_reads_the_pages_and_downloads(client, user_for, snapshot, role) -> None:
    _login(client, user_for, role)
    run = ReportRun.objects.get()
    urls = [
        reverse("reporting:index"),
        reverse("reporting:run", args=[run.pk]),
        reverse("reporting:run-status", args=[run.pk]),
        reverse("reporting:snapshot", args=[snapshot.pk]),
        reverse("reporting:download", args=[snapshot.pk, "csv"]),
    ]
    for url in urls:
        response = client.get(url)
        if role == PUBLIC:
            assert response.status_code == 302
            assert "/accounts/login/" in response["Location"]
        elif role in READERS:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 403, url


@pytest.mark.parametrize("role", Role.values)
def test_only_the_secretariat_requests_and_finalizes(client, user_for, snapshot, role) -> None:
    _login(client, user_for, role)
    data = {"biennium": snapshot.biennium_id, "scope": "whole", "language": "en"}
    response = client.post(reverse("reporting:request"), data)
    assert response.status_code == (302 if role in SECRETARIAT else 403)
    confirm = " ".join(gap.key for gap in snapshot_gaps(snapshot.content))
    response = client.post(
        reverse("reporting:final", args=[snapshot.pk]), {"confirm_gaps": confirm}
    )
    assert response.status_code == (302 if role in SECRETARIAT else 403)
    snapshot.refresh_from_db()
    assert snapshot.final is (role in SECRETARIAT)


def test_the_snapshot_page_lists_its_gaps_and_final_needs_the_checkbox(
    client, user_for, snapshot
) -> None:
    client.force_login(user_for(Role.GB_SECRETARIAT))
    url = reverse("reporting:snapshot", args=[snapshot.pk])
    # Given the snapshot's page: what is missing, and one checkbox naming every gap
    page = client.get(url)
    keys = ["strategy:16", "results:16.1", "strategy:18", "results:18.1"]
    assert [gap.key for gap in page.context["gaps"]] == keys
    body = page.content.decode()
    assert "Outcome 16: no strategy element is written." in body
    assert "Indicator 18.1: no validated result." in body
    assert f'name="confirm_gaps" value="{" ".join(keys)}"' in body
    # When it is marked final without ticking it, the page says which gaps are open (400)
    final = reverse("reporting:final", args=[snapshot.pk])
    refused = client.post(final)
    assert refused.status_code == 400
    assert "4 gaps are open" in refused.content.decode()
    assert "Indicator 16.1: no validated result." in refused.context["gap_errors"][0]
    snapshot.refresh_from_db()
    assert snapshot.final is False
    # Then with the box ticked it is final, with its gaps recorded and shown
    assert client.post(final, {"confirm_gaps": " ".join(keys)}).status_code == 302
    snapshot.refresh_from_db()
    assert snapshot.final is True
    assert snapshot.final_gaps == keys
    assert "with 4 gaps confirmed" in client.get(url).content.decode()


def test_the_snapshot_page_in_french_names_the_gaps_in_french(client, user_for, snapshot) -> None:
    client.force_login(user_for(Role.GB_SECRETARIAT))
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    page = client.get(reverse("reporting:snapshot", args=[snapshot.pk]))
    assert "Ce qui manque" in page.content.decode()
    assert "Indicateur 16.1 : aucun résultat validé." in page.content.decode()


def test_a_request_runs_and_leads_to_its_run_page(
    client, user_for, snapshot, django_capture_on_commit_callbacks
) -> None:
    client.force_login(user_for(Role.GB_SECRETARIAT))
    data = {"biennium": snapshot.biennium_id, "scope": "whole", "language": "fr"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:request"), data)
    run = ReportRun.objects.order_by("-pk").first()
    assert response["Location"] == reverse("reporting:run", args=[run.pk])
    status = client.get(reverse("reporting:run-status", args=[run.pk])).json()
    assert status["status"] == RunStatus.SUCCEEDED
    assert status["progress"] == 100
    assert status["snapshot_url"] == reverse("reporting:snapshot", args=[run.snapshot_id])
    assert run.snapshot.content["meta"]["title"].startswith("Rapport")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"scope": "region", "language": "en"}, "region"),
        ({"scope": "objective", "language": "en"}, "objective"),
        ({"scope": "galaxy", "language": "en"}, "scope"),
        ({"scope": "whole", "language": "xx"}, "language"),
    ],
)
def test_a_bad_request_is_a_400_with_the_message(client, user_for, snapshot, data, field) -> None:
    client.force_login(user_for(Role.GB_SECRETARIAT))
    response = client.post(reverse("reporting:request"), {"biennium": snapshot.biennium_id, **data})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert ReportRun.objects.count() == 1


def test_unknown_formats_and_snapshots_are_404(client, user_for, snapshot) -> None:
    client.force_login(user_for(Role.GB_SECRETARIAT))
    assert client.get(reverse("reporting:download", args=[snapshot.pk, "exe"])).status_code == 404
    assert client.get(reverse("reporting:download", args=[99999, "csv"])).status_code == 404
    assert client.get(reverse("reporting:compare"), {"a": "x"}).status_code == 400


def test_every_format_downloads_with_its_type(client, user_for, snapshot) -> None:
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    types = {
        "xlsx": "spreadsheetml",
        "docx": "wordprocessingml",
        "pdf": "application/pdf",
        "csv": "text/csv",
    }
    for fmt, content_type in types.items():
        response = client.get(reverse("reporting:download", args=[snapshot.pk, fmt]))
        assert response.status_code == 200
        assert content_type in response["Content-Type"]
        assert "attachment" in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"
    # This report has no country programme: no IATI file (it would not validate), a message
    response = client.get(reverse("reporting:download", args=[snapshot.pk, "iati"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reporting:snapshot", args=[snapshot.pk])
    assert "an IATI file needs at least one" in response.content.decode()


def test_a_revoked_role_cannot_download_the_next_time(client, user_for, snapshot) -> None:
    officer = user_for(Role.PROGRAMME_OFFICER)
    client.force_login(officer)
    url = reverse("reporting:download", args=[snapshot.pk, "csv"])
    assert client.get(url).status_code == 200
    officer.role = Role.FIELD_OFFICE_STAFF
    officer.office = factories.OfficeFactory()
    officer.save()
    assert client.get(url).status_code == 403


def test_the_compare_page_lists_the_changes(client, user_for, compile_report) -> None:
    from strategic_plans.services import target_set

    _plan, outcomes = factories.framework_2012_13()
    before = compile_report().snapshot
    target_set(
        user=system_user(),
        indicator=outcomes[0].indicators.get(),
        biennium=factories.biennium("2012-13"),
        total=7,
    )
    after = compile_report().snapshot
    client.force_login(user_for(Role.GB_SECRETARIAT))
    page = client.get(reverse("reporting:compare"), {"a": before.pk, "b": after.pk})
    assert page.status_code == 200
    assert next((c.item, c.after) for c in page.context["changes"]) == ("16.1 · total", 7)


def test_the_pages_read_in_a_fixed_number_of_queries(
    client, user_for, compile_report, count_queries
) -> None:
    factories.framework_2012_13()
    compile_report()
    client.force_login(user_for(Role.GB_SECRETARIAT))
    snapshot = ReportSnapshot.objects.get()
    urls = [reverse("reporting:index"), reverse("reporting:snapshot", args=[snapshot.pk])]
    few = [count_queries(lambda url=url: client.get(url)) for url in urls]
    for _ in range(4):
        compile_report()
    assert [count_queries(lambda url=url: client.get(url)) for url in urls] == few


def test_the_public_role_is_anonymous() -> None:
    from rbm.permissions import can

    assert not can(AnonymousUser(), "report.view")
