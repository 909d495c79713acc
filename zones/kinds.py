"""Zone kinds: IP, DYNAMIC and DYNAMIC_V2 (docs/okta-contract.md §3), one object each.

A kind owns everything that differs between zone types: the NetworkZone
columns it uses (with their wire names and form fields), its validation, its
part of the Okta body, and how the console shows it (its template fragment in
templates/zones/kinds/). Everything else in zones/ asks a zone's kind
(`zone.kind`, `KINDS[type]`) rather than testing the type, so a new kind is
one class registered in KINDS plus its fragment (and, if it needs a column the
others lack, that column and its migration)."""

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django import forms

from zones.choices import ZoneStatus, ZoneUsage
from zones.entries import (
    MAX_BLOCKLIST_ENTRIES,
    MAX_POLICY_ENTRIES,
    MAX_SYSTEM_POLICY_ENTRIES,
    check_list,
    contains,
    parse_address,
)
from zones.fields import AsnsField, EntryListField, LocationsField, PassThroughField

PROXY_TYPES = ["", "null", "Any", "Tor", "TorAnonymizer", "NotTorAnonymizer"]
COUNTRY = re.compile(r"^[A-Z]{2}$")
REGION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
ASN = re.compile(r"^[0-9]{1,10}$")
CATEGORY = re.compile(r"^[A-Z][A-Z0-9_]{1,63}$")
V2_MAX_ITEMS = 75


@dataclass(frozen=True)
class KindField:
    """One subtype value: its name on the wire and in forms, its NetworkZone column, its form field."""

    wire: str
    attribute: str
    form_field: forms.Field = field(compare=False)


GATEWAYS = KindField(
    "gateways",
    "gateways",
    EntryListField(
        required=False,
        help_text="One entry per line: a CIDR block (192.0.2.0/24, 2001:db8::/48), "
        "a range (192.0.2.10-192.0.2.20) or one address.",
    ),
)
PROXIES = KindField(
    "proxies",
    "proxies",
    EntryListField(
        required=False,
        help_text="Proxies whose X-Forwarded-For header is believed. Each at most a /16 (IPv4) or /48 (IPv6).",
    ),
)
LOCATIONS = KindField(
    "locations", "locations", LocationsField(required=False, help_text="One country (US) or region (US-CA) per line.")
)
ASNS = KindField(
    "asns", "asns", AsnsField(required=False, label="ASNs", help_text="Autonomous system numbers, comma separated.")
)
PROXY_TYPE = KindField(
    "proxyType",
    "proxy_type",
    PassThroughField(
        label="Anonymizer proxies",
        required=False,
        widget=forms.Select(
            choices=[
                ("", "No condition"),
                ("Any", "Any proxy"),
                ("TorAnonymizer", "Tor anonymizer"),
                ("NotTorAnonymizer", "Anonymizers other than Tor"),
            ]
        ),
    ),
)
IP_SERVICE_CATEGORIES = KindField("ipServiceCategories", "ip_service_categories", PassThroughField(required=False))


@dataclass(frozen=True)
class ZoneValues:
    """A zone as validated (by zones.forms.ZoneForm): what the services store.
    `attributes` holds the kind's columns; `status` is None when not given."""

    name: str
    type: str
    usage: str
    status: str | None
    attributes: dict
    warnings: tuple[str, ...] = ()


class ZoneKind(ABC):
    type: str
    label: str  # the console's name for the type
    fields: tuple[KindField, ...]
    entries_template: str  # its fragment (templates/zones/kinds/): the zone list's Entries cell
    has_addresses = False  # gateways that requests are matched against (tokens, blocklists, the index)
    in_console = True  # created and edited in the console (else through the API only)

    @property
    def slug(self) -> str:
        return self.type.lower().replace("_", "-")

    @abstractmethod
    def clean(self, form, cleaned: dict) -> None:
        """Check `cleaned` (wire names) for this kind, report through `form.add_error`,
        and leave the values as they will be stored."""

    @abstractmethod
    def wire_body(self, zone) -> dict:
        """This kind's fields of `zone`'s Okta body, in Okta's order."""


class IpKind(ZoneKind):
    type = "IP"
    label = "IP"
    fields = (GATEWAYS, PROXIES)
    entries_template = "zones/kinds/ip.html"
    has_addresses = True

    def clean(self, form, cleaned: dict) -> None:
        blocklist = cleaned["usage"] == ZoneUsage.BLOCKLIST
        system = form.instance is not None and form.instance.system
        cap = MAX_BLOCKLIST_ENTRIES if blocklist else (MAX_SYSTEM_POLICY_ENTRIES if system else MAX_POLICY_ENTRIES)
        sent_gateways, sent_proxies = cleaned.get("gateways"), cleaned.get("proxies")  # add_error drops them
        gateways = check_list(sent_gateways, label="gateways", max_entries=cap)
        proxies = check_list(sent_proxies, label="proxies", max_entries=MAX_POLICY_ENTRIES, proxy=True)
        for message in gateways.errors:
            form.add_error("gateways", message)
        for message in proxies.errors:
            form.add_error("proxies", message)
        if blocklist and sent_proxies:
            form.add_error("proxies", "A blocklist zone cannot have proxies.")
        if form.instance is None and not sent_gateways and not sent_proxies:
            form.add_error("gateways", "An IP zone needs at least one gateway or proxy.")
        self._refuse_self_lockout(form, cleaned, gateways)
        form.warnings = gateways.warnings + proxies.warnings
        cleaned["gateways"] = gateways.entries or None
        cleaned["proxies"] = proxies.entries or None

    @staticmethod
    def _refuse_self_lockout(form, cleaned, gateways) -> None:
        """docs/decisions/16: an active blocklist may not contain the address of the admin saving it."""
        status = cleaned.get("status") or (form.instance.status if form.instance is not None else ZoneStatus.ACTIVE)
        if cleaned["usage"] != ZoneUsage.BLOCKLIST or status != ZoneStatus.ACTIVE or not form.client_ip:
            return
        try:
            own = parse_address(form.client_ip)
        except ValueError:
            return
        for entry, interval in zip(gateways.entries, gateways.intervals, strict=True):
            if contains([interval], own):
                form.add_error(
                    "gateways",
                    f"{entry['value']!r} contains your own IP address {form.client_ip}; blocking it would lock you out",
                )

    def wire_body(self, zone) -> dict:
        return {"gateways": zone.gateways or None, "proxies": zone.proxies or None}


