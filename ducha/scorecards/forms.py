from django import forms
from django.utils.translation import gettext_lazy as _


class WeightsForm(forms.Form):
    timeliness = forms.DecimalField(
        label=_("Timeliness (on-time reporting rate)"), min_value=0, max_value=100, decimal_places=2
    )
    completeness = forms.DecimalField(
        label=_("Completeness (share approved)"), min_value=0, max_value=100, decimal_places=2
    )
    progress = forms.DecimalField(
        label=_("Progress of the items the unit leads"),
        min_value=0,
        max_value=100,
        decimal_places=2,
    )
    quality = forms.DecimalField(
        label=_("Evidence quality"), min_value=0, max_value=100, decimal_places=2
    )
