"""JSON request bodies: a size cap and Okta's E0000003 for anything unparseable."""

import json

from django.conf import settings
from django.http import HttpRequest

from api.errors import ApiError


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")  # Python accepts NaN and Infinity; JSON does not


def parse_json_body(request: HttpRequest) -> dict:
    """The request's JSON object. Anything but a JSON object is E0000003."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > settings.API_MAX_BODY_BYTES:
        raise ApiError("E0000003", status=413 if length.isdigit() else None)
    try:
        raw = request.body
    except Exception as exc:  # RequestDataTooBig and friends
        raise ApiError("E0000003") from exc
    try:
        data = json.loads(raw or b"null", parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # deep nesting exhausts the stack
        raise ApiError("E0000003") from exc
    if not isinstance(data, dict):
        raise ApiError("E0000003")
    return data
