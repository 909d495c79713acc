"""docs/decisions/15: pages may be framed only by ACTIVE IFRAME_EMBED origins, and
only the sign-in page. Everything else keeps `X-Frame-Options: DENY` and
`frame-ancestors 'none'` (settings)."""

from functools import wraps

from csp.decorators import csp_replace, csp_update

from origins import lists


def framable_by_iframe_origins(view):
    """For the sign-in view: with IFRAME_EMBED origins, `frame-ancestors <them>`
    (django-csp 4's per-view csp_replace, applied per request because the list
    changes) and no X-Frame-Options, which cannot name origins; without any,
    the site-wide DENY stays."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        ancestors = list(lists.iframe_origins())
        destinations = list(lists.redirect_origins())
        page = view
        if destinations:
            # Browsers apply form-action to the redirect that follows the sign-in POST, so
            # `form-action 'self'` would stop a trusted fromURI; REDIRECT origins join it here.
            page = csp_update({"form-action": destinations})(view)
        if not ancestors:
            return page(request, *args, **kwargs)
        response = csp_replace({"frame-ancestors": ancestors})(page)(request, *args, **kwargs)
        response.xframe_options_exempt = True
        return response

    return wrapped
