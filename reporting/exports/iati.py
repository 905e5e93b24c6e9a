"""The country programmes of a report as IATI 2.03 activities (XML).

One ``<iati-activity>`` per Decent Work Country Programme of the content's programmes annex
(and, after them, one per development cooperation project serving the report's CPOs:
``reporting.exports.projects``),
its country programme outcomes as results: an outcome-type result per CPO with one indicator
(measured in units: the CPO achieved or not), a baseline of 0 the year before the biennium,
and a period for the biennium whose target is 1 if the Office targeted the CPO and whose
actual is 1 if a validated progress report claims its result.

Elements follow the order the 2.03 activities schema requires. The file's dates come from the
snapshot, so the same snapshot always gives the same bytes.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement, indent, tostring

from django.utils.translation import gettext as _

from dwcp.models import Phase
from rbm.errors import ApplicationError
from rbm.models import Biennium
from reporting.exports import common, projects
from reporting.exports.common import JSON
from reporting.models import ReportSnapshot

IATI_VERSION = "2.03"
ILO_IDENTIFIER = "XM-DAC-41302"
MULTILATERAL = "40"  # OrganisationType
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# ActivityStatus: 1 pipeline/identification, 2 implementation, 3 finalisation, 4 closed.
PIPELINE = "1"
STATUS_BY_PHASE: dict[str, str] = {
    Phase.IMPLEMENTATION: "2",
    Phase.MONITORING: "2",
    Phase.COMPLETED: "3",
    Phase.EVALUATED: "4",
}
# OrganisationRole
FUNDING, IMPLEMENTING = "1", "4"
# ActivityDateType
PLANNED_START, PLANNED_END = "1", "3"
# ResultType and IndicatorMeasure
OUTCOME_RESULT, UNIT_MEASURE = "2", "1"


def snapshot_iati(snapshot: ReportSnapshot) -> bytes:
    """The programmes of ``snapshot`` as an IATI activities file. Call inside
    ``translation.override``."""
    content = snapshot.content
    if next(common.programmes(content), None) is None:
        # The 2.03 schema requires at least one activity: no file rather than an invalid one.
        raise ApplicationError(
            _("This report has no country programmes: an IATI file needs at least one.")
        )
    generated = snapshot.created_at.isoformat(timespec="seconds")
    root = Element("iati-activities", {"version": IATI_VERSION, "generated-datetime": generated})
    identifiers = activity_identifiers(content)
    for _part, programme in common.programmes(content):
        root.append(_activity(snapshot, programme, identifiers[programme["id"]], generated))
    if projects.has_projects(content):
        root.extend(
            projects.project_activities(
                content,
                language=snapshot.language,
                generated=generated,
                ilo=ILO_IDENTIFIER,
                organisation_type=MULTILATERAL,
            )
        )
    indent(root)
    return tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def activity_identifiers(content: JSON) -> dict[int, str]:
    """``XM-DAC-41302-DWCP-IDN-12`` by programme id (country and start year); the
    programme's id is added where two programmes of a country start the same year."""
    plain = {
        programme["id"]: (
            f"{ILO_IDENTIFIER}-DWCP-{programme['country']}-{programme['start_year'] % 100:02d}"
        )
        for _part, programme in common.programmes(content)
    }
    taken = list(plain.values())
    return {
        pk: identifier if taken.count(identifier) == 1 else f"{identifier}-{pk}"
        for pk, identifier in plain.items()
    }


def activity_status(phase: str) -> str:
    """The IATI activity status of a DWCP phase."""
    return STATUS_BY_PHASE.get(phase, PIPELINE)


def _narrative(parent: Element, tag: str, text: str, **attributes: str) -> Element:
    element = SubElement(parent, tag, attributes)
    SubElement(element, "narrative").text = text
    return element


