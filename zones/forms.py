"""One validation path for zones: the console form and the JSON body (api.py)
both go through `ZoneForm`. List fields accept a JSON list (API) or text with
one entry per line (console); errors name the offending entry as sent."""

import re

from django import forms

from api.fields import TextField
from zones.entries import (
    MAX_BLOCKLIST_ENTRIES,
    MAX_POLICY_ENTRIES,
    MAX_SYSTEM_POLICY_ENTRIES,
    check_list,
    contains,
    parse_address,
)
from zones.models import NetworkZone, ZoneStatus, ZoneType, ZoneUsage

PROXY_TYPES = ["", "null", "Any", "Tor", "TorAnonymizer", "NotTorAnonymizer"]
COUNTRY = re.compile(r"^[A-Z]{2}$")
REGION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
ASN = re.compile(r"^[0-9]{1,10}$")
CATEGORY = re.compile(r"^[A-Z][A-Z0-9_]{1,63}$")
V2_MAX_ITEMS = 75


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
    """Keeps whatever JSON value was sent (lists, objects, null); the form checks its shape.
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


class ZoneForm(forms.Form):
    name = TextField(max_length=128)
    type = forms.ChoiceField(choices=ZoneType.choices, initial=ZoneType.IP)
    usage = forms.ChoiceField(choices=ZoneUsage.choices, required=False, initial=ZoneUsage.POLICY)
    status = forms.ChoiceField(choices=ZoneStatus.choices, required=False)
    gateways = EntryListField(
        required=False,
        help_text="One entry per line: a CIDR block (192.0.2.0/24, 2001:db8::/48), "
        "a range (192.0.2.10-192.0.2.20) or one address.",
    )
    proxies = EntryListField(
        required=False,
        help_text="Proxies whose X-Forwarded-For header is believed. Each at most a /16 (IPv4) or /48 (IPv6).",
    )
    locations = LocationsField(required=False, help_text="One country (US) or region (US-CA) per line.")
    asns = AsnsField(required=False, label="ASNs", help_text="Autonomous system numbers, comma separated.")
    proxyType = PassThroughField(
        label="Anonymizer proxies",
        required=False,
        widget=forms.Select(choices=[("", "No condition"), ("Any", "Any proxy"), ("TorAnonymizer", "Tor anonymizer"),
                                     ("NotTorAnonymizer", "Anonymizers other than Tor")]),
    )  # fmt: skip
    ipServiceCategories = PassThroughField(required=False)

    def __init__(
        self, data=None, *, instance: NetworkZone | None = None, client_ip: str | None = None, json: bool = False,
        **kwargs,
    ):  # fmt: skip
        self.instance = instance
        self.client_ip = client_ip
        self.warnings: list[str] = []
        if instance is not None and data is None:
            kwargs.setdefault("initial", zone_initial(instance))
        super().__init__(data, **kwargs)
        if json:  # a JSON body must send lists where Okta has lists; text lines are the console's
            for field in self.fields.values():
                if isinstance(field, PassThroughField):
                    field.accepts_text = False
        if instance is not None:
            self.fields["type"].disabled = True  # PUT keeps the type (CONTRACT.md §3.5)
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
            cleaned["usage"] = self.instance.usage  # add_error dropped it; the checks below read it
        if zone_type == ZoneType.IP:
            self._clean_ip(cleaned)
        elif zone_type == ZoneType.DYNAMIC:
            self._clean_dynamic(cleaned)
        elif zone_type == ZoneType.DYNAMIC_V2:
            self._clean_dynamic_v2(cleaned)
        return cleaned

    def _clean_ip(self, cleaned) -> None:
        blocklist = cleaned["usage"] == ZoneUsage.BLOCKLIST
        system = self.instance is not None and self.instance.system
        cap = MAX_BLOCKLIST_ENTRIES if blocklist else (MAX_SYSTEM_POLICY_ENTRIES if system else MAX_POLICY_ENTRIES)
        sent_gateways, sent_proxies = cleaned.get("gateways"), cleaned.get("proxies")  # add_error drops them
        gateways = check_list(sent_gateways, label="gateways", max_entries=cap)
        proxies = check_list(sent_proxies, label="proxies", max_entries=MAX_POLICY_ENTRIES, proxy=True)
        for message in gateways.errors:
            self.add_error("gateways", message)
        for message in proxies.errors:
            self.add_error("proxies", message)
        if blocklist and sent_proxies:
            self.add_error("proxies", "A blocklist zone cannot have proxies.")
        if self.instance is None and not sent_gateways and not sent_proxies:
            self.add_error("gateways", "An IP zone needs at least one gateway or proxy.")
        self._refuse_self_lockout(cleaned, gateways)
        self.warnings = gateways.warnings + proxies.warnings
        cleaned["gateways"] = gateways.entries or None
        cleaned["proxies"] = proxies.entries or None
        for name in ("locations", "asns", "proxyType", "ipServiceCategories"):
            cleaned[name] = None

    def _refuse_self_lockout(self, cleaned, gateways) -> None:
        """Decision 16: an active blocklist may not contain the address of the admin saving it."""
        status = cleaned.get("status") or (self.instance.status if self.instance is not None else ZoneStatus.ACTIVE)
        if cleaned["usage"] != ZoneUsage.BLOCKLIST or status != ZoneStatus.ACTIVE or not self.client_ip:
            return
        try:
            own = parse_address(self.client_ip)
        except ValueError:
            return
        for entry, interval in zip(gateways.entries, gateways.intervals, strict=True):
            if contains([interval], own):
                self.add_error(
                    "gateways",
                    f"{entry['value']!r} contains your own IP address {self.client_ip}; blocking it would lock you out",
                )

    def _clean_dynamic(self, cleaned) -> None:
        locations, asns, proxy_type = cleaned.get("locations"), cleaned.get("asns"), cleaned.get("proxyType")
        if proxy_type is not None and proxy_type not in PROXY_TYPES:
            self.add_error("proxyType", f"{proxy_type!r} is not one of Any, TorAnonymizer, NotTorAnonymizer")
        self._check_locations("locations", locations)
        self._check_asns("asns", asns)
        if self.instance is None and not (locations or asns or proxy_type):
            self.add_error("locations", "A dynamic zone needs locations, ASNs or a proxy type.")
        cleaned.update(gateways=None, proxies=None, ipServiceCategories=None, proxyType=proxy_type)

    def _clean_dynamic_v2(self, cleaned) -> None:
        for name in ("locations", "asns", "ipServiceCategories"):
            value = cleaned.get(name)
            if value is None:
                cleaned[name] = {"include": [], "exclude": []}
                continue
            if not isinstance(value, dict) or set(value) - {"include", "exclude"}:
                self.add_error(name, "must be an object with include and exclude lists")
                continue
            value = {"include": value.get("include") or [], "exclude": value.get("exclude") or []}
            for part in ("include", "exclude"):
                items = value[part]
                if not isinstance(items, list) or len(items) > V2_MAX_ITEMS:
                    self.add_error(name, f"{part} must be a list of at most {V2_MAX_ITEMS} items")
                    continue
                if name == "locations":
                    self._check_locations(name, items)
                elif name == "asns":
                    self._check_asns(name, items)
                else:
                    for item in items:
                        if not isinstance(item, str) or not CATEGORY.match(item):
                            self.add_error(name, f"{item!r} is not an IP service category")
            cleaned[name] = value
        sent = [cleaned[n] for n in ("locations", "asns", "ipServiceCategories") if n in cleaned]  # add_error drops
        if self.instance is None and not any(value["include"] or value["exclude"] for value in sent):
            self.add_error("locations", "An enhanced dynamic zone needs locations, ASNs or IP service categories.")
        cleaned.update(gateways=None, proxies=None, proxyType=None)

    def _check_locations(self, name, locations) -> None:
        if locations is None:
            return
        if not isinstance(locations, list):
            self.add_error(name, "must be a list of {country, region} objects")
            return
        for item in locations:
            country = item.get("country") if isinstance(item, dict) else None
            region = item.get("region") if isinstance(item, dict) else None
            if not isinstance(country, str) or not COUNTRY.match(country):
                self.add_error(name, f"{item!r}: country must be two capital letters such as US")
            elif region is not None and (
                not isinstance(region, str) or not REGION.match(region) or not region.startswith(country + "-")
            ):
                self.add_error(name, f"{region!r} is not a region of {country} such as {country}-CA")

    def _check_asns(self, name, asns) -> None:
        if asns is None:
            return
        if not isinstance(asns, list):
            self.add_error(name, "must be a list of numbers as strings")
            return
        for asn in asns:
            if not isinstance(asn, str) or not ASN.match(asn):
                self.add_error(name, f"{asn!r} is not an AS number")


def zone_initial(zone: NetworkZone) -> dict:
    return {
        "name": zone.name,
        "type": zone.type,
        "usage": zone.usage,
        "status": zone.status,
        "gateways": zone.gateways,
        "proxies": zone.proxies,
        "locations": zone.locations,
        "asns": zone.asns,
        "proxyType": zone.proxy_type,
        "ipServiceCategories": zone.ip_service_categories,
    }


API_FIELDS = ["name", "type", "usage", "status", "gateways", "proxies", "locations", "asns", "proxyType",
              "ipServiceCategories"]  # fmt: skip


def form_data_from_body(body: dict) -> dict:
    """An Okta JSON body as form data: known keys only (read-only ones such as id, system,
    _links are ignored), values kept as sent so the form sees lists and nulls."""
    return {name: body[name] for name in API_FIELDS if name in body}
