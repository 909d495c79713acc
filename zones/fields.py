"""Form fields for a zone's subtype values. A JSON body sends Okta's lists and
objects as they are; the console sends text, one entry per line, which these
fields turn into the same lists (and back, to show a saved zone)."""

import re

from django import forms


def entry_lines(text: str) -> list[dict]:
    """Console text -> entries: a line with "/" is a CIDR, anything else a RANGE (`a` or `a-b`)."""
    entries = []
    for line in re.split(r"[\n,]", text):
        line = line.strip()
        if line:
            entries.append({"type": "CIDR" if "/" in line else "RANGE", "value": line})
    return entries


def entries_text(entries) -> str:
    return "\n".join(e.get("value", "") for e in entries or () if isinstance(e, dict))


class PassThroughField(forms.Field):
    """Keeps whatever JSON value was sent (lists, objects, null); the zone's kind checks its shape.
    Subclasses also read the console's text when `accepts_text` (off for JSON bodies)."""

    accepts_text = True

    def to_python(self, value):
        return None if value in ("", []) else value


class EntryListField(PassThroughField):
    widget = forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str) and self.accepts_text:
            value = entry_lines(value)
        return None if value in ("", [], None) else value

    def prepare_value(self, value):
        return entries_text(value) if isinstance(value, list) else value


class LocationsField(PassThroughField):
    """DYNAMIC locations; in the console one `US` or `US-CA` per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        if isinstance(value, str) and self.accepts_text:
            value = [
                {"country": line.split("-")[0].upper(), "region": line.upper() if "-" in line else None}
                for line in (part.strip() for part in re.split(r"[\n,]", value))
                if line
            ]
        return None if value in ("", [], None) else value

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                (item.get("region") or item.get("country") or "") for item in value if isinstance(item, dict)
            )
        return value


class AsnsField(PassThroughField):
    widget = forms.TextInput()

    def to_python(self, value):
        if isinstance(value, str) and self.accepts_text:
            value = [part.strip() for part in re.split(r"[\s,]+", value) if part.strip()]
        return None if value in ("", [], None) else value

    def prepare_value(self, value):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else value
