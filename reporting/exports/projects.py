"""What the exports write of the report's development cooperation projects (the content's
``cooperation`` key, absent from reports compiled before it existed): the workbook's
"Project resources" sheet (per outcome and region: needed, secured, pipeline, delivered,
gap; and the count of projects and proposals outside every DWCP), and the projects as IATI
2.03 activities with their participating organisations, budgets, transactions and the
results of the CPOs they serve."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from xml.etree.ElementTree import Element, SubElement

from django.utils.translation import gettext as _
from openpyxl.worksheet.worksheet import Worksheet

from reporting.exports.common import JSON
from reporting.exports.xlsx.cells import MONEY, WHOLE, Column, bold_row, write_header, write_rows

MEASURES = ("needed", "secured", "pipeline", "delivered", "gap")


def has_projects(content: JSON) -> bool:
    return "cooperation" in content


# The workbook ---------------------------------------------------------------------------------


def resources_sheet(sheet: Worksheet, content: JSON) -> None:
    columns = [
        Column(_("Outcome"), 14),
        Column(_("Region"), 24),
        Column(_("Needed (USD thousands)"), 16, MONEY),
        Column(_("Secured (USD thousands)"), 16, MONEY),
        Column(_("Pipeline (USD thousands)"), 16, MONEY),
        Column(_("Delivered (USD thousands)"), 16, MONEY),
        Column(_("Gap (USD thousands)"), 16, MONEY),
    ]
    write_header(sheet, 1, columns)
    regions = {r["code"]: r["name"] for r in content["meta"]["regions"]}
    row = 2
    cooperation = content["cooperation"]
    for code, entry in cooperation["resources"].items():
        lines = [
            [code, regions.get(region, region), *(Decimal(money[m]) for m in MEASURES)]
            for region, money in entry["regions"].items()
        ]
        row = write_rows(sheet, row, columns, lines)
        total = entry["total"]
        row = write_rows(
            sheet, row, columns, [[code, _("Total"), *(Decimal(total[m]) for m in MEASURES)]]
        )
        bold_row(sheet, row - 1)
    note = [Column(_("Projects and proposals outside every DWCP"), 40), Column("", 10, WHOLE)]
    write_rows(sheet, row + 1, note, [[note[0].title, cooperation["outside_dwcp"]]])
    sheet.freeze_panes = "A2"


# IATI -----------------------------------------------------------------------------------------

# OECD DAC regions (RegionVocabulary 1) of the ILO's regions; 998: developing countries,
# unspecified, for interregional and global projects.
DAC_REGION = {
    "africa": "298",
    "americas": "498",
    "arab-states": "589",
    "asia-pacific": "798",
    "europe-central-asia": "89",
}
UNSPECIFIED_REGION = "998"
# IATI OrganisationType of each donor kind.
ORGANISATION_TYPE = {
    "government": "10",
    "european_union": "40",
    "un_agency": "40",
    "financial_institution": "40",
    "foundation": "60",
    "private_sector": "70",
    "domestic": "10",
}
# ActivityStatus of a project: 2 implementation, 3 finalisation, 4 closed.
ACTIVITY_STATUS = {
    "funded": "2",
    "ongoing": "2",
    "operationally_closed": "3",
    "financially_closed": "4",
}
FUNDING, EXTENDING, IMPLEMENTING = "1", "3", "4"
INCOMING_COMMITMENT, INCOMING_FUNDS, EXPENDITURE = "11", "1", "4"


def activity_identifier(ilo: str, code: str) -> str:
    """``XM-DAC-41302-PRJ-IDN-12-01-NOR`` for the project IDN/12/01/NOR."""
    return f"{ilo}-PRJ-{code.replace('/', '-')}"


def _narrative(parent: Element, tag: str, text: str, **attributes: str) -> Element:
    element = SubElement(parent, tag, attributes)
    SubElement(element, "narrative").text = text
    return element


def _percentages(count: int) -> list[str]:
    """``count`` shares of 100 to two places that add up to exactly 100."""
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    shares = [share] * count
    shares[-1] += Decimal(100) - share * count
    return [str(s) for s in shares]


def project_activities(
    content: JSON, *, language: str, generated: str, ilo: str, organisation_type: str
) -> list[Element]:
    """The report's projects as ``iati-activity`` elements, in the schema's order."""
    biennium = content["meta"]["biennium"]
    start, end = int(biennium[:4]), int(biennium[:4]) + 1
    activities = []
    for project in content["cooperation"]["projects"]:
        activity = Element(
            "iati-activity",
            {
                "last-updated-datetime": generated,
                "{http://www.w3.org/XML/1998/namespace}lang": language,
                "default-currency": "USD",
                "hierarchy": "2",
            },
        )
        SubElement(activity, "iati-identifier").text = activity_identifier(ilo, project["code"])
        ilo_name = _("International Labour Organization")
        _narrative(activity, "reporting-org", ilo_name, ref=ilo, type=organisation_type)
        _narrative(activity, "title", project["title"])
        _narrative(activity, "description", project["summary"] or project["title"], type="1")
        for donor in project["donors"]:
            attributes = {"type": ORGANISATION_TYPE.get(donor["kind"], "90"), "role": FUNDING}
            if donor["iati_org_id"]:
                attributes["ref"] = donor["iati_org_id"]
            _narrative(activity, "participating-org", donor["name"], **attributes)
        _narrative(
            activity, "participating-org", ilo_name, ref=ilo, type=organisation_type, role=EXTENDING
        )
        _narrative(
            activity,
            "participating-org",
            project["office"],
            type=organisation_type,
            role=IMPLEMENTING,
        )
        SubElement(
            activity, "activity-status", {"code": ACTIVITY_STATUS.get(project["status"], "2")}
        )
        SubElement(activity, "activity-date", {"type": "1", "iso-date": project["start_date"]})
        SubElement(activity, "activity-date", {"type": "3", "iso-date": project["end_date"]})
        countries = project["countries"]
        if countries:
            for (alpha2, name), percentage in zip(
                countries, _percentages(len(countries)), strict=True
            ):
                _narrative(activity, "recipient-country", name, code=alpha2, percentage=percentage)
        else:
            code = DAC_REGION.get(project["region"] or "", UNSPECIFIED_REGION)
            SubElement(
                activity, "recipient-region", {"code": code, "vocabulary": "1", "percentage": "100"}
            )
        for year in project["years"]:
            budget = SubElement(activity, "budget", {"type": "1", "status": "2"})
            SubElement(budget, "period-start", {"iso-date": f"{year['year']}-01-01"})
            SubElement(budget, "period-end", {"iso-date": f"{year['year']}-12-31"})
            SubElement(budget, "value", {"value-date": f"{year['year']}-01-01"}).text = year[
                "budget"
            ]
        for donor in project["donors"]:
            _transaction(
                activity, INCOMING_COMMITMENT, project["start_date"], donor["amount"], donor
            )
        for year in project["years"]:
            date = f"{year['year']}-12-31"
            if Decimal(year["disbursed"]):
                _transaction(activity, INCOMING_FUNDS, date, year["disbursed"], None)
            if Decimal(year["expenditure"]):
                _transaction(activity, EXPENDITURE, date, year["expenditure"], None)
        for cpo in project["cpos"]:
            activity.append(_result(cpo, start, end))
        activities.append(activity)
    return activities


def _transaction(activity: Element, kind: str, date: str, value: str, donor: JSON | None) -> None:
    transaction = SubElement(activity, "transaction")
    SubElement(transaction, "transaction-type", {"code": kind})
    SubElement(transaction, "transaction-date", {"iso-date": date})
    SubElement(transaction, "value", {"value-date": date}).text = value
    if donor is not None:
        attributes = {"ref": donor["iati_org_id"]} if donor["iati_org_id"] else {}
        _narrative(transaction, "provider-org", donor["name"], **attributes)


def _result(cpo: JSON, start: int, end: int) -> Element:
    result = Element("result", {"type": "2"})
    _narrative(result, "title", f"{cpo['code']} {cpo['title']}")
    _narrative(
        result,
        "description",
        _(
            "Country programme outcome of %(country)s under P&B outcome %(outcome)s; the project "
            "gives it %(share)s %% of its budget in the biennium."
        )
        % {"country": cpo["country"], "outcome": cpo["outcome"], "share": cpo["share"]},
    )
    indicator = SubElement(result, "indicator", {"measure": "1", "ascending": "1"})
    _narrative(indicator, "title", _("Country programme outcome achieved"))
    SubElement(indicator, "baseline", {"year": str(start - 1), "value": "0"})
    period = SubElement(indicator, "period")
    SubElement(period, "period-start", {"iso-date": f"{start}-01-01"})
    SubElement(period, "period-end", {"iso-date": f"{end}-12-31"})
    SubElement(period, "target", {"value": "1" if cpo["targeted"] else "0"})
    SubElement(period, "actual", {"value": "1" if cpo.get("achieved") else "0"})
    return result
