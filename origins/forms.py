"""One validation path for trusted origins: the console form and the JSON
body (api.py) both go through `TrustedOriginForm`. The console sends the
three type checkboxes; a JSON body sends `scopes`, which `form_data_from_body`
passes through for the form to check."""

from django import forms
from django.core.exceptions import ValidationError

from api.fields import TextField
from origins.models import SCOPE_ORDER, OriginStatus, ScopeType, TrustedOrigin
from origins.parsing import MAX_LENGTH, normalise

OKTA_APPS = {"OKTA_ENDUSER"}


class PassThroughField(forms.Field):
    """Keeps the JSON value as sent; the form checks its shape."""

    def to_python(self, value):
        return value


def _scope_list(value) -> list[dict]:
    """JSON `scopes` -> the stored list (SCOPE_ORDER, allowedOktaApps only where sent)."""
    if not isinstance(value, list):
        raise ValidationError('must be a list of scope objects, e.g. [{"type": "CORS"}]')
    found: dict[str, dict] = {}
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            raise ValidationError("each scope must be an object with a type")
        scope_type = item["type"]
        if scope_type not in ScopeType.values:
            raise ValidationError(f"'{scope_type}' is not a scope type: use CORS, REDIRECT or IFRAME_EMBED")
        if scope_type in found:
            raise ValidationError(f"the scope {scope_type} is listed twice")
        unknown = set(item) - {"type", "allowedOktaApps"}
        if unknown:
            raise ValidationError(f"unknown scope field {sorted(unknown)[0]!r}")
        scope = {"type": scope_type}
        apps = item.get("allowedOktaApps")
        if apps is not None:
            if scope_type != ScopeType.IFRAME_EMBED:
                raise ValidationError("allowedOktaApps is only for IFRAME_EMBED scopes")
            if not isinstance(apps, list) or any(app not in OKTA_APPS for app in apps):
                raise ValidationError("allowedOktaApps may only contain OKTA_ENDUSER")
            scope["allowedOktaApps"] = sorted(set(apps))
        found[scope_type] = scope
    return [found[t] for t in SCOPE_ORDER if t in found]


class TrustedOriginForm(forms.Form):
    name = TextField(max_length=255, label="Name")
    origin = forms.CharField(
        max_length=MAX_LENGTH,
        strip=False,
        label="Origin URL",
        help_text="Scheme, host and port only, e.g. https://app.example.com or http://localhost:3000.",
        widget=forms.TextInput(
            attrs={"placeholder": "https://app.example.com", "spellcheck": "false", "autocomplete": "off"}
        ),
    )
    cors = forms.BooleanField(
        required=False,
        label="CORS",
        help_text="Browser pages on this origin may call the API with the signed-in session.",
    )
    redirect = forms.BooleanField(
        required=False, label="Redirect", help_text="Sign-in and sign-out may send people back to this origin."
    )
    iframe = forms.BooleanField(
        required=False, label="iFrame embed", help_text="Pages on this origin may show the sign-in page in a frame."
    )
    # JSON bodies only
    scopes = PassThroughField(required=False)
    status = forms.ChoiceField(choices=OriginStatus.choices, required=False)

    def __init__(self, data=None, *, instance: TrustedOrigin | None = None, json: bool = False, **kwargs):
        self.instance, self.json = instance, json
        if instance is not None and data is None:
            kwargs.setdefault(
                "initial",
                {
                    "name": instance.name,
                    "origin": instance.origin,
                    "cors": instance.has_scope("CORS"),
                    "redirect": instance.has_scope("REDIRECT"),
                    "iframe": instance.has_scope("IFRAME_EMBED"),
                },
            )
        super().__init__(data, **kwargs)
        if json:
            for name in ("cors", "redirect", "iframe"):
                del self.fields[name]
        else:
            for name in ("scopes", "status"):
                del self.fields[name]

    def _others(self):
        others = TrustedOrigin.objects.all()
        return others.exclude(pk=self.instance.pk) if self.instance is not None else others

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("Enter a name.")
        if self._others().filter(name__iexact=name).exists():
            raise ValidationError(f"A trusted origin named '{name}' already exists.")
        return name

    def clean_origin(self):
        value = self.cleaned_data["origin"]
        key = normalise(value)
        clash = self._others().filter(origin_key=key).first()
        if clash is not None:
            raise ValidationError(f"{key} is already a trusted origin ('{clash.name}', entered as {clash.origin}).")
        self.origin_key = key
        return value

    def clean_scopes(self):
        value = self.cleaned_data.get("scopes")
        if value is None:
            raise ValidationError("This field is required.")
        return _scope_list(value)

    def clean(self):
        data = super().clean()
        if not self.json:
            data["scopes"] = self._scopes_from_checkboxes(data)
        elif "scopes" not in data:
            return data
        if not data.get("scopes") and "scopes" not in self.errors:
            message = "Select at least one type: CORS, Redirect or iFrame embed."
            self.add_error(None if not self.json else "scopes", message)
        if data.get("origin") is not None:
            data["origin_key"] = self.origin_key
        return data

    def _scopes_from_checkboxes(self, data) -> list[dict]:
        kept = {scope["type"]: scope for scope in (self.instance.scopes if self.instance else ()) or ()}
        scopes = []
        for field, scope_type in (("cors", "CORS"), ("redirect", "REDIRECT"), ("iframe", "IFRAME_EMBED")):
            if data.get(field):
                scopes.append(dict(kept.get(scope_type, {"type": scope_type})))  # keeps allowedOktaApps
        return scopes


def form_data_from_body(body: dict) -> dict:
    """A JSON body -> form data. Read-only fields (id, created, _links...) are ignored, as Okta does."""
    return {key: body[key] for key in ("name", "origin", "scopes", "status") if key in body}