def _activity(
    snapshot: ReportSnapshot, programme: JSON, identifier: str, generated: str
) -> Element:
    """One programme as an activity, its elements in the schema's order."""
    biennium = snapshot.content["meta"]["biennium"]
    activity = Element(
        "iati-activity",
        {
            "last-updated-datetime": generated,
            XML_LANG: snapshot.language,
            "default-currency": "USD",
            "hierarchy": "1",
        },
    )
    SubElement(activity, "iati-identifier").text = identifier
    _narrative(
        activity,
        "reporting-org",
        _("International Labour Organization"),
        ref=ILO_IDENTIFIER,
        type=MULTILATERAL,
    )
    _narrative(activity, "title", programme["title"])
    _narrative(activity, "description", _description(programme, biennium), type="1")
    _narrative(
        activity,
        "participating-org",
        _("International Labour Organization"),
        ref=ILO_IDENTIFIER,
        type=MULTILATERAL,
        role=FUNDING,
    )
    _narrative(
        activity, "participating-org", programme["office"], type=MULTILATERAL, role=IMPLEMENTING
    )
    SubElement(activity, "activity-status", {"code": activity_status(programme["phase"])})
    SubElement(
        activity,
        "activity-date",
        {"type": PLANNED_START, "iso-date": f"{programme['start_year']}-01-01"},
    )
    SubElement(
        activity,
        "activity-date",
        {"type": PLANNED_END, "iso-date": f"{programme['end_year']}-12-31"},
    )
    _narrative(
        activity,
        "recipient-country",
        programme["country_name"],
        code=programme["country_alpha2"],
        percentage="100",
    )
    for outcome in programme["outcomes"]:
        activity.append(_result(outcome, biennium))
    return activity


def _description(programme: JSON, biennium: str) -> str:
    return _(
        "Decent Work Country Programme of %(country)s for %(start)s-%(end)s, owned jointly by "
        "the government, employers' and workers' organizations and the ILO; responsible "
        "office: %(office)s. Its %(count)s country programme outcomes of %(biennium)s are "
        "reported as results by programme and budget outcome."
    ) % {
        "country": programme["country_name"],
        "start": programme["start_year"],
        "end": programme["end_year"],
        "office": programme["office"],
        "count": programme["cpos"],
        "biennium": biennium,
    }


def _result(outcome: JSON, biennium: str) -> Element:
    """What the programme's CPOs under one P&B outcome achieved: an outcome result with an
    indicator per P&B indicator (target: the CPOs targeted; actual: those whose result was
    validated), or one counting the outcome's CPOs when none is linked to an indicator."""
    start, end = Biennium.parse_code(biennium)
    result = Element("result", {"type": OUTCOME_RESULT})
    _narrative(
        result,
        "title",
        _("Outcome %(code)s – %(title)s") % {"code": outcome["code"], "title": outcome["title"]},
    )
    _narrative(
        result,
        "description",
        _(
            "%(cpos)s country programme outcomes: %(prioritized)s prioritized by the "
            "constituents, %(targeted)s targeted by the Office, %(achieved)s achieved and "
            "validated."
        )
        % {key: outcome[key] for key in ("cpos", "prioritized", "targeted", "achieved")},
    )
    indicators = outcome["indicators"] or [
        {
            "code": outcome["code"],
            "text": _("Country programme outcomes achieved"),
            "baseline": "",
            "targeted": outcome["targeted"],
            "achieved": outcome["achieved"],
        }
    ]
    for item in indicators:
        indicator = SubElement(result, "indicator", {"measure": UNIT_MEASURE, "ascending": "1"})
        _narrative(indicator, "title", f"{item['code']} {item['text']}".strip())
        baseline = SubElement(indicator, "baseline", {"year": str(start - 1), "value": "0"})
        if item["baseline"]:
            _narrative(baseline, "comment", item["baseline"])
        period = SubElement(indicator, "period")
        SubElement(period, "period-start", {"iso-date": f"{start}-01-01"})
        SubElement(period, "period-end", {"iso-date": f"{end}-12-31"})
        SubElement(period, "target", {"value": str(item["targeted"])})
        SubElement(period, "actual", {"value": str(item["achieved"])})
    return result
