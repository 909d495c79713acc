"""Tokens that need attention (docs/decisions/33): each reason is a filter the database can count and a test
the list can show per token, with the page where it is fixed."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleAssignment
from accounts.roles import RoleType
from tokens.models import ApiToken, Connection

UNUSED = timedelta(days=14)
ROTATE_EVERY = timedelta(days=90)


@dataclass(frozen=True)
class Reason:
    key: str
    text: str
    fix: str  # what the link says
    url: str


def annotate(tokens: QuerySet) -> QuerySet:
    """What the reasons need beyond the token's row: whether its owner is a super admin, how many active
    tokens the owner holds, and when its current value was issued."""
    owner_tokens = (
        ApiToken.objects.active()
        .filter(owner=OuterRef("owner_id"))
        .order_by()
        .values("owner")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return tokens.annotate(
        owner_is_super=Exists(RoleAssignment.objects.filter(user=OuterRef("owner_id"), role_type=RoleType.SUPER_ADMIN)),
        owner_token_count=Coalesce(Subquery(owner_tokens), 0),
        value_issued=Coalesce("rotated_at", "created"),
    )


def attach(tokens: list) -> list:
    """annotate()'s figures for a page of tokens, in one query over their ids: computed for these rows only, not
    for every token the list's query sorts (10,000 correlated subqueries before the LIMIT)."""
    figures = {
        row["pk"]: row
        for row in annotate(ApiToken.objects.filter(pk__in=[t.pk for t in tokens])).values(
            "pk", "owner_is_super", "owner_token_count", "value_issued"
        )
    }
    for token in tokens:
        row = figures.get(token.pk)
        if row is not None:
            token.owner_is_super, token.owner_token_count = row["owner_is_super"], row["owner_token_count"]
            token.value_issued = row["value_issued"]
    return tokens


def needs_attention(now=None) -> Q:
    """Any reason at all, as a filter on any token queryset. The owner-level reasons are uncorrelated subqueries
    (computed once per query, not once per token), so counting 10,000 tokens stays cheap."""
    now = now or timezone.now()
    unused_since = now - UNUSED
    supers = RoleAssignment.objects.filter(role_type=RoleType.SUPER_ADMIN).values("user_id")
    crowded = (
        ApiToken.objects.active()
        .order_by()
        .values("owner_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=settings.HYGIENE_MAX_TOKENS_PER_OWNER)
        .values("owner_id")
    )
    return (
        Q(owner__is_service_account=False)
        | Q(owner_id__in=supers)
        | Q(network__connection=Connection.ANYWHERE)
        | Q(network={})
        | Q(last_used__lt=unused_since)
        | Q(last_used__isnull=True, created__lt=unused_since)
        | Q(owner_id__in=crowded)
        | Q(rotated_at__lt=now - ROTATE_EVERY)
        | Q(rotated_at__isnull=True, created__lt=now - ROTATE_EVERY)
    )


def reasons(token, now=None) -> list[Reason]:
    """Why this token (from annotate()'s queryset) needs attention, each with the link to its fix."""
    now = now or timezone.now()
    detail = reverse("tokens:detail", args=[token.id])
    person = reverse("accounts:person", args=[token.owner_id])
    found = []
    if not token.owner.is_service_account:
        found.append(
            Reason(
                "person",
                "Owned by a person, not a service account",
                "Create a service account",
                reverse("accounts:person_create"),
            )
        )
    if token.owner_is_super:
        found.append(Reason("super", "Its owner is a super administrator", "Review the owner's roles", person))
    if (token.network or {}).get("connection", Connection.ANYWHERE) == Connection.ANYWHERE:
        found.append(
            Reason("anywhere", "Usable from any IP address", "Restrict it to network zones", detail + "#security-title")
        )
    if (token.last_used or token.created) < now - UNUSED:
        found.append(Reason("unused", "Not used for 14 days", "Revoke it if nothing needs it", detail))
    if token.owner_token_count > settings.HYGIENE_MAX_TOKENS_PER_OWNER:
        found.append(
            Reason(
                "many",
                f"Its owner holds more than {settings.HYGIENE_MAX_TOKENS_PER_OWNER} tokens",
                "Revoke the ones not needed",
                reverse("tokens:list") + f"?q=&owner={token.owner_id}",
            )
        )
    if token.value_issued < now - ROTATE_EVERY:
        found.append(Reason("rotate", "Value issued more than 90 days ago", "Rotate it", detail + "#rotate-title"))
    return found
