"""The registry of process caches: every cache a process keeps is in it, and reset_all() empties each."""

import pytest
from django.core.cache import cache

import process_caches
from bench.server import free_port
from ratelimits import policy
from tests.origins.factories import OriginFactory, scopes
from tests.tokens.factories import issue_token, ssws
from tests.zones.factories import ZoneFactory, cidr
from zones import matching

pytestmark = pytest.mark.django_db


def test_the_four_caches_are_registered_by_name():
    assert set(process_caches.registered()) >= {
        "zone index",
        "trusted-origin lists",
        "token snapshots",
        "rate-limit policy memo",
    }


def test_reset_all_makes_every_cache_read_afresh(client, settings, django_assert_num_queries):
    settings.ZONE_INDEX_CHECK_SECONDS = settings.ORIGIN_CHECK_SECONDS = 3600
    settings.RATE_LIMIT_POLICY_SECONDS = 3600
    ZoneFactory(gateways=[cidr("10.0.0.0/8")])
    OriginFactory(origin="https://spa.example", scopes=scopes("CORS"))
    _, value = issue_token()
    assert client.get("/api/v1/org", **ssws(value)).status_code == 200  # fills all four (and renews)
    from origins import lists

    lists.is_cors_origin("https://spa.example")
    with django_assert_num_queries(0):
        matching.current_index(), lists.is_cors_origin("x"), policy.group_limit("default")
        assert client.get("/api/v1/org", **ssws(value)).status_code == 200
    process_caches.reset_all()
    with django_assert_num_queries(1):
        matching.current_index()
    with django_assert_num_queries(1):
        lists.is_cors_origin("x")
    with django_assert_num_queries(1):
        policy.group_limit("default")
    with django_assert_num_queries(1):  # the token is looked up again: its snapshot is gone
        assert client.get("/api/v1/org", **ssws(value)).status_code == 200


def test_a_versioned_value_keeps_answering_while_the_cache_is_down(settings, django_assert_num_queries):
    zone = ZoneFactory(gateways=[cidr("10.0.0.0/8")])
    assert matching.policy_zones_containing("10.0.0.1") == {zone.id}
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",  # a closed port, never the shared one
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    with pytest.raises(Exception):  # noqa: B017 - django-redis's own exception class: the cache is really down
        cache.get(matching.VERSION_KEY)
    with django_assert_num_queries(0):  # the index we have, not a rebuild per request
        assert matching.policy_zones_containing("10.0.0.1") == {zone.id}


def test_names_are_unique():
    with pytest.raises(ValueError, match="already registered"):
        process_caches.TimedValue("zone index", load=dict, ttl=lambda: 1)
