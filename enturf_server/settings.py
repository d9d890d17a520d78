"""Enturf server settings. Everything a deployment changes comes from the environment.

ENTURF_DATA_DIR   folder for the SQLite database, the secret key and the signing key
                  (default: ./var)
DATABASE_URL      e.g. postgres://postgres@127.0.0.1:5432/enturf (default: SQLite in the data dir)
ENTURF_SECRET_KEY Django's secret key (default: generated once into the data dir)
ENTURF_DEBUG      "1" for debug pages (never in production)
ENTURF_DEMO       "1" on the demo installation only (`make run` sets it): the fixed
                  DEMO-COUNTER setup code exists and works only there
ENTURF_ALLOWED_HOSTS comma-separated (default: localhost names)
ENTURF_HTTPS      "1" in production behind HTTPS (redirect, HSTS, secure cookies; see the end)
"""

import os
import secrets
from pathlib import Path

import dj_database_url

from enturf_server.key_files import read_or_create

DATA_DIR = Path(os.environ.get("ENTURF_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


# the file is created whole with mode 0600: simultaneous first starts share one key
SECRET_KEY = os.environ.get("ENTURF_SECRET_KEY") or read_or_create(
    DATA_DIR / "secret_key", lambda: secrets.token_urlsafe(50)
)
DEBUG = os.environ.get("ENTURF_DEBUG") == "1"
ENTURF_DEMO = os.environ.get("ENTURF_DEMO") == "1"
ALLOWED_HOSTS = os.environ.get(
    "ENTURF_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]"
).split(",")

INSTALLED_APPS = [
    # first: its `runserver` (TCP_NODELAY) wins over staticfiles' and Django's own
    "enturf_demo",  # commands only (`seed_demo`, `runserver`): no models, imports nothing at start-up
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "enturf_server.accounts",
    "enturf_server.audit",
    "enturf_server.catalog",
    "enturf_server.sales",
    "enturf_server.billing",
    "enturf_server.invoicing",
    "enturf_server.ticketing",
    "enturf_server.checkins",
    "enturf_server.sync",
    "enturf_server.shifts",
    "enturf_server.counters",
    "enturf_server.reports",
]

# Sessions, CSRF, auth, messages and frame options are Django's own, skipped for /api/v1/
# (token API, JSON only): see enturf_server.api.middleware.
MIDDLEWARE = [
    "enturf_server.api.middleware.BodySizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "enturf_server.api.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "enturf_server.api.middleware.CsrfViewMiddleware",
    "enturf_server.api.middleware.AuthenticationMiddleware",
    "enturf_server.api.middleware.MessageMiddleware",
    "enturf_server.api.middleware.XFrameOptionsMiddleware",
    "enturf_server.catalog.local_time.AdminTimeZoneMiddleware",
]

ROOT_URLCONF = "enturf_server.urls"
WSGI_APPLICATION = "enturf_server.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'enturf.sqlite3'}",
        conn_max_age=int(os.environ.get("ENTURF_DB_CONN_MAX_AGE", "60")),
        # a kept connection that died (database restarted) is replaced before a request
        # uses it, instead of failing that request: one `SELECT 1` per request
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side parameter binding, and each statement a connection runs again is
    # prepared once (PostgreSQL parses and plans it once per connection): about 40 % less
    # PostgreSQL CPU per booking. Behind a transaction-pooling PgBouncer older than 1.21
    # (or without max_prepared_statements) set ENTURF_DB_PREPARE_THRESHOLD=off.
    _prepare = os.environ.get("ENTURF_DB_PREPARE_THRESHOLD", "1").strip().lower()
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": True,
            "prepare_threshold": None if _prepare in ("", "off", "none") else int(_prepare),
        }
    )

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("ENTURF_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Request bodies: Django's own cap is the largest we accept anywhere (seat maps of
# 100,000 seats); BodySizeLimitMiddleware applies the small default to every other path.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
ENTURF_BODY_LIMIT_DEFAULT = 256 * 1024
ENTURF_BODY_LIMIT_LARGE = {
    "/api/v1/seatmaps/": 64 * 1024 * 1024,
    "/api/v1/sync/push/": 16 * 1024 * 1024,
    "/admin/": 8 * 1024 * 1024,
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # the user's token, plus the counter's `X-Enturf-Device` token when sent (request.device)
        "enturf_server.accounts.device_auth.DeviceAndTokenAuthentication"
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "enturf_server.api.pagination.DefaultPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "enturf_server.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_RATES": {
        "login": os.environ.get("ENTURF_LOGIN_RATE", "10/min"),
        "register": os.environ.get("ENTURF_REGISTER_RATE", "20/hour"),
        "device_register": os.environ.get("ENTURF_DEVICE_REGISTER_RATE", "10/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "rest_framework.renderers.BrowsableAPIRenderer"
    )

# Counters (devices) and sync. Registration hands each counter the card gateway's URL, a
# restricted key (payment intents and readers only) and its reader id.
ENTURF_GATEWAY_URL = os.environ.get("ENTURF_GATEWAY_URL", "http://127.0.0.1:12111")
ENTURF_GATEWAY_RESTRICTED_KEY = os.environ.get(
    "ENTURF_GATEWAY_RESTRICTED_KEY", "rk_test_enturf_demo_counter"
)
ENTURF_GATEWAY_READER_ID = os.environ.get("ENTURF_GATEWAY_READER_ID", "")
# The server's own gateway access (online payments, verifying counter card payments, refunds):
# the secret key never leaves the server. Defaults match the simulator's demo keys.
ENTURF_GATEWAY_SECRET_KEY = os.environ.get("ENTURF_GATEWAY_SECRET_KEY", "sk_test_enturf_demo")
ENTURF_GATEWAY_WEBHOOK_SECRET = os.environ.get("ENTURF_GATEWAY_WEBHOOK_SECRET", "whsec_enturf_demo")
ENTURF_DEVICE_SETUP_CODE_HOURS = int(os.environ.get("ENTURF_DEVICE_SETUP_CODE_HOURS", "24"))
ENTURF_SYNC_PAGE_SIZE = int(os.environ.get("ENTURF_SYNC_PAGE_SIZE", "500"))
ENTURF_SYNC_MAX_PAGE_SIZE = int(os.environ.get("ENTURF_SYNC_MAX_PAGE_SIZE", "5000"))
ENTURF_CHANGELOG_KEEP_DAYS = int(os.environ.get("ENTURF_CHANGELOG_KEEP_DAYS", "30"))
ENTURF_PROCESSED_OPS_KEEP_DAYS = int(os.environ.get("ENTURF_PROCESSED_OPS_KEEP_DAYS", "90"))
# the counter version this server expects ("" = the server's own package version) and where
# a venue gets it (GET /api/v1/counter-version/; counters say so at login)
ENTURF_COUNTER_LATEST_VERSION = os.environ.get("ENTURF_COUNTER_LATEST_VERSION", "").strip()
ENTURF_COUNTER_DOWNLOAD_URL = os.environ.get("ENTURF_COUNTER_DOWNLOAD_URL", "").strip()

SPECTACULAR_SETTINGS = {
    "TITLE": "Enturf API",
    "DESCRIPTION": "Box office: events, seats, holds, bookings, payments and counter sync.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EventStateEnum": "enturf_server.catalog.models.EventState",
        "RoleEnum": "enturf_server.accounts.roles.ROLE_CHOICES",
        "PaymentMethodEnum": "enturf_server.billing.models.PaymentMethod",
        "RefundMethodEnum": "enturf_server.billing.models.RefundMethod",
        "CheckinKindEnum": "enturf_server.checkins.models.Kind",
        "KindEnum": "enturf_server.billing.models.VoucherKind",  # its name before check-in
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ENTURF_LOG_LEVEL", "WARNING")},
    # Django logs every 4xx answer as a warning ("Conflict: /api/v1/bookings/" for each seat
    # someone else got first): expected refusals, not faults. 5xx are still logged.
    "loggers": {
        "django.request": {"level": os.environ.get("ENTURF_REQUEST_LOG_LEVEL", "ERROR")},
    },
}


# --- Deployment: static files ---------------------------------------------------------------
# The admin's CSS and Swagger UI (from drf-spectacular-sidecar, no CDN) are served by the
# application itself through WhiteNoise, with or without DEBUG, from STATIC_ROOT: run
# `enturf-server collectstatic --noinput` after each install or upgrade (the demo does).
# `check --deploy` warns while STATIC_ROOT lacks the admin's files (enturf.W004).
INSTALLED_APPS.append("drf_spectacular_sidecar")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
SPECTACULAR_SETTINGS.update(
    {"SWAGGER_UI_DIST": "SIDECAR", "SWAGGER_UI_FAVICON_HREF": "SIDECAR", "REDOC_DIST": "SIDECAR"}
)
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing folder on every start

# --- Deployment: HTTPS (ENTURF_HTTPS) --------------------------------------------------------
# Production behind HTTPS sets ENTURF_HTTPS=1: plain HTTP is redirected, browsers are told to
# use HTTPS only (HSTS), session and CSRF cookies are sent over HTTPS only, and the scheme a
# TLS-terminating reverse proxy reports in X-Forwarded-Proto is trusted (the proxy must set
# that header itself, replacing any the client sent). The demo and tests leave it off.
ENTURF_HTTPS = os.environ.get("ENTURF_HTTPS") == "1"
if ENTURF_HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("ENTURF_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Django looks for its own CSRF and frame-options middleware by dotted path; the
# browser-only subclasses above are checked by enturf_server.api.checks instead.
SILENCED_SYSTEM_CHECKS = ["security.W002", "security.W003"]

# ---- Hardening: input parsing, client addresses, throttle state ------------------------
# (kept in one block; docs/architecture.md "Throttles, proxies and the cache")

# JSON bodies: DRF's parser, refusing over-deep nesting and NUL in text (400, not 500);
# queries with NUL are refused by NulQueryMiddleware on every path.
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = ["enturf_server.api.parsers.JSONParser"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("enturf_server.api.middleware.BodySizeLimitMiddleware") + 1,
    "enturf_server.api.middleware.NulQueryMiddleware",
)

# Throttle and lockout counts are shared by every worker and host: Redis when
# ENTURF_REDIS_URL is set (e.g. redis://127.0.0.1:6379/0), else the database cache (its
# table comes with `migrate`). ENTURF_CACHE_KEY_PREFIX separates installations sharing
# one Redis.
ENTURF_REDIS_URL = os.environ.get("ENTURF_REDIS_URL", "").strip()
_CACHE_KEY_PREFIX = os.environ.get("ENTURF_CACHE_KEY_PREFIX", "enturf")
if ENTURF_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ENTURF_REDIS_URL,
            "KEY_PREFIX": _CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "enturf_server.api.cache.DatabaseCache",
            "LOCATION": "enturf_cache",  # api.cache.TABLE, made by migrate
            "KEY_PREFIX": _CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# Login is also limited per client address, more loosely than per user name: a venue's
# counters may share one address (accounts.throttles).
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login_address"] = os.environ.get(
    "ENTURF_LOGIN_ADDRESS_RATE", "30/min"
)

# The client's address for throttles: REMOTE_ADDR, or behind N reverse proxies that each
# append to X-Forwarded-For, the address the outermost of them saw (N = this setting).
REST_FRAMEWORK["NUM_PROXIES"] = int(os.environ.get("ENTURF_TRUSTED_PROXIES", "0"))
