"""One settings module, driven by environment variables.

Defaults give a working development site on SQLite; production sets SECRET_KEY,
DEBUG=0, ALLOWED_HOSTS and DATABASE_URL.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(int(default))).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("ALLOW_INSECURE_KEY", False):
        raise RuntimeError("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "roadmap.core",
    "roadmap.accounts",
    "roadmap.municipalities",
    "roadmap.framework",
    "roadmap.information",
    "roadmap.initiatives",
    "roadmap.participation",
    "roadmap.opinions",
    "roadmap.indicators",
    "roadmap.workshops",
    "roadmap.pages",
    "roadmap.catalogue",
    "roadmap.office",
    "roadmap.api",
    "roadmap.demo",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    # After our apps, so our registration/ templates win over the admin's.
    "django.contrib.admin",
]

MIDDLEWARE = [
    # First: every response, health checks and static files too, carries a request id.
    "roadmap.core.request_log.RequestIdMiddleware",
    # Before the security, session and CSRF middleware: probes get no redirect, no cookie and
    # no host check (a load balancer or Kubernetes calls by address).
    "roadmap.core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that may answer: CORS headers go on every /api/v1/ response.
    "corsheaders.middleware.CorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "roadmap.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "roadmap.urls"
WSGI_APPLICATION = "roadmap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Forms render through our templates (templates/django/forms/) so every field gets the design
# system's markup, a linked error message and an error summary.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite file under var/ by default, anything dj-database-url understands otherwise.
# SQLite runs in WAL mode with IMMEDIATE write transactions, queued writers and a busy timeout,
# so concurrent writers wait their turn instead of failing with "database is locked". No
# ATOMIC_REQUESTS: read-only requests must not take the write lock.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'roadmap.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with write transactions queued on a file lock (see its docstring).
    DATABASES["default"]["ENGINE"] = "roadmap.core.sqlite_backend"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-32000; PRAGMA mmap_size=134217728; PRAGMA temp_store=MEMORY;"
        ),
    }
    # In memory unless SQLITE_TEST_NAME names a file (named, because pytest-django recognises
    # an unnamed SQLite test database only under Django's own engine path).
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or ":memory:"}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# DATABASE_POOL=1: psycopg's connection pool, one per app process. The pool checks a connection
# before lending it (CONN_HEALTH_CHECKS above), and Django requires CONN_MAX_AGE=0 with it.
if env_bool("DATABASE_POOL", False):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("DATABASE_POOL=1 needs a PostgreSQL DATABASE_URL.")
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "1")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "4")),
        "timeout": int(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "office:landing"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation. UI languages come from gettext catalogues in locale/; content
# languages are a fixed superset so that migrations never depend on a deployment's settings.
LANGUAGE_CODE = "en"
ALL_LANGUAGES = [
    ("en", _("English")),
    ("nb", _("Norwegian Bokmål")),
    ("sv", _("Swedish")),
    ("da", _("Danish")),
    ("fi", _("Finnish")),
    ("is", _("Icelandic")),
]
# A language joins the switcher once its catalogue and content exist: ENABLED_LANGUAGES=en,nb,sv
ENABLED_LANGUAGES = env_list("ENABLED_LANGUAGES", "en,nb")
LANGUAGES = [(code, name) for code, name in ALL_LANGUAGES if code in ENABLED_LANGUAGES]
MODELTRANSLATION_LANGUAGES = ("en", "nb", "sv", "da", "fi", "is")
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en",), "da": ("nb", "en"), "sv": ("nb", "en")}
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
# One date and number format per language (European, 24-hour), in roadmap/formats/<language>/.
FORMAT_MODULE_PATH = ["roadmap.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
# Front-end packages come from node_modules (installed from package-lock.json), never copied in.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/designsystemet", NODE_MODULES / "@digdir" / "designsystemet-css" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES: dict[str, dict[str, Any]] = {
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = False

# Uploaded files (the originals of indicator imports): a folder on this machine by default, an
# S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set, which several app processes share.
# No MEDIA_URL and no public reading: views check permissions and stream the file themselves.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# KS's U4SSC vocabulary (Turtle) read by `manage.py load_national_vocabulary`.
NATIONAL_VOCABULARY_FILE = Path(
    os.environ.get(
        "NATIONAL_VOCABULARY_FILE", BASE_DIR.parent / "shared" / "standards" / "ks-U4SSC.ttl"
    )
)
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    # MEDIA_ROOT is read when the storage is first used, so tests can point it elsewhere.
    STORAGES["default"] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

# E-mail: console by default so password resets work on a fresh machine; SMTP by environment.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: one file per connection.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "roadmap@localhost")
# Who runs the platform: the data catalogue names them as publisher of the network catalogue
# and the API (docs/catalogue.md).
CATALOGUE_OPERATOR_NAME = os.environ.get("CATALOGUE_OPERATOR_NAME", "Nordic Smart City Roadmap")
CATALOGUE_CONTACT_EMAIL = os.environ.get("CATALOGUE_CONTACT_EMAIL", DEFAULT_FROM_EMAIL)

# Cache and sessions: Redis when configured (several app processes), local memory otherwise.
# django-redis rather than Django's own RedisCache: its incr checks and increments in one Lua
# script, where Django's checks first and can let an expiring rate-limit key come back without
# a timeout. Sessions then live in the database and are read through Redis. CACHE_KEY_PREFIX
# lets several sites share one Redis.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 5, "SOCKET_TIMEOUT": 5},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks through Django's Tasks API (roadmap.core.tasks). The default queue lives in
# the database and `manage.py worker` runs it. TASK_QUEUE=redis puts it on RQ at REDIS_URL: run
# `manage.py rqworker --with-scheduler --job-class django_tasks_rq.Job`, and
# `manage.py run_periodic_jobs` from a timer (docs/decisions/0003-task-queue.md).
TASK_QUEUE = os.environ.get("TASK_QUEUE", "database")
if TASK_QUEUE == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASK_QUEUE=redis needs REDIS_URL.")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    INSTALLED_APPS += ["django_rq"]
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "OPTIONS": {"enqueue_after_commit": True},
        }
    }
elif TASK_QUEUE == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise ImproperlyConfigured(f"TASK_QUEUE must be database or redis, not {TASK_QUEUE!r}.")
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
# How often each `manage.py worker` says it is alive; silent for 6 beats, its tasks are rescued.
TASK_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("TASK_WORKER_HEARTBEAT_SECONDS", "5"))

# Security headers. HTTPS-only settings switch on with SECURE_SSL=1 (behind TLS).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if env_bool("SECURE_SSL", False):
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading binds the whole registrable domain for good: the domain owner's choice.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# check --deploy warns (W021) while preloading is off; it is off on purpose unless chosen above.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Logs go to standard error. LOG_FORMAT=json writes one JSON object a line, each with the
# request id, and adds one access line per request (roadmap.access); plain text otherwise.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise RuntimeError("LOG_FORMAT must be plain or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "roadmap.core.request_log.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"roadmap.access": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"}},
}

# The open API (docs/api.md): anonymous, read-only, public data only. Sessions and tokens are not
# read, so a signed-in official sees through the API what anyone sees.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["roadmap.api.permissions.PublicReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["roadmap.api.filters.StrictFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["roadmap.api.throttling.ApiRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Count the connecting address, never a client-supplied X-Forwarded-For.
    "NUM_PROXIES": int(os.environ.get("API_NUM_PROXIES", "0")),
}
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Nordic Smart City Roadmap platform API",
    "DESCRIPTION": "Read-only open data of the platform: the roadmap framework, municipalities, "
    "public initiatives, participation, deliberation and indicators. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "LICENSE": {"name": "AGPL-3.0-or-later (code)"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "roadmap.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "InitiativeStatusEnum": "roadmap.initiatives.models.Status",
        "ProposalStatusEnum": "roadmap.participation.models.ProposalStatus",
        "BarrierMetStatusEnum": "roadmap.initiatives.models.BarrierStatus",
    },
}
# CORS for the API's public reads only: any origin, no credentials, no writes.
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
