from django import forms
from django.contrib.auth.password_validation import validate_password

from accounts.models import User
from accounts.roles import RoleType
from api.fields import no_control_characters


class SignInForm(forms.Form):
    username = forms.CharField(label="Username", max_length=100)
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput)


class PersonForm(forms.ModelForm):
    password = forms.CharField(
        label="Password",
        required=False,
        strip=False,
        widget=forms.PasswordInput,
        help_text="Leave empty for a service account that never signs in.",
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "login", "is_service_account"]
        labels = {"login": "Username (email)", "is_service_account": "Service account"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "login"):
            self.fields[name].validators.append(no_control_characters)

    def clean_login(self) -> str:
        login = self.cleaned_data["login"].strip().lower()
        if User.objects.filter(login__iexact=login).exists():
            raise forms.ValidationError("A user with this username already exists.")
        return login

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            candidate = User(
                login=cleaned.get("login", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        elif not cleaned.get("is_service_account"):
            self.add_error("password", "People who sign in need a password.")
        return cleaned


class RoleForm(forms.Form):
    role_type = forms.ChoiceField(label="Admin role", choices=RoleType.choices)
