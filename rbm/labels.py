"""Names of reference data, marked here so that the catalogues translate them.

Reference rows store their English name; ``label`` properties translate it through these.
"""

from django.utils.translation import gettext_noop

REGION_NAMES = {
    gettext_noop("Africa"),
    gettext_noop("Americas"),
    gettext_noop("Arab States"),
    gettext_noop("Asia and the Pacific"),
    gettext_noop("Europe and Central Asia"),
}

FUNDING_SOURCE_NAMES = {
    gettext_noop("Regular budget"),
    gettext_noop("Regular Budget Technical Cooperation"),
    gettext_noop("Extra-budgetary technical cooperation"),
    gettext_noop("Regular Budget Supplementary Account"),
}
