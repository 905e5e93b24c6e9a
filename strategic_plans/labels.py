"""Titles of the standard strategy elements, marked for the catalogues."""

from django.utils.translation import gettext_noop

STRATEGY_ELEMENT_TITLES = {
    gettext_noop("Support to constituents"),
    gettext_noop("Knowledge"),
    gettext_noop("Gender equality and non-discrimination"),
    gettext_noop("Experience and lessons learned"),
    gettext_noop("Linkages to other outcomes"),
    gettext_noop("Implication of the Global Jobs Pact"),
    gettext_noop("Partnerships"),
    gettext_noop("Technical cooperation"),
    gettext_noop("Communication"),
    gettext_noop("Risk management"),
}
