"""Messages that ``plans.services`` shows on the review screen, marked for this app's catalogue.

The indicator-editing services (update/create/delete_indicator, indicator_problems) were added
to ``ducha.plans`` for the review workflow; until the plans catalogue carries their strings,
``makemessages`` finds them here so that they are translated wherever they are raised.
"""

from django.utils.translation import gettext_noop

MESSAGES = (
    gettext_noop("Only the indicators of a draft plan can be edited here; %(plan)s is %(state)s."),
    gettext_noop("A name is required."),
    gettext_noop("%s is not a known unit."),
    gettext_noop("A change target is given in %."),
    gettext_noop("The target must be a number of at least 0."),
    gettext_noop("The upper bound must not be below the target."),
    gettext_noop("The node belongs to another plan."),
    gettext_noop("The plan already has an indicator %s."),
    gettext_noop("%s has reported values or other records and cannot be dropped."),
    gettext_noop("A title is required."),
    gettext_noop("The period must not end before it starts."),
    gettext_noop("The outlook year must not be before the end of the period."),
)