class DynamicKind(ZoneKind):
    type = "DYNAMIC"
    label = "Dynamic"
    fields = (LOCATIONS, ASNS, PROXY_TYPE)
    entries_template = "zones/kinds/dynamic.html"

    def clean(self, form, cleaned: dict) -> None:
        locations, asns, proxy_type = cleaned.get("locations"), cleaned.get("asns"), cleaned.get("proxyType")
        if proxy_type is not None and proxy_type not in PROXY_TYPES:
            form.add_error("proxyType", f"{proxy_type!r} is not one of Any, TorAnonymizer, NotTorAnonymizer")
        _check_locations(form, "locations", locations)
        _check_asns(form, "asns", asns)
        if form.instance is None and not (locations or asns or proxy_type):
            form.add_error("locations", "A dynamic zone needs locations, ASNs or a proxy type.")
        cleaned["proxyType"] = proxy_type  # add_error dropped it

    def wire_body(self, zone) -> dict:
        body = {"locations": zone.locations or None, "proxyType": zone.proxy_type}
        if zone.asns is not None:  # omitted when unset, as real Okta does
            body["asns"] = zone.asns
        return body


class EnhancedDynamicKind(ZoneKind):
    """DYNAMIC_V2: each field is `{include: [...], exclude: [...]}`."""

    type = "DYNAMIC_V2"
    label = "Enhanced dynamic"
    fields = (LOCATIONS, IP_SERVICE_CATEGORIES, ASNS)
    entries_template = "zones/kinds/dynamic.html"
    in_console = False

    def clean(self, form, cleaned: dict) -> None:
        for name in ("locations", "asns", "ipServiceCategories"):
            value = cleaned.get(name)
            if value is None:
                cleaned[name] = {"include": [], "exclude": []}
                continue
            if not isinstance(value, dict) or set(value) - {"include", "exclude"}:
                form.add_error(name, "must be an object with include and exclude lists")
                continue
            value = {"include": value.get("include") or [], "exclude": value.get("exclude") or []}
            for part in ("include", "exclude"):
                items = value[part]
                if not isinstance(items, list) or len(items) > V2_MAX_ITEMS:
                    form.add_error(name, f"{part} must be a list of at most {V2_MAX_ITEMS} items")
                    continue
                if name == "locations":
                    _check_locations(form, name, items)
                elif name == "asns":
                    _check_asns(form, name, items)
                else:
                    for item in items:
                        if not isinstance(item, str) or not CATEGORY.match(item):
                            form.add_error(name, f"{item!r} is not an IP service category")
            cleaned[name] = value
        sent = [cleaned[n] for n in ("locations", "asns", "ipServiceCategories") if n in cleaned]  # add_error drops
        if form.instance is None and not any(value["include"] or value["exclude"] for value in sent):
            form.add_error("locations", "An enhanced dynamic zone needs locations, ASNs or IP service categories.")

    def wire_body(self, zone) -> dict:
        empty = {"include": [], "exclude": []}
        return {
            "locations": zone.locations or empty,
            "ipServiceCategories": zone.ip_service_categories or empty,
            "asns": zone.asns or empty,
        }


def _check_locations(form, name, locations) -> None:
    if locations is None:
        return
    if not isinstance(locations, list):
        form.add_error(name, "must be a list of {country, region} objects")
        return
    for item in locations:
        country = item.get("country") if isinstance(item, dict) else None
        region = item.get("region") if isinstance(item, dict) else None
        if not isinstance(country, str) or not COUNTRY.match(country):
            shown = country if isinstance(country, str) else item  # the value the admin typed, not a Python dict
            form.add_error(name, f"{shown!r} is not a country code: use two capital letters such as US")
        elif region is not None and (
            not isinstance(region, str) or not REGION.match(region) or not region.startswith(country + "-")
        ):
            form.add_error(name, f"{region!r} is not a region of {country} such as {country}-CA")


def _check_asns(form, name, asns) -> None:
    if asns is None:
        return
    if not isinstance(asns, list):
        form.add_error(name, "must be a list of numbers as strings")
        return
    for asn in asns:
        if not isinstance(asn, str) or not ASN.match(asn):
            form.add_error(name, f"{asn!r} is not an AS number")


KINDS: dict[str, ZoneKind] = {kind.type: kind for kind in (IpKind(), DynamicKind(), EnhancedDynamicKind())}

# Every kind's fields once, in registry order: the form's fields, the body keys read and the columns compared.
ALL_FIELDS: tuple[KindField, ...] = tuple(dict.fromkeys(f for kind in KINDS.values() for f in kind.fields))
ADDRESS_TYPES: tuple[str, ...] = tuple(kind.type for kind in KINDS.values() if kind.has_addresses)
