"""Form fields for text that arrives in JSON bodies as well as console forms."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError

# Bidirectional overrides, isolates and marks can make a name display as something else;
# zero-width spaces and joiners-that-are-not make two names that look alike differ.
BIDI_CONTROLS = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]}
ZERO_WIDTH = {"\u200b", "\u2060", "\ufeff"}
# Not refused: ZWNJ and ZWJ (U+200C, U+200D), which Persian, Indic scripts and emoji need in real names.


def no_control_characters(value: str) -> None:
    """The one check for every name a person reads: tokens, zones, origins and people (issue 16.8)."""
    for char in value:
        if char in BIDI_CONTROLS or char in ZERO_WIDTH or unicodedata.category(char) in ("Cc", "Cs", "Co"):
            raise ValidationError(
                "must not contain control characters (found U+%(code)04X)",
                code="control_character",
                params={"code": ord(char)},
            )


class TextField(forms.CharField):
    """A CharField that refuses what Django would silently coerce: a JSON number,
    list or object sent where a string belongs becomes an error, not "12" or
    "['a']". Control and bidi-override characters are refused too."""

    default_validators = [no_control_characters]

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, str):
            raise ValidationError("must be a string", code="type")
        return super().to_python(value)
