"""Okta's error object (docs/okta-contract.md §1.3), the only error shape under /api/.

Views raise `ApiError` (or return `json_error`); the `api_view` decorator and
`api.middleware.RequestContext` turn everything else into the same shape."""

import time
from collections.abc import Iterable

from django.http import JsonResponse
from django.utils.http import http_date

from api.ids import new_error_id
from api.redaction import redact

# code -> (HTTP status, summary template). Text from Okta's error catalog.
CODES: dict[str, tuple[int, str]] = {
    "E0000001": (400, "Api validation failed: {0}"),
    "E0000002": (400, "The request was not valid: {0}"),
    "E0000003": (400, "The request body was not well-formed."),
    "E0000005": (403, "Invalid session"),
    "E0000006": (403, "You do not have permission to perform the requested action"),
    "E0000007": (404, "Not found: {0}"),
    "E0000008": (404, "The requested path was not found"),
    "E0000009": (500, "Internal Server Error"),
    "E0000010": (503, "Service is in read only mode"),  # Okta's 503; docs/decisions/21: database unavailable
    "E0000011": (401, "Invalid token provided"),
    "E0000021": (400, "Bad request.  Accept and/or Content-Type headers likely do not match supported values."),
    "E0000022": (405, "The endpoint does not support the provided HTTP method"),
    "E0000028": (400, "The request is missing a required parameter."),
    "E0000029": (400, "Invalid paging request."),
    "E0000030": (
        400,
        "Bad request. Invalid date. Dates must be of the form yyyy-MM-dd'T'HH:mm:ss.SSSZZ, "
        "e.g. 2013-01-01T12:00:00.000-07:00.",
    ),
    "E0000031": (400, "Invalid search criteria."),
    "E0000033": (400, "Bad request. Can't specify a search query and filter in the same request."),
    "E0000047": (429, "API call exceeded rate limit due to too many requests."),
    "E0000053": (400, "{0}"),
}


class ApiError(Exception):
    """Raise from an API view to answer with an Okta error body."""

    def __init__(self, code: str, detail: str = "", causes: Iterable[str] = (), status: int | None = None):
        default_status, template = CODES[code]
        self.code = code
        self.status = status or default_status
        self.summary = template.format(detail) if "{0}" in template else template
        self.causes = list(causes)
        super().__init__(self.summary)

    def response(self) -> JsonResponse:
        return json_error(self.code, summary=self.summary, causes=self.causes, status=self.status)


class InsufficientScope(ApiError):
    """An OAuth access token without the scope an endpoint needs: 403 E0000006 with the challenge Okta sends
    (`WWW-Authenticate: Bearer authorization_uri=…, realm=…, scope=…, error="insufficient_scope", …`)."""

    def __init__(self, scope: str, resource: str = ""):
        super().__init__("E0000006")
        self.scope, self.resource = scope, resource

    def response(self) -> JsonResponse:
        from django.conf import settings

        org = settings.ORG_URL.rstrip("/")
        response = super().response()
        response["WWW-Authenticate"] = (
            f'Bearer authorization_uri="{org}/oauth2/v1/authorize", realm="{org}", scope="{self.scope}", '
            'error="insufficient_scope", error_description="The access token provided does not contain the '
            f'required scopes.", resource="{self.resource}"'
        )
        return response


def json_error(code: str, *, summary: str | None = None, causes: Iterable[str] = (), status: int | None = None):
    default_status, template = CODES[code]
    body = {
        "errorCode": code,
        "errorSummary": summary if summary is not None else template.replace("{0}", "").strip(),
        "errorLink": code,
        "errorId": new_error_id(),
        "errorCauses": [{"errorSummary": cause} for cause in causes],
    }
    return JsonResponse(body, status=status or default_status)


def unavailable(retry_seconds: int) -> JsonResponse:
    """503 E0000010 when the database cannot answer (docs/decisions/21), with what the Okta SDKs need to wait
    and retry: Retry-After and X-Rate-Limit-Reset (the Date header is added to every response)."""
    response = json_error("E0000010")
    response["Date"] = http_date()
    response["Retry-After"] = str(retry_seconds)
    response["X-Rate-Limit-Reset"] = str(int(time.time()) + retry_seconds)
    return response


def not_found(resource_id: str, kind: str) -> ApiError:
    """Okta's 404 wording for a missing object: `Not found: Resource not found: <id> (Token)`;
    an "id" that looks like a token value is not echoed (api/redaction.py)."""
    return ApiError("E0000007", f"Resource not found: {redact(resource_id)} ({kind})")


def validation_error(errors: dict[str, list[str]]) -> ApiError:
    """A form's errors as E0000001: the summary names the fields, one cause per message."""
    fields = [name for name in errors if name != "__all__"]
    causes = []
    for name, messages in errors.items():
        for message in messages:
            causes.append(f"{name}: {message}" if name != "__all__" else message)
    return ApiError("E0000001", ", ".join(fields) or "request", causes)


def form_error(form) -> ApiError:
    return validation_error({name: [str(m) for m in msgs] for name, msgs in form.errors.items()})
