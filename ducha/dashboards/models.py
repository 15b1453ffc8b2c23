"""The dashboards store nothing: they read plans, values and assessments.

`UnitScorecard` is a proxy of OrgUnit so that who may open which unit's scorecard is decided by
a policy of its own (the org-unit list itself is visible to everyone signed in).
"""

from django.utils.translation import gettext_lazy as _

from ducha.orgunits.models import OrgUnit


class UnitScorecard(OrgUnit):
    class Meta:
        proxy = True
        verbose_name = _("unit scorecard")
        verbose_name_plural = _("unit scorecards")
