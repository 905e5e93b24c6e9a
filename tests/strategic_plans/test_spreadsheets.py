"""A biennium's framework as a workbook: out, edited, back in; all or nothing, with every
bad row listed; who may import; the export's queries."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from rbm.models import Role
from rbm.services import system_user
from strategic_plans.lifecycle import programme_adopt, programme_propose
from strategic_plans.models import (
    FrameworkRevision,
    Indicator,
    Outcome,
    OutcomeResource,
    ProgrammeAndBudget,
    Target,
)
from strategic_plans.spreadsheets import (
    FrameworkImportRefused,
    framework_import,
    framework_workbook,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    plan, _outcomes = factories.framework_2012_13()
    return ProgrammeAndBudget.objects.get(plan=plan)


def _edit(content: bytes, edits) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    edits(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _set(sheet, row: int, column: str, value) -> None:
    header = [c.value for c in sheet[1]]
    sheet.cell(row=row, column=header.index(column) + 1, value=value)


def test_a_workbook_goes_out_and_comes_back_with_french_titles_targets_and_budgets(
    programme,
) -> None:
    content = framework_workbook(programme)

    def edits(workbook):
        _set(workbook["Outcomes"], 2, "title_fr", "Travail des enfants")
        _set(workbook["Outcomes"], 2, "title_es", "Trabajo infantil")
        targets = workbook["Targets"]
        _set(targets, 2, "total", 6)
        _set(targets, 2, "africa", 4)
        _set(targets, 2, "asia-pacific", 2)
        _set(workbook["Budgets"], 2, "RB", 1250000)
        outcomes = workbook["Outcomes"]
        outcomes.append([4, "17", "Discrimination", "", "", "", "", ""])
        workbook["Indicators"].append(["17", "17.1", "member States", "Fewer cases", "", ""])

    counts = framework_import(
        user=system_user(), programme=programme, content=_edit(content, edits)
    )
    assert counts["Outcomes"] == 3
    outcome = Outcome.objects.get(objective__plan=programme.plan, code="16")
    for language, expected in (("fr", "Travail des enfants"), ("es", "Trabajo infantil")):
        with translation.override(language):
            assert outcome.title == expected
    target = Target.objects.get(indicator__code="16.1", biennium=programme.biennium)
    assert target.total == 6
    assert sorted(target.by_region.values_list("region__code", "value")) == [
        ("africa", 4),
        ("asia-pacific", 2),
    ]
    assert OutcomeResource.objects.get(outcome=outcome).amount == 1250000
    assert Indicator.objects.get(code="17.1").text == "Fewer cases"
    # A second import of the same file changes nothing more
    again = framework_workbook(programme)
    framework_import(user=system_user(), programme=programme, content=again)
    assert Target.objects.get(pk=target.pk).total == 6


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_problem(programme) -> None:
    def edits(workbook):
        _set(workbook["Outcomes"], 2, "title_fr", "Travail des enfants")
        _set(workbook["Outcomes"], 3, "title_en", "")  # the English title emptied
        _set(workbook["Targets"], 2, "total", "many")
        _set(workbook["Targets"], 3, "total", 5)
        _set(workbook["Targets"], 3, "africa", 2)  # differs from the total, no note
        workbook["Budgets"].append(["99", 10])

    content = _edit(framework_workbook(programme), edits)
    with pytest.raises(FrameworkImportRefused) as refused:
        framework_import(user=system_user(), programme=programme, content=content)
    found = {(e.sheet, e.row, e.column) for e in refused.value.errors}
    assert ("Outcomes", 3, "title_en") in found
    assert ("Targets", 2, "total") in found
    assert ("Targets", 3, "note") in found
    assert ("Budgets", 4, "outcome") in found
    # And nothing was written, not even the good rows
    assert not Outcome.objects.filter(title_fr="Travail des enfants").exists()
    assert not Target.objects.exists()


def test_an_import_into_an_adopted_programme_needs_a_reason_and_records_revisions(
    programme,
) -> None:
    programme = programme_propose(user=system_user(), programme=programme, version=1)
    programme = programme_adopt(user=system_user(), programme=programme, version=2)

    def edits(workbook):
        _set(workbook["Outcomes"], 2, "title_fr", "Travail des enfants")

    content = _edit(framework_workbook(programme), edits)
    with pytest.raises(FrameworkImportRefused) as refused:
        framework_import(user=system_user(), programme=programme, content=content)
    assert {e.column for e in refused.value.errors} == {"reason"}
    framework_import(
        user=system_user(), programme=programme, content=content, reason="French version."
    )
    assert FrameworkRevision.objects.get().new == "Travail des enfants"


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.PROGRAMME_OFFICER, 302), (Role.FIELD_OFFICE_STAFF, 403), (Role.GB_SECRETARIAT, 403)],
)
def test_who_may_import_through_the_page(client, user_for, programme, role, status) -> None:
    client.force_login(user_for(role))
    upload = io.BytesIO(framework_workbook(programme))
    upload.name = "framework.xlsx"
    response = client.post(
        reverse("framework-import", args=["2012-13"]), {"file": upload, "reason": ""}
    )
    assert response.status_code == status


def test_a_file_that_is_not_a_workbook_is_a_400_with_its_reason(client, user_for, programme):
    client.force_login(user_for(Role.PROGRAMME_OFFICER))
    upload = io.BytesIO(b"not a workbook")
    upload.name = "framework.xlsx"
    response = client.post(reverse("framework-import", args=["2012-13"]), {"file": upload})
    assert response.status_code == 400
    assert "could not be read as an Excel workbook" in response.content.decode()


def test_the_export_s_queries_do_not_grow_with_the_framework(
    client, programme, count_queries
) -> None:
    url = reverse("framework-export", args=["2012-13"])
    assert client.get(url).status_code == 200
    before = count_queries(lambda: client.get(url))
    objective = Outcome.objects.filter(objective__plan=programme.plan).first().objective
    for number in range(5):
        outcome = factories.OutcomeFactory(objective=objective, code=str(40 + number))
        factories.IndicatorFactory(outcome=outcome, code=f"{outcome.code}.1")
    assert count_queries(lambda: client.get(url)) == before
