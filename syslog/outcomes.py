"""Okta's System Log outcome results (`outcome.result`): the only values `record()` accepts."""

from enum import StrEnum


class Outcome(StrEnum):
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    SKIPPED = "SKIPPED"
    ALLOW = "ALLOW"
    DENY = "DENY"
    CHALLENGE = "CHALLENGE"
    UNKNOWN = "UNKNOWN"
    RATE_LIMIT = "RATE_LIMIT"
    DEFERRED = "DEFERRED"
    SCHEDULED = "SCHEDULED"
    ABANDONED = "ABANDONED"
    UNANSWERED = "UNANSWERED"
