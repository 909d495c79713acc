"""Token forms for the console. The network fields use the seeds' five choices
and offer only active IP zones with POLICY usage (docs/decisions/03)."""

from django import forms

from api.fields import TextField
from tokens import network
from zones.models import NetworkZone, ZoneStatus


def eligible_zones():
    return NetworkZone.objects.token_eligible().filter(status=ZoneStatus.ACTIVE).order_by("name")


class NetworkFields(forms.Form):
    connection = forms.ChoiceField(
        label="API calls made with this token must originate from", choices=network.CHOICES, initial="ANYWHERE"
    )
    zones = forms.ModelMultipleChoiceField(
        label="Network zones", queryset=NetworkZone.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zones"].queryset = eligible_zones()

    def clean(self):
        cleaned = super().clean()
        choice, zones = cleaned.get("connection"), cleaned.get("zones") or []
        if choice in ("IN_ZONES", "NOT_IN_ZONES") and not zones:
            self.add_error("zones", "Pick at least one network zone.")
        elif choice:
            cleaned["network"] = network.from_choice(choice, [z.id for z in zones])
        return cleaned


class TokenCreateForm(NetworkFields):
    name = TextField(label="What do you want your token to be named?", max_length=255)
    field_order = ["name", "connection", "zones"]


class ShareForm(forms.Form):
    percent = forms.IntegerField(label="Percentage of each API's rate limit", min_value=1, max_value=100)
