"""Upper apps reach lower apps' pages and steps through registries in rbm, never by import."""

from __future__ import annotations

import pytest
from django.template import engines
from django.test import RequestFactory

from rbm import checks, ui
from rbm.errors import ApplicationError


@pytest.fixture
def section():
    ui.register_section(
        ui.SlotSection(
            slot="test.page",
            key="greeting",
            template="rbm/tests/section.html",
            context=lambda request, obj: None if obj == "nobody" else {"name": obj},
        )
    )
    yield
    ui._SLOTS.pop("test.page")


def _render(text: str, **context) -> str:
    request = RequestFactory().get("/")
    template = engines["django"].from_string(text)
    return template.render({**context}, request=request)


def test_a_slot_shows_the_sections_registered_for_it_with_the_page_object(
    section, tmp_path, settings
) -> None:
    (tmp_path / "rbm" / "tests").mkdir(parents=True)
    (tmp_path / "rbm" / "tests" / "section.html").write_text(
        "<p>Hello {{ section.name }} on {{ request.path }}</p>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    page = '{% slot "test.page" who %}'
    assert _render(page, who="<Ana>") == "<p>Hello &lt;Ana&gt; on /</p>"
    assert _render(page, who="nobody") == ""
    assert _render('{% slot "no.such.slot" who %}', who="Ana") == ""


def test_a_checkpoint_runs_every_condition_and_the_first_refusal_stops_the_step() -> None:
    seen = []

    def refuse_drafts(obj):
        seen.append(obj)
        if obj == "draft":
            raise ApplicationError("Not a draft.")

    checks.register("test.step", "drafts", refuse_drafts)
    try:
        checks.run("test.step", "final")
        with pytest.raises(ApplicationError, match=r"Not a draft\."):
            checks.run("test.step", "draft")
        assert seen == ["final", "draft"]
        assert checks.registered("test.step") == ["drafts"]
        checks.run("test.nobody.listens", object())
    finally:
        checks._CONDITIONS.pop("test.step")
