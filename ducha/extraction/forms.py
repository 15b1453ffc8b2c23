"""Forms of the upload page and the review screen; every message in the user's language."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.engine.numbers import NumberFormatError, parse_number
from ducha.engine.periods import PeriodError, parse_period
from ducha.engine.units import UNITS, normalise_unit
from ducha.extraction.services import DOCUMENT_SUFFIXES, PLAN_CODE
from ducha.orgunits.models import OrgUnit, OrgUnitKind
from ducha.plans.models import (
    Aggregation,
    Comparator,
    Direction,
    Frequency,
    IndicatorKind,
    Plan,
)

CODE_HELP = _(
    "2 to 64 lower-case letters, digits and hyphens, e.g. tianjin-2018-ai. Leave it empty to "
    "derive one from the title."
)


def _clean_code(value: str) -> str:
    value = value.strip()
    if value and not PLAN_CODE.fullmatch(value):
        raise forms.ValidationError(
            _(
                "Use 2 to 64 lower-case letters, digits and hyphens, starting with a letter or "
                "digit."
            )
        )
    return value


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Policy document"),
        help_text=_(".txt (UTF-8 or GBK), .docx or .pdf with a text layer"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(DOCUMENT_SUFFIXES)}),
    )
    code = forms.CharField(label=_("Plan code"), required=False, help_text=CODE_HELP)
    replace = forms.BooleanField(
        label=_("Replace the draft plan that has this code, if there is one"), required=False
    )

    def clean_code(self):
        return _clean_code(self.cleaned_data["code"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith(DOCUMENT_SUFFIXES):
            raise forms.ValidationError(
                _("%(name)s cannot be read: upload a .txt, .docx or .pdf file.")
                % {"name": upload.name}
            )
        return upload


class LoadUploadForm(forms.Form):
    """For an upload that waits: another code, or the confirmation to replace a draft."""

    code = forms.CharField(label=_("Plan code"), help_text=CODE_HELP)
    replace = forms.BooleanField(
        label=_("Yes, replace the draft plan that has this code and start its review afresh"),
        required=False,
    )

    def clean_code(self):
        code = _clean_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("A plan code is required."))
        return code


class PlanDetailsForm(forms.Form):
    """The plan's header, as the extractor read it from the text: often worth a correction."""

    title = forms.CharField(label=_("Title"), max_length=300)
    short_title = forms.CharField(label=_("Short title"), max_length=100, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    issued_on = forms.DateField(
        label=_("Issued on"),
        required=False,
        help_text=_("A date such as 2018-01-18."),
        widget=forms.DateInput(format="%Y-%m-%d"),  # as the help text says, in any language
    )
    period_start = forms.IntegerField(label=_("Period starts"), min_value=1900, max_value=2100)
    period_end = forms.IntegerField(
        label=_("Period ends"),
        min_value=1900,
        max_value=2100,
        help_text=_("The default deadline of every indicator without one of its own."),
    )
    outlook_year = forms.IntegerField(
        label=_("Outlook year"), min_value=1900, max_value=2100, required=False
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=OrgUnit.objects.filter(kind__in=[OrgUnitKind.DISTRICT, OrgUnitKind.ZONE]),
        required=False,
        empty_label=_("whole city"),
        help_text=_("A district's plan covers its district: links to the city's plan follow."),
    )

    def clean(self):
        data = super().clean()
        start, end, outlook = (data.get(k) for k in ("period_start", "period_end", "outlook_year"))
        if start is not None and end is not None and end < start:
            self.add_error("period_end", _("The period must not end before it starts."))
        if outlook is not None and end is not None and outlook < end:
            self.add_error(
                "outlook_year", _("The outlook year must not be before the end of the period.")
            )
        return data


def parse_deadline(raw: str) -> dt.date:
    """2020 -> 2020-12-31 (as plan files say it); 2020-06-30 as it is."""
    raw = raw.strip()
    if re.fullmatch(r"\d{4}", raw):
        return dt.date(int(raw), 12, 31)
    return dt.date.fromisoformat(raw)


class TypedNumberField(forms.DecimalField):
    """A number as people type it (1,000 · 1.2万 · ６０%), read by the project's one parser
    (as reporting does); a text box, since a browser's number box refuses "1,000"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            try:
                return parse_number(value.strip()).value
            except NumberFormatError:
                raise forms.ValidationError(
                    _("%(value)s is not a number; write it as 1000, 1,000 or 1000万."),
                    code="invalid",
                    params={"value": value.strip()},
                ) from None
        return super().to_python(value)


class IndicatorForm(forms.Form):
    """The fields a reviewer corrects. ``plan`` and ``node`` give the checks their context."""

    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.CharField(
        label=_("Unit"),
        max_length=20,
        help_text=_("As plans write it: 亿元, 家, 个, %, 个百分点 …"),
        widget=forms.TextInput(attrs={"list": "known-units", "autocomplete": "off"}),
    )
    target_min = TypedNumberField(label=_("Target"), min_value=0, max_digits=24, decimal_places=6)
    target_max = TypedNumberField(
        label=_("Upper bound of a range"),
        required=False,
        min_value=0,
        max_digits=24,
        decimal_places=6,
        help_text=_("Only for a range such as 2至3 (target 2, upper bound 3)."),
    )
    comparator = forms.ChoiceField(label=_("Comparator"), choices=Comparator.choices)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=IndicatorKind.choices,
        help_text=_("A change (提高20%) is given in %; a level is the value to reach."),
    )
    direction = forms.TypedChoiceField(label=_("Direction"), choices=Direction.choices, coerce=int)
    deadline = forms.CharField(
        label=_("Deadline"),
        max_length=10,
        help_text=_("A year (2020, meaning its end) or a date (2020-06-30)."),
    )
    baseline_value = TypedNumberField(
        label=_("Baseline value"), required=False, max_digits=24, decimal_places=6
    )
    baseline_period = forms.CharField(
        label=_("Baseline period"),
        required=False,
        max_length=10,
        help_text=_("The year or period of the baseline: 2017, 2017Q4, 2017-12."),
    )
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=OrgUnit.objects.none(), required=False
    )
    supporting_units = forms.ModelMultipleChoiceField(
        label=_("Supporting units"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    frequency = forms.ChoiceField(label=_("Reporting frequency"), choices=Frequency.choices)
    aggregation = forms.ChoiceField(label=_("How unit values add up"), choices=Aggregation.choices)
    sentence = forms.CharField(
        label=_("Source sentence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Copied exactly from the node's text, so that it can be highlighted there."),
    )

    def __init__(self, *args, plan: Plan, node_text: str, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.node_text = node_text
        units = OrgUnit.objects.for_user(user, "view").filter(is_active=True)
        self.fields["lead_unit"].queryset = units
        self.fields["supporting_units"].queryset = units

    def clean_unit(self):
        written = self.cleaned_data["unit"].strip()
        unit = normalise_unit(written)
        if unit is None:
            raise forms.ValidationError(
                _("%(unit)s is not a known unit; choose one from the list.") % {"unit": written}
            )
        return unit

    def clean_deadline(self):
        raw = self.cleaned_data["deadline"]
        try:
            deadline = parse_deadline(raw)
        except ValueError:
            raise forms.ValidationError(
                _("%(value)s is not a year or a date; write 2020 or 2020-06-30.") % {"value": raw}
            ) from None
        if deadline.year < self.plan.period_start:
            raise forms.ValidationError(
                _("The deadline must not be before the plan starts (%(year)d).")
                % {"year": self.plan.period_start}
            )
        if deadline.year > 2100:
            raise forms.ValidationError(_("The deadline is too far away."))
        return deadline

    def clean_baseline_period(self):
        raw = self.cleaned_data["baseline_period"].strip()
        if not raw:
            return ""
        try:
            return parse_period(raw).code
        except PeriodError:
            raise forms.ValidationError(
                _("%(value)s is not a period; write 2017, 2017Q4 or 2017-12.") % {"value": raw}
            ) from None

    def clean_sentence(self):
        sentence = self.cleaned_data["sentence"].strip()
        if sentence and sentence not in self.node_text:
            raise forms.ValidationError(
                _("The sentence must be copied exactly from the node's text shown above.")
            )
        return sentence

    def clean(self):
        data = super().clean()
        low, high = data.get("target_min"), data.get("target_max")
        if low is not None and high is not None and high < low:
            self.add_error("target_max", _("The upper bound must not be below the target."))
        if data.get("kind") == IndicatorKind.CHANGE and data.get("unit") not in (None, "%"):
            self.add_error(
                "unit",
                _(
                    "A change is given in % (提高20% is 20 %). For a change in 个百分点, make it "
                    "a level: the value to reach, in %."
                ),
            )
        if (data.get("baseline_value") is None) != (not data.get("baseline_period")):
            has_value = data.get("baseline_value") is not None
            field = "baseline_period" if has_value else "baseline_value"
            if field not in self.errors:
                self.add_error(field, _("Give the baseline value and its period together."))
        lead, support = data.get("lead_unit"), data.get("supporting_units") or []
        if lead is not None and lead in support:
            self.add_error(
                "supporting_units",
                _("%(unit)s is the lead unit; it cannot support itself.") % {"unit": lead},
            )
        return data

    def values(self) -> dict:
        """What plans.services.update_indicator / create_indicator take."""
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in (
                "name",
                "unit",
                "target_min",
                "target_max",
                "comparator",
                "kind",
                "direction",
                "deadline",
                "baseline_value",
                "baseline_period",
                "lead_unit",
                "frequency",
                "aggregation",
                "sentence",
            )
        }
        if values["target_max"] is None:
            values["target_max"] = values["target_min"]
        return values


class AddIndicatorForm(IndicatorForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Unique in the plan: letters, digits, _ . -"),
    )

    field_order = ["code", "sentence"]

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", code):
            raise forms.ValidationError(_("Use letters, digits, _ . and - only."))
        if self.plan.indicators.filter(code=code).exists():
            raise forms.ValidationError(
                _("The plan already has an indicator %(code)s.") % {"code": code}
            )
        return code


def _plain(value):
    """1000.000000 -> "1000" (not 1E+3, as Decimal.normalize would show it)."""
    return None if value is None else format(value.normalize(), "f")


def initial_from(indicator) -> dict:
    """An indicator's values as the edit form shows them."""
    deadline = indicator.deadline
    return {
        "name": indicator.name,
        "unit": indicator.unit,
        "target_min": _plain(indicator.target_min),
        "target_max": _plain(indicator.target_max) if indicator.is_range else None,
        "comparator": indicator.comparator,
        "kind": indicator.kind,
        "direction": indicator.direction,
        "deadline": str(deadline.year)
        if (deadline.month, deadline.day) == (12, 31)
        else deadline.isoformat(),
        "baseline_value": _plain(indicator.baseline_value),
        "baseline_period": indicator.baseline_period,
        "lead_unit": indicator.lead_unit_id,
        "supporting_units": [u.pk for u in indicator.supporting_units.all()],
        "frequency": indicator.frequency,
        "aggregation": indicator.aggregation,
        "sentence": indicator.sentence,
    }


KNOWN_UNITS = sorted(UNITS)
