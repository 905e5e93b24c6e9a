"""Forms of the country programme pages.

Forms parse what people type and offer the choices the page allows; the services in
``dwcp.services`` decide (permissions, the model's invariants, versions). Choice fields take
objects the view has already read, so showing and checking a form costs no extra query.

The package: ``fields`` (the fields and helpers every form here uses), ``programmes``
(programmes, parties, priorities), ``cpos`` (CPOs, milestones, resources, the list's filters)
and ``progress`` (progress reports and the validation queue).
"""

from __future__ import annotations

from dwcp.forms.cpos import (
    GENDER_REQUIRED,
    CpoFilterForm,
    CpoForm,
    MilestoneForm,
    MilestoneFormSet,
    ResourcesForm,
    milestone_formset,
    milestones_of,
)
from dwcp.forms.fields import (
    ANY,
    DATE_INPUT,
    YES_NO_ANY,
    ObjectChoiceField,
    OptionSelect,
    field_help,
    field_label,
    url_field,
    year_field,
    yes_no,
)
from dwcp.forms.programmes import (
    PHASES_ANY,
    PartyForm,
    PartyFormSet,
    PriorityForm,
    ProgrammeFilterForm,
    ProgrammeForm,
    parties_of,
    party_formset,
)
from dwcp.forms.progress import (
    PAGE_SIZES,
    SORTS,
    ProgressForm,
    QueueFilterForm,
    ReviewForm,
)
from rbm.pages import add_service_errors

__all__ = [
    "ANY",
    "DATE_INPUT",
    "GENDER_REQUIRED",
    "PAGE_SIZES",
    "PHASES_ANY",
    "SORTS",
    "YES_NO_ANY",
    "CpoFilterForm",
    "CpoForm",
    "MilestoneForm",
    "MilestoneFormSet",
    "ObjectChoiceField",
    "OptionSelect",
    "PartyForm",
    "PartyFormSet",
    "PriorityForm",
    "ProgrammeFilterForm",
    "ProgrammeForm",
    "ProgressForm",
    "QueueFilterForm",
    "ResourcesForm",
    "ReviewForm",
    "add_service_errors",
    "field_help",
    "field_label",
    "milestone_formset",
    "milestones_of",
    "parties_of",
    "party_formset",
    "url_field",
    "year_field",
    "yes_no",
]
