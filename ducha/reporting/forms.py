from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.core.forms import LongTextField
from ducha.datavalues.importer import period_message
from ducha.datavalues.models import MilestoneProgress, ValueSource
from ducha.engine.periods import PeriodError, parse_period
from ducha.plans.models import Plan
from ducha.reporting.services import DEFAULT_CHANGE_THRESHOLD, DEFAULT_WORKING_DAYS

# <input type="date"> takes ISO dates only; Django would render the locale's (2026/11/27).
ISO_DATE = "%Y-%m-%d"


class RoundForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), label=_("Plan"))
    period = forms.CharField(
        label=_("Period"),
        max_length=20,
        help_text=_("For example 2019Q3, 2019年第三季度, 2019 or 2019-09."),
    )
    opened_on = forms.DateField(
        label=_("Opened on"), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    )
    working_days = forms.IntegerField(
        label=_("Working days to report"),
        min_value=1,
        max_value=60,
        initial=DEFAULT_WORKING_DAYS,
        help_text=_("Counted in Chinese working days: holidays skipped, 调休 days counted."),
    )
    change_threshold = forms.DecimalField(
        label=_("Change that needs an explanation"),
        min_value=Decimal("0.01"),
        max_value=Decimal("10"),
        decimal_places=3,
        initial=DEFAULT_CHANGE_THRESHOLD,
        help_text=_("A share of the last period's figure, e.g. 0.3."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.for_user(user, "view")
        self.fields["opened_on"].initial = timezone.localdate()

    def clean_period(self):
        raw = self.cleaned_data["period"]
        try:
            return parse_period(raw)
        except PeriodError as exc:
            # The engine's message is English; its error kind maps to a translated one.
            raise forms.ValidationError(period_message(exc, raw)) from exc


class AssignmentForm(forms.Form):
    """What a unit fills in. `version` carries the optimistic lock through the round trip."""

    value = forms.CharField(label=_("Value"), required=False, max_length=40)
    progress = forms.ChoiceField(
        label=_("Progress"), required=False, choices=[("", "—"), *MilestoneProgress.choices]
    )
    narrative = LongTextField(
        label=_("Narrative"),
        required=False,
        max_chars=5000,
        help_text=_("What was done this period, and what the figure covers."),
    )
    explanation = LongTextField(
        label=_("Explanation"),
        required=False,
        max_chars=5000,
        rows=3,
        help_text=_("Required when the figure is off track or moves a lot from the last period."),
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[c for c in ValueSource.choices if c[0] != ValueSource.COMPUTED],
        help_text=_("Where the figure comes from."),
    )
    source_note = forms.CharField(
        label=_("Basis (口径)"),
        required=False,
        max_length=500,
        help_text=_("Optional: what the figure covers, if it differs from the indicator's."),
    )
    source_url = forms.CharField(
        label=_("Source link"),
        required=False,
        max_length=500,
        help_text=_("Optional: a web page that publishes the figure."),
    )
    source_evidence = forms.ChoiceField(
        label=_("Source attachment"),
        required=False,
        help_text=_("Optional: one of the evidence files below (attach it first)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    SOURCE_FIELDS = ("source", "source_note", "source_url", "source_evidence")

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        if assignment.is_milestone:
            del self.fields["value"]
            for name in self.SOURCE_FIELDS:
                del self.fields[name]
        else:
            del self.fields["progress"]
            self.fields["value"].label = _("Value (%s)") % assignment.indicator.unit
            self.fields["source_evidence"].choices = [("", "—")] + [
                (str(e.pk), e.original_name)
                for e in assignment.evidence.filter(archived_at=None).order_by("uploaded_at")
            ]
        if not assignment.is_editable or not assignment.round.is_open:
            for field in self.fields.values():
                field.disabled = True


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), required=False, max_length=200)


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment or reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
