"""Token forms for the console. The network fields use the seeds' five choices
and offer only active IP zones with POLICY usage (docs/decisions/03)."""

from django import forms

from api.fields import TextField
from tokens import network
from zones.models import NetworkZone, ZoneStatus

ZONE_CHOICES = ("IN_ZONES", "NOT_IN_ZONES")


def eligible_zones():
    return NetworkZone.objects.token_eligible().filter(status=ZoneStatus.ACTIVE).order_by("name")


class NetworkFields(forms.Form):
    connection = forms.ChoiceField(
        label="API calls made with this token must originate from", choices=network.CHOICES, initial="ANYWHERE"
    )
    zones = forms.ModelMultipleChoiceField(
        label="Network zones",
        queryset=NetworkZone.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Active IP zones with Policy usage. Type part of a name, then choose the zone.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zones"].queryset = eligible_zones()

    @property
    def zone_choice_shown(self) -> bool:
        """Whether the zone picker belongs on screen: only the two "following zones" choices use it."""
        return self["connection"].value() in ZONE_CHOICES

    def clean(self):
        cleaned = super().clean()
        choice, zones = cleaned.get("connection"), cleaned.get("zones") or []
        if choice in ZONE_CHOICES and not zones:
            self.add_error("zones", "Pick at least one network zone.")
        elif choice:
            cleaned["network"] = network.from_choice(choice, [z.id for z in zones])
        return cleaned


class TokenCreateForm(NetworkFields):
    name = TextField(
        label="What do you want your token to be named?",
        max_length=255,
        help_text="Up to 255 characters, such as the integration that will use it.",
        error_messages={"max_length": "Use at most %(limit_value)d characters (this name has %(show_value)d)."},
    )
    field_order = ["name", "connection", "zones"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No maxlength attribute: the browser would cut a pasted long name silently; the error says so instead.
        self.fields["name"].widget.attrs.pop("maxlength", None)


class ShareForm(forms.Form):
    percent = forms.IntegerField(label="Percentage of each API's rate limit", min_value=1, max_value=100)


class RotateForm(forms.Form):
    grace = forms.ChoiceField(
        label="Keep the current value working for",
        choices=[("none", "No grace: refuse it at once"), ("1h", "1 hour"), ("24h", "24 hours"), ("7d", "7 days")],
        initial="24h",
        widget=forms.RadioSelect,
        help_text="Long enough for every deployment that uses the token to switch to the new value.",
    )
