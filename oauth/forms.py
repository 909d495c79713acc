"""Console forms for service apps; the views pass their cleaned values to oauth/services.py."""

from django import forms

from accounts.roles import RoleType
from oauth.scopes import SCOPES


class AppForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the integration is, e.g. “Nightly zone sync”.")
    require_dpop = forms.BooleanField(
        label="Require DPoP",
        required=False,
        help_text="Access tokens are bound to a key the client proves it holds on every call (RFC 9449).",
    )


class KeyForm(forms.Form):
    key = forms.CharField(
        label="Public key",
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        max_length=16_384,
        help_text="A JWK (JSON) or a PEM public key: RSA 2048 bits or more, or EC P-256. Never a private key.",
    )
    kid = forms.CharField(
        label="Key ID (kid)",
        max_length=100,
        required=False,
        help_text="Leave empty to use the JWK's kid or the key's thumbprint.",
    )


class ScopeForm(forms.Form):
    scope = forms.ChoiceField(choices=sorted((s, s) for s in SCOPES))


class RoleForm(forms.Form):
    role_type = forms.ChoiceField(label="Admin role", choices=RoleType.choices)


class KeyChoiceForm(forms.Form):
    key_id = forms.IntegerField(min_value=1)
