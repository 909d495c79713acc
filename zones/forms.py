"""One validation path for zones: the console form, the JSON body (api.py) and
the demo all go through `ZoneForm`, which checks what every zone has (name,
type, usage, status) and hands the rest to the zone's kind (zones/kinds.py).
List fields accept a JSON list (API) or text with one entry per line (console);
errors name the offending entry as sent."""

import copy

from django import forms

from api.fields import TextField
from zones.fields import PassThroughField
from zones.kinds import ALL_FIELDS, KINDS, ZoneValues
from zones.models import NetworkZone, ZoneStatus, ZoneType, ZoneUsage

COMMON_FIELDS = ["name", "type", "usage", "status"]


class ZoneForm(forms.Form):
    name = TextField(max_length=128)
    type = forms.ChoiceField(choices=ZoneType.choices, initial=ZoneType.IP)
    usage = forms.ChoiceField(choices=ZoneUsage.choices, required=False, initial=ZoneUsage.POLICY)
    status = forms.ChoiceField(choices=ZoneStatus.choices, required=False)

    def __init__(
        self,
        data=None,
        *,
        instance: NetworkZone | None = None,
        client_ip: str | None = None,
        json: bool = False,
        **kwargs,
    ):
        self.instance = instance
        self.client_ip = client_ip
        self.warnings: list[str] = []
        if instance is not None and data is None:
            kwargs.setdefault("initial", zone_initial(instance))
        super().__init__(data, **kwargs)
        for kind_field in ALL_FIELDS:  # every kind's fields; clean() keeps the zone's kind's
            self.fields[kind_field.wire] = copy.deepcopy(kind_field.form_field)
        if json:  # a JSON body must send lists where Okta has lists; text lines are the console's
            for field in self.fields.values():
                if isinstance(field, PassThroughField):
                    field.accepts_text = False
        if instance is not None:
            self.fields["type"].disabled = True  # PUT keeps the type (docs/okta-contract.md §3.5)
            self.fields["type"].initial = instance.type

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("A zone needs a name.")
        if self.instance is not None and self.instance.system and name != self.instance.name:
            raise forms.ValidationError("System zones keep their name.")
        others = NetworkZone.objects.filter(name__iexact=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(f"A zone named {name!r} already exists.")
        return name

    def clean(self):
        cleaned = super().clean()
        zone_type = self.instance.type if self.instance is not None else cleaned.get("type")
        sent_type = self.data.get("type")
        if self.instance is not None and sent_type not in (None, "", self.instance.type):
            self.add_error("type", f"A zone keeps its type: this one is {self.instance.type}, not {sent_type!r}.")
        cleaned["type"] = zone_type
        cleaned["usage"] = cleaned.get("usage") or ZoneUsage.POLICY
        if self.instance is not None and self.instance.system and cleaned["usage"] != self.instance.usage:
            self.add_error("usage", "System zones keep their usage.")
            cleaned["usage"] = self.instance.usage  # add_error dropped it; the kind's checks read it
        kind = KINDS.get(zone_type)
        if kind is not None:
            kind.clean(self, cleaned)
            for kind_field in ALL_FIELDS:
                if kind_field not in kind.fields:
                    cleaned[kind_field.wire] = None
        return cleaned

    def values(self) -> ZoneValues:
        """The validated zone, for zones.services (call after is_valid())."""
        cleaned = self.cleaned_data
        kind = KINDS[cleaned["type"]]
        return ZoneValues(
            name=cleaned["name"],
            type=kind.type,
            usage=cleaned["usage"],
            status=cleaned.get("status") or None,
            attributes={f.attribute: cleaned.get(f.wire) for f in kind.fields},
            warnings=tuple(self.warnings),
        )

    def fieldsets(self, kinds) -> list[tuple]:
        """(kind, its bound fields) for each of `kinds`: the console form's fieldsets."""
        return [(kind, [self[f.wire] for f in kind.fields]) for kind in kinds]


def zone_initial(zone: NetworkZone) -> dict:
    initial = {"name": zone.name, "type": zone.type, "usage": zone.usage, "status": zone.status}
    initial.update({f.wire: getattr(zone, f.attribute) for f in ALL_FIELDS})
    return initial


API_FIELDS = COMMON_FIELDS + [f.wire for f in ALL_FIELDS]


class InvalidZone(ValueError):
    """A zone body that validation refused; `form` holds the errors by field."""

    def __init__(self, form: ZoneForm):
        super().__init__(form.errors.as_text())
        self.form = form


def form_data_from_body(body: dict) -> dict:
    """An Okta JSON body as form data: known keys only (read-only ones such as id, system,
    _links are ignored), values kept as sent so the form sees lists and nulls."""
    return {name: body[name] for name in API_FIELDS if name in body}


def values_from_body(body: dict, *, instance: NetworkZone | None = None, client_ip: str | None = None) -> ZoneValues:
    """An Okta JSON zone body validated as the API validates it; raises InvalidZone."""
    form = ZoneForm(form_data_from_body(body), instance=instance, client_ip=client_ip, json=True)
    if not form.is_valid():
        raise InvalidZone(form)
    return form.values()
