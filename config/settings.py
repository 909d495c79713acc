"""Warden settings. Everything that differs between a laptop and production
comes from the environment (see README.md, "Configuration")."""

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("WARDEN_TESTING", "pytest" in sys.modules)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for a local run).")
    SECRET_KEY = "django-insecure-local-only-" + "x" * 40

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Apps form layers, lowest first: api -> syslog -> accounts -> zones -> tokens -> ratelimits -> origins
# -> logs -> console (config on top). `lint-imports` enforces it (pyproject.toml; docs/decisions/18). This order
# is also the demo load order.
WARDEN_APPS = ["api", "syslog", "accounts", "zones", "tokens", "oauth", "ratelimits", "origins", "logs", "console"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "corsheaders",
    "csp",
    *WARDEN_APPS,
]

# One middleware per pipeline step, each in the app that owns the step; the
# order is read here and nowhere else (docs/architecture.md "One request through /api/v1").
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "api.middleware.RequestContext",  # X-Okta-Request-Id, Date, JSON errors under /api/
    "zones.middleware.ClientIP",  # 1. the client IP nobody can spoof
    "zones.middleware.Blocklist",  # 2. active BLOCKLIST zones
    "ratelimits.middleware.UnauthenticatedLimit",  # 5a. per-IP limit for preflights and refused credentials
    "corsheaders.middleware.CorsMiddleware",  # 3. CORS (answered from origins)
    "origins.middleware.CrossOriginGuard",  # 3b. docs/decisions/14: no SSWS and no writes cross-origin
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tokens.middleware.SSWSAuthentication",  # 4. SSWS tokens
    "ratelimits.middleware.RateLimit",  # 5. rate limits
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "console.middleware.OwnErrorPages",  # Warden's 404 and 500 pages with DEBUG too (make run)
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "console.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Bounded waits on PostgreSQL (docs/decisions/21; config/postgresql/base.py): connect and statement timeouts,
# a client-side deadline for a server that hangs, and how long new connections fail at once after one failed.
# The test runner's own process gets more: its fixtures bulk-insert on a shared, loaded runner (the servers the
# fault tests start are not TESTING and keep 2 s).
DB_TIMEOUT_SECONDS = float(env_str("DB_TIMEOUT_SECONDS", "30" if TESTING else "2"))
DB_BREAKER_SECONDS = float(env_str("DB_BREAKER_SECONDS", "1"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "config.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": max(2, round(DB_TIMEOUT_SECONDS)),  # libpq's minimum is 2 s
            "options": f"-c statement_timeout={int(DB_TIMEOUT_SECONDS * 1000)}",  # 0: none
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
# 0.1 s in production (a hung Redis must cost milliseconds). The test process itself gets 2 s, like its 30 s for
# PostgreSQL: a busy CI runner must not open the breaker under an ordinary test; the gunicorn processes the live
# and fault tests start are not TESTING and keep 0.1 s.
REDIS_TIMEOUT_SECONDS = float(env_str("REDIS_TIMEOUT_SECONDS", "2" if TESTING else "0.1"))
if REDIS_URL:
    # django-redis: the backend django-ratelimit supports (Django's own trips its W001).
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "warden"),
            # Short timeouts and a circuit breaker (process_caches/breaker.py, docs/decisions/21): a Redis that
            # hangs costs what one that refuses costs.
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT_SECONDS,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT_SECONDS,
                "CONNECTION_POOL_CLASS": "process_caches.breaker.BreakerPool",
            },
        }
    }
    SILENCED_SYSTEM_CHECKS: list[str] = []
else:
    # The embedded default runs as one process, so a per-process cache is
    # shared by everyone who can reach it; django-ratelimit's E003 warns that
    # local memory is not shared between processes, which is moot here.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "warden"}}
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "warden.client_ip"  # set by zones.middleware.ClientIP

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.LoginBackend"]
LOGIN_URL = "accounts:signin"
LOGIN_REDIRECT_URL = "tokens:list"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

if TESTING:  # fast hashing keeps factories cheap; never used outside the test suite
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- HTTPS and browser security -------------------------------------------
HTTPS = env_bool("HTTPS", False)  # production behind TLS: turns every switch below on
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 2 * 60 * 60)  # idle timeout ...
SESSION_SAVE_EVERY_REQUEST = True  # ... renewed by activity
# Cross-site session cookies (CORS trusted origins) need SameSite=None, which
# browsers accept only with Secure: so only over HTTPS.
SESSION_COOKIE_SAMESITE = "None" if HTTPS else "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- CORS (django-cors-headers; origins answers check_request_enabled) ---
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOWED_ORIGINS: list[str] = []  # the allowed ones come from active CORS TrustedOrigins
# docs/decisions/14: preflights never allow Authorization (API tokens stay out of web pages), and
# cross-origin session requests may only read (origins.middleware.CrossOriginGuard refuses the rest).
CORS_ALLOW_HEADERS = ["accept", "content-type", "x-requested-with"]
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = [
    "Link",
    "X-Okta-Request-Id",
    "X-Rate-Limit-Limit",
    "X-Rate-Limit-Remaining",
    "X-Rate-Limit-Reset",
]
# How often (seconds) each process checks the shared trusted-origins version (origins/lists.py).
ORIGIN_CHECK_SECONDS = float(env_str("ORIGIN_CHECK_SECONDS", "0" if TESTING else "1.0"))

