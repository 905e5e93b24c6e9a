"""The API of development cooperation: the same services and rules as the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from cooperation.models import Donor, Project, ProjectStatus
from rbm.models import Role, User
from tests import factories

pytestmark = pytest.mark.django_db


def _api(user: User | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _body(office: Any, cpo: Any, share: str = "60") -> dict[str, Any]:
    return {
        "code": "IDN/12/40/NOR",
        "title": "Social protection floors",
        "funding_kind": "XBTC",
        "geography": "countries",
        "countries": ["idn"],
        "office": office.code,
        "start_date": "2012-01-01",
        "end_date": "2013-12-31",
        "contributions": [{"donor": "NOR", "amount": "1000.00"}],
        "years": [{"year": 2012, "budget": "600"}, {"year": 2013, "budget": "400"}],
        "cpo_links": [{"cpo": cpo.pk, "share": share}],
    }


def test_create_read_and_refuse_shares_over_100(
    field_user: User, office: Any, cpo: Any, donor: Donor
) -> None:
    client = _api(field_user)
    created = client.post("/api/v1/projects/", _body(office, cpo), format="json")
    assert created.status_code == 201, created.content
    assert created.json()["cpo_links"][0]["share"] == "60.00"
    other = factories.CpoFactory(programme=cpo.programme, priority=cpo.priority)
    pk, version = created.json()["id"], created.json()["version"]
    refused = client.patch(
        f"/api/v1/projects/{pk}/",
        {
            "version": version,
            "cpo_links": [{"cpo": cpo.pk, "share": "60"}, {"cpo": other.pk, "share": "41"}],
        },
        format="json",
    )
    assert refused.status_code == 400
    assert "100" in refused.content.decode()
    stale = client.patch(f"/api/v1/projects/{pk}/", {"version": 99, "title": "x"}, format="json")
    assert stale.status_code == 409


def test_bad_input_is_a_400_not_a_500(
    field_user: User, office: Any, cpo: Any, donor: Donor
) -> None:
    client = _api(field_user)
    for body in (
        {**_body(office, cpo), "cpo_links": [{"cpo": 10**12, "share": "5"}]},
        {**_body(office, cpo), "years": [{"year": "x", "budget": "-1"}]},
        {**_body(office, cpo), "countries": ["ZZZ"]},
        {**_body(office, cpo), "code": "bad code"},
        {**_body(office, cpo), "cpo_links": [{"cpo": cpo.pk, "share": "1e9"}]},
    ):
        assert client.post("/api/v1/projects/", body, format="json").status_code == 400
    assert not Project.objects.exists()


def test_steps_and_appraisal_through_the_api(
    field_user: User, make_project: Callable[..., Project], cpo: Any, user_for: Callable[..., User]
) -> None:
    project = make_project(links=[(cpo, "50")])
    client = _api(field_user)
    url = f"/api/v1/projects/{project.pk}/"
    early = client.post(url + "step/", {"target": "submitted", "version": project.version})
    assert early.status_code == 400
    officer = user_for(Role.REGIONAL_PROGRAMME_OFFICER, region=factories.region("asia-pacific"))
    assert (
        client.post(
            url + "appraise/",
            {
                "verdict": "relevant",
                "constituents_consulted": True,
                "gender_dimension": True,
                "evaluation_planned": True,
                "version": project.version,
            },
            format="json",
        ).status_code
        == 403
    )
    appraised = _api(officer).post(
        url + "appraise/",
        {
            "verdict": "relevant",
            "constituents_consulted": True,
            "gender_dimension": True,
            "evaluation_planned": True,
            "version": project.version,
        },
        format="json",
    )
    assert appraised.status_code == 200
    assert appraised.json()["status"] == ProjectStatus.APPRAISED
    submitted = client.post(
        url + "step/", {"target": "submitted", "version": appraised.json()["version"]}
    )
    assert submitted.status_code == 200
    assert submitted.json()["status"] == ProjectStatus.SUBMITTED


def test_the_public_reads_approved_projects_of_published_programmes(
    make_project: Callable[..., Project], cpo: Any
) -> None:
    make_project(links=[(cpo, "10")])
    funded = make_project(links=[(cpo, "10")], status="funded")
    listed = _api().get("/api/v1/projects/").json()
    assert [row["code"] for row in listed["results"]] == [funded.code]
    assert _api().post("/api/v1/projects/", {}, format="json").status_code == 401
    assert _api().get("/api/v1/funding/regions/?region=africa&biennium=2012-13").status_code == 401


def test_donors_are_reference_data(
    field_user: User, user_for: Callable[..., User], donor: Donor
) -> None:
    assert _api().get("/api/v1/donors/").status_code == 200
    body = {
        "code": "EUR",
        "name": "European Union",
        "kind": "european_union",
        "iati_org_id": "XI-IATI-EC_INTPA",
    }
    assert _api(field_user).post("/api/v1/donors/", body, format="json").status_code == 403
    admin = user_for(Role.ADMINISTRATOR)
    assert _api(admin).post("/api/v1/donors/", body, format="json").status_code == 201
    bad = {**body, "code": "EU2", "name": "Other", "iati_org_id": "not an id"}
    assert _api(admin).post("/api/v1/donors/", bad, format="json").status_code == 400
    twice = _api(admin).post(
        "/api/v1/donors/", {**body, "code": "EU3", "name": "Again"}, format="json"
    )
    assert twice.status_code in (400, 409)


def test_region_funding(field_user: User, make_project: Callable[..., Project], cpo: Any) -> None:
    make_project(links=[(cpo, "50")], status="funded")
    answer = _api(field_user).get("/api/v1/funding/regions/?region=asia-pacific&biennium=2012-13")
    assert answer.status_code == 200
    total = answer.json()["total"]
    assert (total["needed"], total["secured"], total["gap"]) == (
        "200000.00",
        "100000.00",
        "100000.00",
    )
    assert _api(field_user).get("/api/v1/funding/regions/?region=x&biennium=2").status_code == 400


def test_list_query_count_does_not_grow(
    field_user: User, make_project: Callable[..., Project], cpo: Any, count_queries: Any
) -> None:
    client = _api(field_user)
    make_project(links=[(cpo, "1")])
    few = count_queries(lambda: client.get("/api/v1/projects/"))
    for i in range(5):
        make_project(code=f"IDN/12/{60 + i}/NOR", links=[(cpo, "1")])
    assert count_queries(lambda: client.get("/api/v1/projects/")) == few


def test_the_list_writes_what_the_serializer_writes(
    field_user: User, make_project: Callable[..., Project], cpo: Any
) -> None:
    from cooperation.api.serializers import ProjectSerializer

    project = make_project(links=[(cpo, "12.5")], status="funded")
    listed = _api(field_user).get("/api/v1/projects/").json()["results"]
    assert listed == [ProjectSerializer(Project.objects.get(pk=project.pk)).data]
    assert _api(field_user).get(f"/api/v1/projects/{project.pk}/").json() == listed[0]


def test_a_technical_unit_records_servicing_through_the_api(
    make_project: Callable[..., Project], cpo: Any, user_for: Callable[..., User]
) -> None:
    from rbm.models import OfficeKind

    project = make_project(links=[(cpo, "50")])
    unit = factories.OfficeFactory(kind=OfficeKind.TECHNICAL_UNIT, region=None, countries=[])
    cpo.outcome.technical_units.add(unit)
    client = _api(user_for(Role.HQ_TECHNICAL_UNIT, office=unit))
    url = f"/api/v1/projects/{project.pk}/service/"
    assert client.post(url, {"cpo": cpo.pk, "serviced": True}, format="json").status_code == 200
    assert project.cpo_links.get().serviced_by == unit
    assert client.post(url, {"cpo": 10**9, "serviced": True}, format="json").status_code == 400
    field = _api(user_for(Role.FIELD_OFFICE_STAFF))
    assert field.post(url, {"cpo": cpo.pk, "serviced": True}, format="json").status_code == 403
