from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.notifications.models import ROBOT_KINDS
from ducha.orgunits.models import OrgUnit


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("By e-mail"), required=False)
    sms = forms.BooleanField(label=_("By SMS"), required=False)


class RobotForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k.value, k.label) for k in ROBOT_KINDS])
    org_unit = forms.ModelChoiceField(
        label=_("Group of"),
        queryset=OrgUnit.objects.filter(is_active=True),
        required=False,
        empty_label=_("the office itself"),
    )
    webhook_url = forms.URLField(
        label=_("Webhook address"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("As the group's robot settings show it. Leave empty to keep the current one."),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "DingTalk 加签 and Feishu 签名校验 (WeCom has none). Leave empty to keep the current "
            "one."
        ),
    )
    enabled = forms.BooleanField(label=_("In use"), required=False, initial=True)