# --- Warden ---------------------------------------------------------------
# Proxies whose X-Forwarded-For we believe (docs/decisions/13), e.g. "10.0.0.0/16".
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# How often (seconds) each process checks the shared zones version before a zone lookup
# (zones/matching.py): 0 checks on every lookup, which the tests use.
ZONE_INDEX_CHECK_SECONDS = float(env_str("ZONE_INDEX_CHECK_SECONDS", "0" if TESTING else "1.0"))
# Seed DefaultEnhancedDynamicZone (docs/decisions/12; okta-python cannot parse it).
SEED_ENHANCED_DYNAMIC_ZONE = env_bool("SEED_ENHANCED_DYNAMIC_ZONE", False)
# Rate limits per minute (docs/decisions/09; read-only in the console).
RATE_LIMITS = {
    "logs": env_int("RATE_LIMIT_LOGS", 60),
    "default": env_int("RATE_LIMIT_DEFAULT", 10_000),
}
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1_048_576)
# Token lifecycle (docs/decisions/30-33): leaked-value reports per client address and minute, the most values
# one report may carry, and how many tokens one owner may hold before the hygiene list names them.
LEAK_REPORTS_PER_MINUTE = env_str("LEAK_REPORTS_PER_MINUTE", "10/m")
LEAK_REPORT_MAX_VALUES = 1000
HYGIENE_MAX_TOKENS_PER_OWNER = env_int("HYGIENE_MAX_TOKENS_PER_OWNER", 5)
# Expiry notices go by e-mail (tokens_expiring): printed to the console unless EMAIL_BACKEND says otherwise,
# e.g. django.core.mail.backends.smtp.EmailBackend with the EMAIL_HOST... variables.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "warden@localhost")
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact_secrets": {"()": "api.redaction.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # They print request paths, where a token value pasted by mistake must not be kept.
        "django.request": {"filters": ["redact_secrets"]},
        "django.server": {"filters": ["redact_secrets"]},
        "warden.api": {"filters": ["redact_secrets"]},
    },
}
# Rate-limit windows (seconds; tests shorten it), org-wide warning threshold (%),
# the share a session-authenticated API caller gets (%), the per-IP limit for
# unauthenticated API traffic (django-ratelimit rate), and how long a process
# may reuse the approved-exceptions lookup (seconds).
RATE_LIMIT_WINDOW_SECONDS = env_int("RATE_LIMIT_WINDOW_SECONDS", 60)
RATE_LIMIT_WARNING_PERCENT = env_int("RATE_LIMIT_WARNING_PERCENT", 90)
RATE_LIMIT_SESSION_PERCENT = env_int("RATE_LIMIT_SESSION_PERCENT", 50)
RATE_LIMIT_UNAUTHENTICATED = env_str("RATE_LIMIT_UNAUTHENTICATED", "120/m")
RATE_LIMIT_POLICY_SECONDS = float(env_str("RATE_LIMIT_POLICY_SECONDS", "5"))
# How long a process may reuse a token it authenticated (tokens/snapshots.py) before reading it
# from the database again even if no change was announced; 0 turns snapshots off.
AUTH_SNAPSHOT_SECONDS = float(env_str("AUTH_SNAPSHOT_SECONDS", "60"))
# How often (seconds) each process reads the durable authorization epoch itself (docs/decisions/21): the longest
# a change whose announcement Redis lost (hung, failed over) can go unseen. One query per process per interval.
AUTH_EPOCH_CHECK_SECONDS = float(env_str("AUTH_EPOCH_CHECK_SECONDS", "1"))
# What a 503 E0000010 (database unavailable) tells clients to wait before retrying (Retry-After, seconds).
UNAVAILABLE_RETRY_SECONDS = env_int("UNAVAILABLE_RETRY_SECONDS", 2)

# OAuth 2.0 for the API (docs/oauth.md, docs/decisions/24). ORG_URL is the org's public URL: the issuer and
# audience of access tokens and the `aud` every client assertion must name (never derived from Host).
ORG_URL = env_str("ORG_URL", "http://127.0.0.1:8000").rstrip("/")
OAUTH_ACCESS_TOKEN_SECONDS = env_int("OAUTH_ACCESS_TOKEN_SECONDS", 3600)
# Requests per client IP to /oauth2/v1/token, /revoke and /introspect (django-ratelimit rate).
OAUTH_RATE_LIMIT = env_str("OAUTH_RATE_LIMIT", "600/m")
# Fernet key(s), newest first, that encrypt the authorization server's private signing keys at rest. The
# embedded and test modes have a fixed development key; production has none, and signing fails clearly
# (ImproperlyConfigured, and `check --deploy` reports oauth.E001) until one is set.
OAUTH_KEY_ENCRYPTION_KEY = env_str("OAUTH_KEY_ENCRYPTION_KEY") or (
    "d2FyZGVuLWRldmVsb3BtZW50LW9ubHkta2V5LTAwMDA=" if DEBUG or TESTING else ""
)
